import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeChatCompletions } from '../../../test/helpers/fakeChatCompletions.ts';
import { DeepSeekExtractor } from '../../src/extraction/DeepSeekExtractor.ts';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import { ExtractionWorker } from '../../src/extraction/jobs/ExtractionWorker.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jobOf, orderOf, PIZZA_CALL, PIZZA_RESULT, seedCall } from './seed.ts';

let db: TestDatabase;
let fake: FakeChatCompletions;
let queue: ExtractionJobQueue;
const workers: ExtractionWorker[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  fake = await new FakeChatCompletions({ apiKey: 'sk-test' }).start();
  queue = new ExtractionJobQueue(db.orm, { maxAttempts: 4, backoff: { baseMs: 30, maxMs: 300 } });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await fake.stop();
});

function startWorker(options: { validationRetries?: number; leaseMs?: number; q?: ExtractionJobQueue } = {}) {
  const extractor = new DeepSeekExtractor({
    baseUrl: fake.baseUrl,
    model: 'deepseek-chat',
    apiKey: 'sk-test',
    timeoutMs: 2000,
    validationRetries: options.validationRetries ?? 1,
  });
  const worker = new ExtractionWorker({
    orm: db.orm,
    queue: options.q ?? queue,
    extractor,
    pollIntervalMs: 20,
    leaseMs: options.leaseMs ?? 3000,
  });
  workers.push(worker);
  worker.start();
  return worker;
}

async function settled(worker: ExtractionWorker, callId: string): Promise<'succeeded' | 'failed'> {
  return new Promise((resolve) => {
    const done = (status: 'succeeded' | 'failed') => (e: { callId: string }) => {
      if (e.callId === callId) resolve(status);
    };
    worker.on('succeeded', done('succeeded'));
    worker.on('failed', done('failed'));
  });
}

