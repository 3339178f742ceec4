import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/extraction/jobs/backoff.ts';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jobOf, PIZZA_CALL, seedCall } from './seed.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Claims until the queue is empty, so each test starts with nothing due. */
async function drain(queue: ExtractionJobQueue): Promise<void> {
  for (;;) {
    const job = await queue.claim('drain', 60_000);
    if (!job) return;
    await queue.fail(job, 'drained', { retryable: false });
  }
}

describe('backoffDelayMs', () => {
  it('doubles per attempt with 50-100% jitter, is capped, and honours a longer Retry-After', () => {
    const options = { baseMs: 1000, maxMs: 10_000 };
    expect(backoffDelayMs(1, options, undefined, () => 0)).toBe(500);
    expect(backoffDelayMs(1, options, undefined, () => 1)).toBe(1000);
    expect(backoffDelayMs(3, options, undefined, () => 1)).toBe(4000);
    expect(backoffDelayMs(20, options, undefined, () => 1)).toBe(10_000);
    expect(backoffDelayMs(1, options, 7000, () => 0)).toBe(7000);
    expect(backoffDelayMs(1, options, 60_000, () => 0)).toBe(10_000);
  });
});

describe('ExtractionJobQueue', () => {
  it('gives concurrent claimers different jobs, never the same one twice', async () => {
    const queue = new ExtractionJobQueue(db.orm, { maxAttempts: 3 });
    await drain(queue);
    const calls = await Promise.all(Array.from({ length: 6 }, () => seedCall(db.orm, PIZZA_CALL)));
    for (const c of calls) await queue.enqueue(c);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => queue.claim(`w${i}`, 60_000)));
    const claimed = claims.filter((c) => c !== null).map((c) => c.callId);
    expect(claimed.sort()).toEqual([...calls].sort());
    expect(await queue.claim('late', 60_000)).toBeNull();
  });

  it('backs a failed attempt off, then fails the job for good with the reason once attempts run out', async () => {
    const queue = new ExtractionJobQueue(db.orm, { maxAttempts: 2, backoff: { baseMs: 300, maxMs: 300 } });
    await drain(queue);
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await queue.enqueue(callId);
    const first = await queue.claim('w', 60_000);
    expect(first).toMatchObject({ callId, attempts: 1, maxAttempts: 2 });
    const retry = await queue.fail(first as NonNullable<typeof first>, 'provider_error: 500', {
      retryable: true,
    });
    expect(retry.status).toBe('pending');
    expect(await queue.claim('w', 60_000)).toBeNull();
    await new Promise((r) => setTimeout(r, 350));
    const second = await queue.claim('w', 60_000);
    expect(second?.attempts).toBe(2);
    expect(
      await queue.fail(second as NonNullable<typeof second>, 'provider_error: 500', { retryable: true }),
    ).toEqual({
      status: 'failed',
    });
    expect(await jobOf(db.orm, callId)).toMatchObject({
      status: 'failed',
      last_error: 'provider_error: 500 (gave up after 2 attempts)',
    });
    // A failed job is kept, and an operator can queue it again with a fresh budget.
    expect(await queue.requeue((await jobOf(db.orm, callId))?.id as number)).toBe(true);
    expect(await queue.claim('w', 60_000)).toMatchObject({ callId, attempts: 1 });
  });

  it('fails a non-retryable error at once, and releases on shutdown without spending the attempt', async () => {
    const queue = new ExtractionJobQueue(db.orm, { maxAttempts: 5 });
    await drain(queue);
    const a = await seedCall(db.orm, PIZZA_CALL);
    const b = await seedCall(db.orm, PIZZA_CALL);
    await queue.enqueue(a);
    await queue.enqueue(b);
    const jobA = await queue.claim('w', 60_000);
    const jobB = await queue.claim('w', 60_000);
    if (!jobA || !jobB) throw new Error('expected two jobs');
    expect(await queue.fail(jobA, 'provider_rejected: 401', { retryable: false })).toEqual({
      status: 'failed',
    });
    expect(await queue.release(jobB)).toBe(true);
    expect(await jobOf(db.orm, jobB.callId)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('renews a lease only for its owner', async () => {
    const queue = new ExtractionJobQueue(db.orm, { maxAttempts: 3 });
    await drain(queue);
    await queue.enqueue(await seedCall(db.orm, PIZZA_CALL));
    const job = await queue.claim('owner', 60_000);
    if (!job) throw new Error('expected a job');
    expect(await queue.renew(job, 60_000)).toBe(true);
    expect(await queue.renew({ ...job, leaseOwner: 'intruder' }, 60_000)).toBe(false);
  });
});
