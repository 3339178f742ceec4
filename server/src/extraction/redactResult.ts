import { findPii, redactPii } from '../privacy/redact.ts';
import type { ExtractionResult } from './schema.ts';

const redact = (text: string | null) => (text === null ? null : redactPii(text).text);

/**
 * An extraction result as it may be stored for a call whose agent redacts PII: the free text (notes, name, address,
 * item names) redacted like transcripts. The customer's phone and email stay, as delivery needs them, unless what the
 * model put there is a card number, CVV or expiry date.
 */
export function redactExtractionResult(result: ExtractionResult): ExtractionResult {
  const { phone, email } = result.customer;
  const cardLike = (value: string | null) =>
    value !== null &&
    findPii(value, { afterCard: true }).some((s) => s.kind !== 'phone' && s.kind !== 'email');
  return {
    ...result,
    customer: {
      name: redact(result.customer.name),
      address: redact(result.customer.address),
      phone: cardLike(phone) ? null : phone,
      email: cardLike(email) ? null : email,
    },
    items: result.items.map((item) => ({
      ...item,
      name: redactPii(item.name).text,
      size: redact(item.size),
    })),
    notes: redact(result.notes),
  };
}