describe('ExtractionWorker with the DeepSeek extractor', () => {
  it('stores the customer, order and items with source and confidence, and marks the job succeeded', async () => {
    fake.script({ kind: 'reply', content: PIZZA_RESULT });
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await queue.enqueue(callId);
    expect(await settled(startWorker(), callId)).toBe('succeeded');
    expect(await jobOf(db.orm, callId)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      source: 'deepseek',
    });
    expect(await orderOf(db.orm, callId)).toMatchObject({
      source: 'deepseek',
      confidence: 0.92,
      currency: 'USD',
      total: '33.50',
      customer_name: 'Anna Rossi',
      items: [
        { name: 'pepperoni pizza', size: 'large', quantity: 2, unit_price: '15.50' },
        { name: 'coke', size: null, quantity: 1, unit_price: '2.50' },
      ],
    });
  });

  it("stores notes and free text redacted like the transcript when the call's agent redacts PII", async () => {
    const notes = 'paid by card 4111 1111 1111 1111, security code 123; call back on 415 555 1234';
    fake.script({ kind: 'reply', content: { ...PIZZA_RESULT, notes } });
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await db.orm.em.fork().execute('update calls set redact_pii = 1 where id = ?', [callId]);
    await queue.enqueue(callId);
    expect(await settled(startWorker(), callId)).toBe('succeeded');
    const [order] = await db.orm.em
      .fork()
      .execute<{ notes: string }[]>('select notes from orders where call_id = ?', [callId]);
    expect(order?.notes).toBe('paid by card [card], security code [cvv]; call back on [phone]');
    const [job] = await db.orm.em
      .fork()
      .execute<{ result: unknown }[]>('select result from extraction_jobs where call_id = ?', [callId]);
    expect(JSON.stringify(job?.result)).toContain('[card]');
    expect(JSON.stringify(job?.result)).not.toMatch(/4111|415 555/);
    // The structured delivery phone stays: delivery needs it.
    expect(await orderOf(db.orm, callId)).toMatchObject({ customer_name: 'Anna Rossi' });
  });

  it("never stores a phone number heard in part as the customer's: left out, and the notes say so", async () => {
    const customer = { ...PIZZA_RESULT.customer, phone: '512-34567' };
    fake.script({ kind: 'reply', content: { ...PIZZA_RESULT, customer, notes: null } });
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await queue.enqueue(callId);
    expect(await settled(startWorker(), callId)).toBe('succeeded');
    const [row] = await db.orm.em
      .fork()
      .execute<{ phone: string | null; notes: string | null }[]>(
        'select c.phone, o.notes from orders o join customers c on c.id = o.customer_id where o.call_id = ?',
        [callId],
      );
    expect(row).toEqual({ phone: null, notes: 'phone heard in part (8 digits), left out' });
    const [job] = await db.orm.em
      .fork()
      .execute<{ result: unknown }[]>('select result from extraction_jobs where call_id = ?', [callId]);
    expect(JSON.stringify(job?.result)).not.toContain('512-34567');
  });

  it('retries 429 and 500 with backoff and completes', async () => {
    fake.script(
      { kind: 'error', status: 429, retryAfterS: 0 },
      { kind: 'error', status: 500 },
      { kind: 'reply', content: PIZZA_RESULT },
    );
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await queue.enqueue(callId);
    const worker = startWorker();
    const reasons: string[] = [];
    worker.on('retrying', (e) => reasons.push(e.reason));
    expect(await settled(worker, callId)).toBe('succeeded');
    expect(reasons).toEqual([
      expect.stringMatching(/^provider_rate_limited/),
      expect.stringMatching(/^provider_error/),
    ]);
    expect(await jobOf(db.orm, callId)).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect((await orderOf(db.orm, callId))?.items).toHaveLength(2);
  });

  it('retries invalid output with the validation error, then fails the job with the reason and stores nothing', async () => {
    fake.script(
      ...Array.from({ length: 8 }, () => ({ kind: 'reply' as const, content: 'I think they wanted pizza' })),
    );
    const q = new ExtractionJobQueue(db.orm, { maxAttempts: 2, backoff: { baseMs: 20, maxMs: 50 } });
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await q.enqueue(callId);
    expect(await settled(startWorker({ q, validationRetries: 1 }), callId)).toBe('failed');
    // 2 attempts x (first answer + one correction round).
    expect(fake.requests).toHaveLength(4);
    expect(fake.requests[1]?.body.messages.at(-1)?.content).toMatch(/rejected: output is not valid JSON/);
    const job = await jobOf(db.orm, callId);
    expect(job).toMatchObject({ status: 'failed', attempts: 2, lease_owner: null });
    expect(job?.last_error).toMatch(/^invalid_output: .*not valid JSON.*gave up after 2 attempts/);
    expect(await orderOf(db.orm, callId)).toBeUndefined();
  });

  it('keeps retrying while the provider is down and completes once it is back', async () => {
    await fake.stop();
    const callId = await seedCall(db.orm, PIZZA_CALL);
    const q = new ExtractionJobQueue(db.orm, { maxAttempts: 20, backoff: { baseMs: 20, maxMs: 100 } });
    await q.enqueue(callId);
    const worker = startWorker({ q });
    const retries: string[] = [];
    worker.on('retrying', (e) => retries.push(e.reason));
    while (retries.length < 3) await once(worker, 'retrying');
    expect(retries.every((r) => r.startsWith('provider_unreachable'))).toBe(true);
    fake.script({ kind: 'reply', content: PIZZA_RESULT });
    await fake.start();
    expect(await settled(worker, callId)).toBe('succeeded');
    expect((await jobOf(db.orm, callId))?.attempts).toBeGreaterThanOrEqual(4);
  });

  it('takes over the job of a worker whose lease expired (it crashed) and completes it', async () => {
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await queue.enqueue(callId);
    const dead = await queue.claim('crashed-worker', 200);
    expect(dead?.callId).toBe(callId);
    fake.script({ kind: 'reply', content: PIZZA_RESULT });
    const worker = startWorker();
    expect(await settled(worker, callId)).toBe('succeeded');
    expect(await jobOf(db.orm, callId)).toMatchObject({ status: 'succeeded', attempts: 2 });
    // The crashed worker coming back cannot overwrite the result.
    if (!dead) throw new Error('no job claimed');
    expect(await queue.fail(dead, 'late failure', { retryable: true })).toEqual({ status: 'lost' });
    expect((await jobOf(db.orm, callId))?.status).toBe('succeeded');
  });

  it('runs every job exactly once across competing workers and loses none under random failures', async () => {
    fake = await fake.stop().then(() =>
      new FakeChatCompletions({
        apiKey: 'sk-test',
        fallback: () =>
          Math.random() < 0.3 ? { kind: 'error', status: 500 } : { kind: 'reply', content: PIZZA_RESULT },
      }).start(),
    );
    const calls = await Promise.all(Array.from({ length: 12 }, () => seedCall(db.orm, PIZZA_CALL)));
    const before = await queue.counts();
    for (const callId of calls) await queue.enqueue(callId);
    // Enqueuing twice keeps one job per call.
    await queue.enqueue(calls[0] as string);
    const a = startWorker();
    const b = startWorker();
    const done = new Set<string>();
    await new Promise<void>((resolve) => {
      const settle = (e: { callId: string }) => {
        done.add(e.callId);
        if (calls.every((c) => done.has(c))) resolve();
      };
      for (const w of [a, b]) {
        w.on('succeeded', settle);
        w.on('failed', settle);
      }
    });
    const after = await queue.counts();
    expect(after.succeeded + after.failed - before.succeeded - before.failed).toBe(12);
    expect(after.pending + after.running).toBe(0);
    const succeeded = (await Promise.all(calls.map((c) => jobOf(db.orm, c)))).filter(
      (j) => j?.status === 'succeeded',
    );
    const completions = fake.requests.length;
    const attempts = (await Promise.all(calls.map((c) => jobOf(db.orm, c)))).reduce(
      (n, j) => n + (j?.attempts ?? 0),
      0,
    );
    // One HTTP request per attempt: no attempt ran twice.
    expect(completions).toBe(attempts);
    for (const job of succeeded) expect(job?.source).toBe('deepseek');
  });

  it('releases the job in hand on stop without spending an attempt', async () => {
    fake.script({ kind: 'hang' });
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await queue.enqueue(callId);
    const worker = startWorker();
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(await jobOf(db.orm, callId)).toMatchObject({ status: 'pending', attempts: 0, lease_owner: null });
  });
});
