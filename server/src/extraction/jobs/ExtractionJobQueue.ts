import { IsolationLevel, type QueryResult } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '../../db/orm.ts';
import { type BackoffOptions, backoffDelayMs, DEFAULT_BACKOFF } from './backoff.ts';

/** A job as the worker sees it once claimed. */
export interface ClaimedJob {
  id: number;
  callId: string;
  /** Including the attempt just claimed. */
  attempts: number;
  maxAttempts: number;
  leaseOwner: string;
}

export interface FailOptions {
  retryable: boolean;
  retryAfterMs?: number;
}

export type FailOutcome =
  | { status: 'pending'; retryInMs: number }
  | { status: 'failed' }
  | { status: 'lost' };

export interface ExtractionJobQueueOptions {
  maxAttempts: number;
  backoff?: BackoffOptions;
}

/** Drops the unredacted words kept for a call's extraction (see TranscriptSegment.extractionText). */
async function forgetExtractionText(em: EntityManager, callId: string): Promise<void> {
  await em.execute(
    'update transcript_segments set extraction_text = null where call_id = ? and extraction_text is not null',
    [callId],
    'run',
  );
}

/**
 * Durable extraction jobs in MySQL. Claiming takes the oldest due row with SELECT ... FOR UPDATE SKIP LOCKED (so
 * several workers never take the same job) and gives it a lease; a job whose worker died is due again once its
 * lease expires. Every state change after the claim is fenced on the lease owner, so a worker that lost its lease
 * cannot overwrite the result of the one that took over. Times are the database's (UTC_TIMESTAMP), never a
 * process clock.
 */
export class ExtractionJobQueue {
  readonly #orm: MikroORM;
  readonly #maxAttempts: number;
  readonly #backoff: BackoffOptions;

  constructor(orm: MikroORM, options: ExtractionJobQueueOptions) {
    this.#orm = orm;
    this.#maxAttempts = options.maxAttempts;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Queues extraction of a call; enqueuing the same call twice keeps one job. Returns the job id. */
  async enqueue(callId: string, em: EntityManager = this.#orm.em.fork()): Promise<number> {
    await em.execute<QueryResult>(
      `insert into extraction_jobs (call_id, status, attempts, max_attempts, run_after, review_status, created_at, updated_at)
       values (?, 'pending', 0, ?, utc_timestamp(3), 'unreviewed', utc_timestamp(3), utc_timestamp(3))
       on duplicate key update id = id`,
      [callId, this.#maxAttempts],
      'run',
    );
    const [row] = await em.execute<{ id: number }[]>('select id from extraction_jobs where call_id = ?', [
      callId,
    ]);
    if (!row) throw new Error(`extraction job for call ${callId} was not stored`);
    return row.id;
  }

  /**
   * Takes the next due job for `owner` for `leaseMs`, or null when none is due: a pending job whose backoff is
   * over, else a running one whose lease expired (its worker died). Each branch walks the (status, run_after)
   * index in order under READ COMMITTED, so a claimer locks only the row it takes and concurrent claimers skip it.
   */
  async claim(owner: string, leaseMs: number): Promise<ClaimedJob | null> {
    return this.#orm.em.fork().transactional(
      async (em) => {
        type Row = { id: number; call_id: string; attempts: number; max_attempts: number };
        const [due] = await em.execute<Row[]>(
          `select id, call_id, attempts, max_attempts from extraction_jobs
           where status = 'pending' and run_after <= utc_timestamp(3)
           order by run_after, id limit 1 for update skip locked`,
        );
        const [row] = due
          ? [due]
          : await em.execute<Row[]>(
              `select id, call_id, attempts, max_attempts from extraction_jobs
               where status = 'running' and lease_expires_at < utc_timestamp(3)
               order by lease_expires_at, id limit 1 for update skip locked`,
            );
        if (!row) return null;
        await em.execute<QueryResult>(
          `update extraction_jobs
           set status = 'running', attempts = attempts + 1, lease_owner = ?,
               lease_expires_at = utc_timestamp(3) + interval ? microsecond, updated_at = utc_timestamp(3)
           where id = ?`,
          [owner, leaseMs * 1000, row.id],
          'run',
        );
        return {
          id: row.id,
          callId: row.call_id,
          attempts: row.attempts + 1,
          maxAttempts: row.max_attempts,
          leaseOwner: owner,
        };
      },
      { isolationLevel: IsolationLevel.READ_COMMITTED },
    );
  }

  /** Extends the lease of a running job; false when it is no longer ours (expired and taken over). */
  async renew(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    const result = await this.#orm.em.fork().execute<QueryResult>(
      `update extraction_jobs set lease_expires_at = utc_timestamp(3) + interval ? microsecond
         where id = ? and status = 'running' and lease_owner = ?`,
      [leaseMs * 1000, job.id, job.leaseOwner],
      'run',
    );
    return result.affectedRows === 1;
  }

