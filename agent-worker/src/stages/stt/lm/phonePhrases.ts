/**
 * What callers say around a phone number: a lead-in that names it before the digits and a polite closing after
 * them. The phone slot model's corpus and the phone grammar both know them as words, so that neither reads a lead-in
 * as digits nor trades the last digits for a closing it expects nowhere else.
 */
export const PHONE_LEAD_INS: readonly string[] = [
  'my number is',
  'my phone number is',
  'the number is',
  "it's",
  'it is',
  "that's",
  'that is',
  'my cell is',
  'my cell number is',
  'the best number is',
  'you can reach me at',
  'you can call me at',
  'reach me at',
  'call me at',
];

export const PHONE_CLOSINGS: readonly string[] = [
  'thanks',
  'thank you',
  'please',
  'thanks a lot',
  'thank you very much',
  "that's it",
  "that's all",
  "that's my number",
];
