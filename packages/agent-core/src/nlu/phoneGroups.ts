import { phoneDigits as digitsOf, formatPhone, isWholePhoneNumber as whole } from './customer.ts';
import { parseDigitRun } from './numbers.ts';
import { findPhrase } from './text.ts';

/** A digit group callers pause after ("five one two, ..."): three digits or more. */
const GROUP_MIN = 3;

/**
 * The phone number after an answer to the phone question, when the caller says it in groups over several turns (a
 * pause after "five one two, five five five" ends the turn): the digits held so far (`held`, the number heard short)
 * and the longest digit run of this answer make the whole number when together they have ten digits (eleven with
 * the country code); a run that is a whole number by itself replaces them, as does one of seven digits or more
 * that would overshoot. A run that starts the number over (the caller, asked again, repeats it from the area code)
 * is not the rest of it: it replaces the digits held when it has more of them. Undefined when the answer has no digit
 * group or one that cannot be placed.
 */
export function continuePhone(held: string | null, words: readonly string[]): string | undefined {
  let run = '';
  for (let i = 0; i < words.length; i++) {
    const found = parseDigitRun(words, i, new Set(['dash', 'hyphen']));
    if (!found) continue;
    if (found.digits.length > run.length) run = found.digits;
    i += found.length - 1;
  }
  if (run.length < GROUP_MIN) return undefined;
  const before = digitsOf(held);
  if (startsOver(before, run)) return run.length > before.length ? formatPhone(run) : undefined;
  const joined = before + run;
  if (whole(run) || (!whole(before) && (whole(joined) || joined.length < 10))) {
    return formatPhone(whole(run) ? run : joined);
  }
  // too many digits to be the rest: a number said again in full, or a group misheard (the held digits stay)
  return run.length >= 7 ? formatPhone(run) : undefined;
}

/**
 * The run says the held digits again from their first one, or the held digits begin with all of the run: the caller
 * started the number over, and joining the two would say the area code twice ("531 89" then "531"). An area code
 * that the next group repeats ("555 555 ...") reads as a restart too: rarer than a caller asked again starting over.
 */
function startsOver(held: string, run: string): boolean {
  return held.length >= GROUP_MIN && (held.startsWith(run) || run.startsWith(held));
}

/** How callers name the one group of the number they correct: its first digit's position and its length. */
const NAMED_GROUPS: readonly { phrases: readonly string[]; from: number; length: number }[] = [
  { phrases: ['area code'], from: 0, length: 3 },
  { phrases: ['middle three', 'middle part', 'middle digits', 'middle numbers'], from: 3, length: 3 },
  {
    phrases: ['last four', 'last part', 'last digits', 'last numbers', 'ends in', 'ends with', 'ending in'],
    from: 6,
    length: 4,
  },
];

/**
 * The whole number `held` with the one group the caller corrected by naming it ("no, the last four digits are zero
 * one two three", "the area code is five one two"); undefined when the answer names no group, its digits are not
 * that group's length, or no whole number is held to correct.
 */
export function correctedGroup(held: string | null, words: readonly string[]): string | undefined {
  const digits = digitsOf(held);
  if (!whole(digits)) return undefined;
  const country = digits.slice(0, -10);
  const local = digits.slice(-10);
  for (const group of NAMED_GROUPS) {
    for (const phrase of group.phrases) {
      const at = findPhrase(words, phrase);
      if (at < 0) continue;
      const run = runAfter(words, at + phrase.split(' ').length);
      if (run?.length !== group.length) continue;
      return formatPhone(
        `${country}${local.slice(0, group.from)}${run}${local.slice(group.from + group.length)}`,
      );
    }
  }
  return undefined;
}

/** The first digit run at or after `from` ("... digits are one two three four": "1234"). */
function runAfter(words: readonly string[], from: number): string | undefined {
  for (let i = from; i < words.length; i++) {
    const run = parseDigitRun(words, i, new Set(['dash', 'hyphen']));
    if (run) return run.digits;
  }
  return undefined;
}
