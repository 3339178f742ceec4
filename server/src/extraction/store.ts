import { CallEntity, CustomerEntity, OrderEntity, OrderItemEntity } from '../db/entities/index.ts';
import type { EntityManager } from '../db/orm.ts';
import { withDialablePhone } from './dialablePhone.ts';
import type { ExtractionResult, ExtractionSource, TranscriptLine } from './schema.ts';

/**
 * A call's agent, whether its stored data is PII-redacted, and its transcript (final segments in spoken order), as
 * extractors read it: the unredacted words of a redacted segment while its extraction job still keeps them, else the
 * stored text.
 */
export async function loadCallTranscript(
  em: EntityManager,
  callId: string,
): Promise<{ agentId: string | null; redactPii: boolean; transcript: TranscriptLine[] }> {
  const [call] = await em.execute<{ agent_id: string | null; redact_pii: number }[]>(
    'select agent_id, redact_pii from calls where id = ?',
    [callId],
  );
  const rows = await em.execute<{ speaker: TranscriptLine['speaker']; text: string }[]>(
    'select speaker, coalesce(extraction_text, text) as text from transcript_segments where call_id = ? order by start_ms, id',
    [callId],
  );
  const transcript = rows
    .filter((r) => r.text.trim() !== '')
    .map((r) => ({ speaker: r.speaker, text: r.text }));
  return { agentId: call?.agent_id ?? null, redactPii: Boolean(call?.redact_pii ?? true), transcript };
}

function hasContent(result: ExtractionResult): boolean {
  const c = result.customer;
  return result.items.length > 0 || [c.name, c.address, c.phone, c.email].some((v) => v !== null && v !== '');
}

/** Money in cents to avoid float sums; null when no item has a price. */
function orderTotal(result: ExtractionResult): string | null {
  const priced = result.items.filter((i) => i.unit_price !== null);
  if (priced.length === 0) return null;
  const cents = priced.reduce((sum, i) => sum + Math.round((i.unit_price ?? 0) * 100) * i.quantity, 0);
  return (cents / 100).toFixed(2);
}

/**
 * Writes an extraction result as customer, order and order items rows linked to the call, replacing what an
 * earlier run stored for it. A result with neither items nor customer details stores no rows (the job keeps
 * the result). Returns the order id, or null. Runs inside the caller's transaction.
 */
export async function storeExtraction(
  em: EntityManager,
  callId: string,
  extracted: ExtractionResult,
  source: ExtractionSource | 'human',
): Promise<number | null> {
  // the last gate before the customers table: a number heard in part or misheard is never stored as the customer's
  const result = withDialablePhone(extracted);
  await em.nativeDelete(OrderEntity, { call: callId });
  await em.nativeDelete(CustomerEntity, { call: callId });
  if (!hasContent(result)) return null;
  const call = em.getReference(CallEntity, callId);
  const customer = em.create(CustomerEntity, { call, ...result.customer, createdAt: new Date() });
  const order = em.create(OrderEntity, {
    call,
    customer,
    source,
    confidence: result.confidence,
    currency: result.currency,
    total: orderTotal(result),
    notes: result.notes,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  result.items.forEach((item, position) => {
    em.create(OrderItemEntity, {
      order,
      position,
      name: item.name,
      size: item.size,
      quantity: item.quantity,
      unitPrice: item.unit_price === null ? null : item.unit_price.toFixed(2),
      currency: result.currency,
    });
  });
  await em.flush();
  return order.id;
}
