import { CodedError } from '@voiceroom/protocol';
import { auditFingerprint, recordAudit } from '../calls/auditLog.ts';
import type { EntityManager, MikroORM } from '../db/orm.ts';
import type { ExtractionJobQueue } from './jobs/ExtractionJobQueue.ts';
import { redactExtractionResult } from './redactResult.ts';
import { CorrectedResultSchema, type ExtractionResult, type ExtractionSource } from './schema.ts';
import { storeExtraction } from './store.ts';

export type ReviewErrorCode =
  | 'extraction_job_not_found'
  | 'extraction_not_reviewable'
  | 'extraction_not_failed';

export class ReviewError extends CodedError<ReviewErrorCode> {
  constructor(code: ReviewErrorCode, message: string) {
    super(code, message);
    this.name = 'ReviewError';
  }
}

export interface Reviewer {
  id: string;
  role: string;
}

interface JobRow {
  id: number;
  call_id: string;
  status: string;
  source: string | null;
  result: string | object | null;
  review_status: string;
  redact_pii: number | null;
}

/**
 * Human review of extraction results: approve what was stored, or correct it (the order rows are replaced and
 * the job keeps the corrected result); a failed job can be completed by hand or sent back to the queue.
 * Every action is audit-logged in the same transaction: which fields changed and fingerprints of the result before
 * and after (never the customer's data itself). A correction is stored redacted when the call's agent redacts PII.
 */
export class ExtractionReview {
  readonly #orm: MikroORM;
  readonly #queue: Pick<ExtractionJobQueue, 'requeue'>;

  constructor(orm: MikroORM, queue: Pick<ExtractionJobQueue, 'requeue'>) {
    this.#orm = orm;
    this.#queue = queue;
  }

  async approve(jobId: number, reviewer: Reviewer, note?: string): Promise<void> {
    await this.#orm.em.fork().transactional(async (em) => {
      const job = await lockJob(em, jobId);
      if (job.status !== 'succeeded') {
        throw new ReviewError(
          'extraction_not_reviewable',
          `Job ${jobId} is ${job.status}: only a succeeded extraction can be approved (correct it instead).`,
        );
      }
      await em.execute(
        `update extraction_jobs set review_status = 'approved', reviewed_by = ?, reviewed_at = utc_timestamp(3),
         updated_at = utc_timestamp(3) where id = ?`,
        [reviewer.id, jobId],
        'run',
      );
      await recordAudit(em, {
        actor: reviewer,
        action: 'extraction.approve',
        targetType: 'extraction_job',
        targetId: String(jobId),
        details: { callId: job.call_id, previousReview: job.review_status, ...noteFingerprint(note) },
      });
    });
  }

  /** Replaces the stored result and order with `corrected` (validated), marked corrected by the reviewer. */
  async correct(
    jobId: number,
    corrected: ExtractionResult,
    reviewer: Reviewer,
    note?: string,
  ): Promise<void> {
    const parsed = CorrectedResultSchema.parse(corrected);
    await this.#orm.em.fork().transactional(async (em) => {
      const job = await lockJob(em, jobId);
      const result = job.redact_pii === 0 ? parsed : redactExtractionResult(parsed);
      if (job.status !== 'succeeded' && job.status !== 'failed') {
        throw new ReviewError(
          'extraction_not_reviewable',
          `Job ${jobId} is still ${job.status}: wait for it to finish before correcting it.`,
        );
      }
      const before = (
        typeof job.result === 'string' ? JSON.parse(job.result) : job.result
      ) as ExtractionResult | null;
      const source = (job.status === 'succeeded' && job.source ? job.source : 'human') as
        | ExtractionSource
        | 'human';
      await storeExtraction(em, job.call_id, result, source);
      await em.execute(
        `update extraction_jobs set status = 'succeeded', result = ?, confidence = ?, source = ?,
           review_status = 'corrected', reviewed_by = ?, reviewed_at = utc_timestamp(3),
           completed_at = coalesce(completed_at, utc_timestamp(3)), updated_at = utc_timestamp(3)
         where id = ?`,
        [JSON.stringify(result), result.confidence, source, reviewer.id, jobId],
        'run',
      );
      await recordAudit(em, {
        actor: reviewer,
        action: 'extraction.correct',
        targetType: 'extraction_job',
        targetId: String(jobId),
        details: {
          callId: job.call_id,
          previousStatus: job.status,
          changed: changedFields(before, result),
          before: auditFingerprint(before),
          after: auditFingerprint(result),
          ...noteFingerprint(note),
        },
      });
    });
  }

  /** Sends a failed job back to the queue with a fresh attempt budget. */
  async retry(jobId: number, reviewer: Reviewer): Promise<void> {
    await this.#orm.em.fork().transactional(async (em) => {
      const job = await lockJob(em, jobId);
      if (job.status !== 'failed') {
        throw new ReviewError(
          'extraction_not_failed',
          `Job ${jobId} is ${job.status}: only a failed job can be retried.`,
        );
      }
      await recordAudit(em, {
        actor: reviewer,
        action: 'extraction.retry',
        targetType: 'extraction_job',
        targetId: String(jobId),
        details: { callId: job.call_id },
      });
    });
    await this.#queue.requeue(jobId);
  }
}

async function lockJob(em: EntityManager, jobId: number): Promise<JobRow> {
  const [job] = await em.execute<JobRow[]>(
    `select j.id, j.call_id, j.status, j.source, j.result, j.review_status, c.redact_pii
     from extraction_jobs j left join calls c on c.id = j.call_id where j.id = ? for update`,
    [jobId],
  );
  if (!job) throw new ReviewError('extraction_job_not_found', `No extraction job ${jobId}.`);
  return job;
}

/** A reviewer's note may quote the customer: the audit keeps its fingerprint only. */
function noteFingerprint(note: string | undefined): { note?: string } {
  return note ? { note: auditFingerprint(note) } : {};
}

/** Which parts of a result a correction changed, by name ('customer.phone', 'items', ...). */
function changedFields(before: ExtractionResult | null, after: ExtractionResult): string[] {
  const fields: string[] = [];
  for (const key of ['name', 'address', 'phone', 'email'] as const) {
    if (before?.customer?.[key] !== after.customer[key]) fields.push(`customer.${key}`);
  }
  for (const key of ['items', 'currency', 'confidence', 'notes'] as const) {
    if (JSON.stringify(before?.[key] ?? null) !== JSON.stringify(after[key])) fields.push(key);
  }
  return fields;
}
