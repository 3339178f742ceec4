import type { CallbackRequest } from '@voiceroom/protocol';
import type { EntityManager } from '../db/orm.ts';
import { isoUtc } from './sqlTime.ts';

/** Rows of callback_requests (migrations/Migration20261205000000_callback_requests.ts) as CallbackRequest. */

interface CallbackRow {
  id: string;
  call_id: string;
  room_id: string;
  customer_name: string | null;
  phone: string | null;
  consented_at: string | Date;
  status: string;
}

const COLUMNS = 'id, call_id, room_id, customer_name, phone, consented_at, status';

export interface NewCallback {
  id: string;
  callId: string;
  roomId: string;
  customerName: string | null;
  phone: string | null;
}

/** Stores the caller's yes (consent now); returns the stored request. */
export async function insertCallback(em: EntityManager, callback: NewCallback): Promise<CallbackRequest> {
  await em.execute(
    `insert into callback_requests (id, call_id, room_id, customer_name, phone, consent, consented_at, status)
     values (?, ?, ?, ?, ?, 1, utc_timestamp(3), 'open')`,
    [callback.id, callback.callId, callback.roomId, callback.customerName, callback.phone],
    'run',
  );
  const [row] = await em.execute<CallbackRow[]>(`select ${COLUMNS} from callback_requests where id = ?`, [
    callback.id,
  ]);
  if (!row) throw new Error(`callback request ${callback.id} vanished after insert`);
  return toCallback(row);
}

/** Newest first, optionally only open or done ones. */
export async function listCallbacks(
  em: EntityManager,
  query: { status?: 'open' | 'done' | undefined; page: number; pageSize: number },
): Promise<{ items: CallbackRequest[]; total: number; page: number; pageSize: number }> {
  const where = query.status ? 'where status = ?' : '';
  const params = query.status ? [query.status] : [];
  const [count] = await em.execute<{ n: number }[]>(
    `select count(*) as n from callback_requests ${where}`,
    params,
  );
  const rows = await em.execute<CallbackRow[]>(
    `select ${COLUMNS} from callback_requests ${where} order by consented_at desc, id limit ? offset ?`,
    [...params, query.pageSize, (query.page - 1) * query.pageSize],
  );
  return {
    items: rows.map(toCallback),
    total: Number(count?.n ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function callbacksOfCall(em: EntityManager, callId: string): Promise<CallbackRequest[]> {
  const rows = await em.execute<CallbackRow[]>(
    `select ${COLUMNS} from callback_requests where call_id = ? order by consented_at, id`,
    [callId],
  );
  return rows.map(toCallback);
}

/** Marks a callback done (someone called back); undefined when there is no such request. */
export async function closeCallback(em: EntityManager, id: string): Promise<CallbackRequest | undefined> {
  await em.execute("update callback_requests set status = 'done' where id = ?", [id], 'run');
  const [row] = await em.execute<CallbackRow[]>(`select ${COLUMNS} from callback_requests where id = ?`, [
    id,
  ]);
  return row ? toCallback(row) : undefined;
}

function toCallback(row: CallbackRow): CallbackRequest {
  return {
    callbackId: row.id,
    callId: row.call_id,
    roomId: row.room_id,
    customerName: row.customer_name,
    phone: row.phone,
    consent: true,
    consentedAt: isoUtc(row.consented_at) ?? '',
    status: row.status === 'done' ? 'done' : 'open',
  };
}
