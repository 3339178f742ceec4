import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChatCompletions } from '../../../test/helpers/fakeChatCompletions.ts';
import { DeepSeekExtractor } from '../../src/extraction/DeepSeekExtractor.ts';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import { ExtractionWorker } from '../../src/extraction/jobs/ExtractionWorker.ts';
import { orderOf, PIZZA_CALL, PIZZA_RESULT, seedCall } from '../extraction/seed.ts';
import { errorCode } from '../http/harness.ts';
import { type ApiHarness, startApiHarness } from './apiHarness.ts';

let h: ApiHarness;
const jobs: { succeeded: number; failed: number; failedToo: number; callOk: string; callFailed: string } = {
  succeeded: 0,
  failed: 0,
  failedToo: 0,
  callOk: '',
  callFailed: '',
};

/** One succeeded and two failed jobs, made by the real worker against the loopback chat-completions server. */
beforeAll(async () => {
  h = await startApiHarness();
  const fake = await new FakeChatCompletions({ apiKey: 'k' }).start();
  fake.script({ kind: 'reply', content: PIZZA_RESULT });
  // One attempt each; the script is then empty, so the server answers 500: failed for good.
  const queue = new ExtractionJobQueue(h.db.orm, { maxAttempts: 1 });
  const worker = new ExtractionWorker({
    orm: h.db.orm,
    queue,
    extractor: new DeepSeekExtractor({
      baseUrl: fake.baseUrl,
      model: 'deepseek-chat',
      apiKey: 'k',
      validationRetries: 0,
    }),
    pollIntervalMs: 20,
  });
  jobs.callOk = await seedCall(h.db.orm, PIZZA_CALL);
  jobs.callFailed = await seedCall(h.db.orm, PIZZA_CALL);
  const callFailedToo = await seedCall(h.db.orm, PIZZA_CALL);
  const settled = new Promise<void>((resolve) => {
    let n = 0;
    const one = () => ++n === 3 && resolve();
    worker.on('succeeded', one);
    worker.on('failed', one);
  });
  jobs.succeeded = await queue.enqueue(jobs.callOk);
  worker.start();
  jobs.failed = await queue.enqueue(jobs.callFailed);
  jobs.failedToo = await queue.enqueue(callFailedToo);
  await settled;
  await worker.stop();
  await fake.stop();
});
afterAll(async () => {
  await h?.close();
});

const post = async (path: string, role: 'admin' | 'supervisor' | 'agent', body?: unknown) =>
  h.request('POST', path, { token: await h.token(role), ...(body === undefined ? {} : { body }) });

async function auditActions(jobId: number) {
  return h.db.orm.em
    .fork()
    .execute<{ action: string; details: string | Record<string, unknown> }[]>(
      "select action, details from audit_events where target_type = 'extraction_job' and target_id = ? order by id",
      [String(jobId)],
    );
}

