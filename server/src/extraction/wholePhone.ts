import { isWholePhoneNumber, phoneDigits } from '@voiceroom/protocol';
import type { ExtractionResult } from './schema.ts';

/**
 * An extraction result as it may be stored: the customer's phone only when it is a whole number (isWholePhoneNumber).
 * One heard in part ("512-3456" of a number whose area code was lost) would be dialled as the customer's and reach
 * nobody, or somebody else: it is left out, and the notes say so for the reviewer.
 */
export function withWholePhone(result: ExtractionResult): ExtractionResult {
  const { phone } = result.customer;
  const digits = phoneDigits(phone);
  if (phone === null || isWholePhoneNumber(digits)) return result;
  const note = digits.length > 0 ? `phone heard in part (${digits.length} digits), left out` : null;
  const notes = [result.notes, note].filter((n) => n).join('; ');
  return {
    ...result,
    customer: { ...result.customer, phone: null },
    notes: notes === '' ? null : notes.slice(0, 2000),
  };
}
