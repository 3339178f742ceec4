import { randomUUID } from 'node:crypto';
import type { MikroORM } from '../../src/db/orm.ts';
import type { TranscriptLine } from '../../src/extraction/schema.ts';

export { PIZZA_CALL, PIZZA_RESULT } from '../../../test/helpers/pizzaCall.ts';

/** Inserts an ended call with these final transcript lines; returns its id. */
export async function seedCall(orm: MikroORM, lines: readonly TranscriptLine[]): Promise<string> {
  const id = randomUUID();
  const em = orm.em.fork();
  await em.execute(
    `insert into calls (id, room_id, display_name, status, outcome, redact_pii, started_at, ended_at)
     values (?, ?, 'test caller', 'ended', 'completed', 0, utc_timestamp(3), utc_timestamp(3))`,
    [id, `room-${id}`],
  );
  let at = 0;
  for (const [index, line] of lines.entries()) {
    await em.execute(
      `insert into transcript_segments (call_id, segment_id, speaker, text, start_ms, end_ms, created_at)
       values (?, ?, ?, ?, ?, ?, utc_timestamp(3))`,
      [id, `s${index}`, line.speaker, line.text, at, at + 1000],
    );
    at += 1500;
  }
  return id;
}

export async function jobOf(orm: MikroORM, callId: string) {
  const [row] = await orm.em.fork().execute<
    {
      id: number;
      status: string;
      attempts: number;
      last_error: string | null;
      source: string | null;
      lease_owner: string | null;
    }[]
  >('select id, status, attempts, last_error, source, lease_owner from extraction_jobs where call_id = ?', [
    callId,
  ]);
  return row;
}

export async function orderOf(orm: MikroORM, callId: string) {
  const em = orm.em.fork();
  const [order] = await em.execute<
    {
      id: number;
      source: string;
      confidence: number;
      total: string | null;
      currency: string | null;
      customer_name: string | null;
    }[]
  >(
    `select o.id, o.source, o.confidence, o.total, o.currency, c.name as customer_name
     from orders o join customers c on c.id = o.customer_id where o.call_id = ?`,
    [callId],
  );
  if (!order) return undefined;
  const items = await em.execute<
    { name: string; size: string | null; quantity: number; unit_price: string | null }[]
  >('select name, size, quantity, unit_price from order_items where order_id = ? order by position', [
    order.id,
  ]);
  return { ...order, items };
}