describe('extraction review API', () => {
  it('lists jobs by status, and shows one with its failure reason', async () => {
    const token = await h.token('agent');
    const failed = (await (
      await h.request('GET', '/api/extraction/jobs?status=failed', { token })
    ).json()) as {
      items: { jobId: number; lastError: string }[];
    };
    expect(failed.items.map((j) => j.jobId).sort()).toEqual([jobs.failed, jobs.failedToo].sort());
    expect(failed.items[0]?.lastError).toMatch(/^provider_error: .*500/);
    const one = (await (
      await h.request('GET', `/api/extraction/jobs/${jobs.succeeded}`, { token })
    ).json()) as Record<string, unknown>;
    expect(one).toMatchObject({
      status: 'succeeded',
      source: 'deepseek',
      reviewStatus: 'unreviewed',
      result: PIZZA_RESULT,
    });
    expect(one.order).toMatchObject({ total: '33.50', customer: { name: 'Anna Rossi' } });
  });

  it('approves a succeeded extraction, audit-logged; refuses to approve a failed one', async () => {
    const ok = await post(`/api/extraction/jobs/${jobs.succeeded}/approve`, 'supervisor', {
      note: 'looks right',
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { reviewStatus: string }).reviewStatus).toBe('approved');
    const refused = await post(`/api/extraction/jobs/${jobs.failed}/approve`, 'supervisor', {});
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('extraction_not_reviewable');
    expect((await auditActions(jobs.succeeded)).map((a) => a.action)).toEqual(['extraction.approve']);
  });

  it('corrects a result: the stored order is replaced and the audit keeps what changed, without customer data', async () => {
    const corrected = {
      ...PIZZA_RESULT,
      items: [{ name: 'pepperoni pizza', size: 'medium', quantity: 3, unit_price: 12.5 }],
    };
    const res = await post(`/api/extraction/jobs/${jobs.succeeded}/correct`, 'admin', {
      result: corrected,
      note: 'caller said medium',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { reviewStatus: string }).reviewStatus).toBe('corrected');
    expect(await orderOf(h.db.orm, jobs.callOk)).toMatchObject({
      source: 'deepseek',
      total: '37.50',
      items: [{ name: 'pepperoni pizza', size: 'medium', quantity: 3, unit_price: '12.50' }],
    });
    const [, correction] = await auditActions(jobs.succeeded);
    const details =
      typeof correction?.details === 'string' ? JSON.parse(correction.details) : correction?.details;
    expect(correction?.action).toBe('extraction.correct');
    expect(details.changed).toEqual(['items']);
    expect(details.before).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(details.after).not.toBe(details.before);
    expect(details.note).toMatch(/^sha256:/);
    const row = JSON.stringify(details);
    for (const pii of ['Anna Rossi', 'pepperoni', 'caller said medium']) expect(row).not.toContain(pii);
  });

  it('completes a failed job by hand (source human) and retries another', async () => {
    const res = await post(`/api/extraction/jobs/${jobs.failed}/correct`, 'supervisor', {
      result: PIZZA_RESULT,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'succeeded',
      reviewStatus: 'corrected',
      source: 'human',
    });
    expect((await orderOf(h.db.orm, jobs.callFailed))?.source).toBe('human');
    const retried = await post(`/api/extraction/jobs/${jobs.failedToo}/retry`, 'supervisor');
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await errorCode(await post(`/api/extraction/jobs/${jobs.failedToo}/retry`, 'supervisor'))).toBe(
      'extraction_not_failed',
    );
    expect((await auditActions(jobs.failedToo)).map((a) => a.action)).toEqual(['extraction.retry']);
  });

  it('refuses a correction whose phone number is heard in part or cannot be dialled, and takes a dialable one', async () => {
    const withPhone = (phone: string) => ({
      result: { ...PIZZA_RESULT, customer: { ...PIZZA_RESULT.customer, phone } },
    });
    const correct = (phone: string) =>
      post(`/api/extraction/jobs/${jobs.succeeded}/correct`, 'admin', withPhone(phone));
    // heard in part; ten digits, but no North American exchange starts with 1 (a number misheard)
    for (const refused of ['512-34567', '555-123-4567']) {
      const response = await correct(refused);
      expect(response.status, refused).toBe(400);
      expect(await errorCode(response)).toBe('validation_failed');
    }
    expect((await correct('1-555-321-4567')).status).toBe(200);
  });

  it('validates corrections and ids, and keeps review to supervisors and admins', async () => {
    const bad = await post(`/api/extraction/jobs/${jobs.succeeded}/correct`, 'admin', {
      result: { ...PIZZA_RESULT, confidence: 3, items: [{ name: '', quantity: 0 }] },
    });
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('validation_failed');
    expect(await errorCode(await post('/api/extraction/jobs/999999/approve', 'admin', {}))).toBe(
      'extraction_job_not_found',
    );
    expect(await errorCode(await post('/api/extraction/jobs/abc/approve', 'admin', {}))).toBe(
      'validation_failed',
    );
    expect((await post(`/api/extraction/jobs/${jobs.succeeded}/approve`, 'agent', {})).status).toBe(403);
  });
});
