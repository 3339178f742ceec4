import { z } from 'zod';

/**
 * A North American phone number with its area code, as the agent's digit grammar reads them: ten digits, or eleven
 * after the country code 1. Fewer is a number heard in part (a digit lost, or a word between the digits breaking
 * the run) or a local one the driver cannot dial from every phone; more is a number misheard.
 */
export function isWholePhoneNumber(digits: string): boolean {
  return digits.length === 10 || (digits.length === 11 && digits.startsWith('1'));
}

/**
 * A whole phone number (isWholePhoneNumber) that the North American Numbering Plan allows: neither its area code nor
 * its exchange (central office code) starts with 0 or 1. A whole number that breaks the plan ('021-805-5509') is a
 * number misheard, not the caller's: it is treated like one heard in part, asked for again and never kept.
 */
export function isDialablePhoneNumber(digits: string): boolean {
  return isWholePhoneNumber(digits) && fitsNumberingPlan(digits.slice(-10), 0);
}

/** Where the area code and the exchange start in the ten digits after the country code. */
const PLAN_CODE_STARTS = [0, 3];

/**
 * Digits of a number heard so far, placed from position `at` of its ten digits after the country code (a group of a
 * number said in groups), break no rule of the numbering plan: none of them starts an area code or an exchange
 * with 0 or 1.
 */
export function fitsNumberingPlan(digits: string, at: number): boolean {
  return PLAN_CODE_STARTS.every((start) => {
    const digit = digits[start - at];
    return digit === undefined || /[2-9]/.test(digit);
  });
}

/** The digits of a phone number as written or stored ("415-555-0142" -> "4155550142"); "" for none. */
export function phoneDigits(phone: string | null | undefined): string {
  return (phone ?? '').replace(/\D/g, '');
}

/**
 * A phone number kept as the caller's (a callback's, a customer's): dialable (isDialablePhoneNumber), however it is
 * written. A number heard in part or misheard never is: calling it back reaches nobody, or somebody else.
 */
export const DialablePhoneNumberSchema = z
  .string()
  .max(32)
  .refine((phone) => isDialablePhoneNumber(phoneDigits(phone)), {
    message:
      'a dialable phone number: 10 digits (11 with the leading 1), its area code and exchange each starting with 2-9',
  });
