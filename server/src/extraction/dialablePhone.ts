import { isDialablePhoneNumber, isWholePhoneNumber, phoneDigits } from '@voiceroom/protocol';
import type { ExtractionResult } from './schema.ts';

/**
 * An extraction result as it may be stored: the customer's phone only when it is a dialable number
 * (isDialablePhoneNumber). One heard in part ("512-3456" of a number whose area code was lost) or misheard into a
 * number the numbering plan has not ("021-805-5509") would be dialled as the customer's and reach nobody, or
 * somebody else: it is left out, and the notes say so for the reviewer.
 */
export function withDialablePhone(result: ExtractionResult): ExtractionResult {
  const { phone } = result.customer;
  const digits = phoneDigits(phone);
  if (phone === null || isDialablePhoneNumber(digits)) return result;
  const note = digits.length > 0 ? `phone ${whyLeftOut(digits)}, left out` : null;
  const notes = [result.notes, note].filter((n) => n).join('; ');
  return {
    ...result,
    customer: { ...result.customer, phone: null },
    notes: notes === '' ? null : notes.slice(0, 2000),
  };
}

function whyLeftOut(digits: string): string {
  return isWholePhoneNumber(digits)
    ? 'not a North American number (area code or exchange starting 0 or 1)'
    : `heard in part (${digits.length} digits)`;
}