  /**
   * Marks the job succeeded inside the caller's transaction (the one that stored the results), fenced on the lease,
   * and clears the call's unredacted transcript copies with it. Returns false when the lease was lost: the caller
   * must roll back.
   */
  async markSucceeded(
    em: EntityManager,
    job: ClaimedJob,
    fields: { source: string; confidence: number; result: unknown },
  ): Promise<boolean> {
    const result = await em.execute<QueryResult>(
      `update extraction_jobs
       set status = 'succeeded', source = ?, confidence = ?, result = ?, last_error = null, lease_owner = null,
           lease_expires_at = null, completed_at = utc_timestamp(3), updated_at = utc_timestamp(3)
       where id = ? and status = 'running' and lease_owner = ?`,
      [fields.source, fields.confidence, JSON.stringify(fields.result), job.id, job.leaseOwner],
      'run',
    );
    if (result.affectedRows !== 1) return false;
    await forgetExtractionText(em, job.callId);
    return true;
  }

  /**
   * Records a failed attempt: back to pending with backoff (the unredacted transcript copies stay for the retry),
   * or failed for good with the reason, clearing those copies in the same transaction. Never deletes the job.
   */
  async fail(job: ClaimedJob, reason: string, options: FailOptions): Promise<FailOutcome> {
    const final = !options.retryable || job.attempts >= job.maxAttempts;
    const message =
      final && options.retryable ? `${reason} (gave up after ${job.attempts} attempts)` : reason;
    const retryInMs = final ? 0 : backoffDelayMs(job.attempts, this.#backoff, options.retryAfterMs);
    const ours = await this.#orm.em.fork().transactional(
      async (em) => {
        const result = await em.execute<QueryResult>(
          `update extraction_jobs
             set status = ?, last_error = ?, run_after = utc_timestamp(3) + interval ? microsecond,
                 lease_owner = null, lease_expires_at = null, updated_at = utc_timestamp(3),
                 completed_at = if(? = 'failed', utc_timestamp(3), null)
             where id = ? and status = 'running' and lease_owner = ?`,
          [
            final ? 'failed' : 'pending',
            message.slice(0, 60_000),
            retryInMs * 1000,
            final ? 'failed' : 'pending',
            job.id,
            job.leaseOwner,
          ],
          'run',
        );
        if (result.affectedRows !== 1) return false;
        if (final) await forgetExtractionText(em, job.callId);
        return true;
      },
      { isolationLevel: IsolationLevel.READ_COMMITTED },
    );
    if (!ours) return { status: 'lost' };
    return final ? { status: 'failed' } : { status: 'pending', retryInMs };
  }

  /** Gives a claimed job back without spending its attempt (graceful shutdown). */
  async release(job: ClaimedJob): Promise<boolean> {
    const result = await this.#orm.em.fork().execute<QueryResult>(
      `update extraction_jobs
         set status = 'pending', attempts = greatest(attempts - 1, 0), run_after = utc_timestamp(3),
             lease_owner = null, lease_expires_at = null, updated_at = utc_timestamp(3)
         where id = ? and status = 'running' and lease_owner = ?`,
      [job.id, job.leaseOwner],
      'run',
    );
    return result.affectedRows === 1;
  }

  /**
   * Puts a failed job back in the queue with a fresh attempt budget (operator action). It reads the stored,
   * redacted transcript: the unredacted copies went when the job failed.
   */
  async requeue(jobId: number): Promise<boolean> {
    const result = await this.#orm.em.fork().execute<QueryResult>(
      `update extraction_jobs set status = 'pending', attempts = 0, run_after = utc_timestamp(3), updated_at = utc_timestamp(3)
         where id = ? and status = 'failed'`,
      [jobId],
      'run',
    );
    return result.affectedRows === 1;
  }

  /** Counts by status, for metrics and tests. */
  async counts(): Promise<Record<'pending' | 'running' | 'succeeded' | 'failed', number>> {
    const rows = await this.#orm.em
      .fork()
      .execute<{ status: string; n: number }[]>(
        'select status, count(*) as n from extraction_jobs group by status',
      );
    const counts = { pending: 0, running: 0, succeeded: 0, failed: 0 };
    for (const row of rows) counts[row.status as keyof typeof counts] = Number(row.n);
    return counts;
  }
}
