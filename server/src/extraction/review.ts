import { recordAudit } from '../calls/auditLog.ts';
import type { EntityManager, MikroORM } from '../db/orm.ts';
import type { ExtractionJobQueue } from './jobs/ExtractionJobQueue.ts';
import { type ExtractionResult, ExtractionResultSchema, type ExtractionSource } from './schema.ts';
import { storeExtraction } from './store.ts';

export type ReviewErrorCode =
  | 'extraction_job_not_found'
  | 'extraction_not_reviewable'
  | 'extraction_not_failed';

export class ReviewError extends Error {
  readonly code: ReviewErrorCode;

  constructor(code: ReviewErrorCode, message: string) {
    super(message);
    this.name = 'ReviewError';
    this.code = code;
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
}

/**
 * Human review of extraction results: approve what was stored, or correct it (the order rows are replaced and
 * the job keeps the corrected result); a failed job can be completed by hand or sent back to the queue.
 * Every action is audit-logged in the same transaction, with the result before and after.
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
        details: { callId: job.call_id, previousReview: job.review_status, ...(note ? { note } : {}) },
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
    const result = ExtractionResultSchema.parse(corrected);
    await this.#orm.em.fork().transactional(async (em) => {
      const job = await lockJob(em, jobId);
      if (job.status !== 'succeeded' && job.status !== 'failed') {
        throw new ReviewError(
          'extraction_not_reviewable',
          `Job ${jobId} is still ${job.status}: wait for it to finish before correcting it.`,
        );
      }
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
          before: typeof job.result === 'string' ? JSON.parse(job.result) : job.result,
          after: result,
          ...(note ? { note } : {}),
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
    'select id, call_id, status, source, result, review_status from extraction_jobs where id = ? for update',
    [jobId],
  );
  if (!job) throw new ReviewError('extraction_job_not_found', `No extraction job ${jobId}.`);
  return job;
}
