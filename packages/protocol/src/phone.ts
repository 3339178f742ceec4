import { z } from 'zod';

/**
 * A North American phone number with its area code, as the agent's digit grammar reads them: ten digits, or eleven
 * after the country code 1. Fewer is a number heard in part (a digit lost, or a word between the digits breaking
 * the run) or a local one the driver cannot dial from every phone; more is a number misheard.
 */
export function isWholePhoneNumber(digits: string): boolean {
  return digits.length === 10 || (digits.length === 11 && digits.startsWith('1'));
}

/** The digits of a phone number as written or stored ("415-555-0142" -> "4155550142"); "" for none. */
export function phoneDigits(phone: string | null | undefined): string {
  return (phone ?? '').replace(/\D/g, '');
}

/**
 * A phone number kept as the caller's (a callback's, a customer's): whole (isWholePhoneNumber), however it is
 * written. A number heard in part never is: calling it back reaches nobody, or somebody else.
 */
export const WholePhoneNumberSchema = z
  .string()
  .max(32)
  .refine((phone) => isWholePhoneNumber(phoneDigits(phone)), {
    message: 'a whole phone number: 10 digits, or 11 with the leading 1',
  });
