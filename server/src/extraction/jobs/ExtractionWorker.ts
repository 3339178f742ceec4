import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { IsolationLevel } from '@mikro-orm/core';
import type { AgentConfig } from '@voiceroom/protocol';
import type { MikroORM } from '../../db/orm.ts';
import { createLogger, type Logger } from '../../log.ts';
import { withDialablePhone } from '../dialablePhone.ts';
import { ExtractionError } from '../errors.ts';
import type { ExtractorProvider } from '../factory.ts';
import { checkAgainstMenu } from '../menuCheck.ts';
import { redactExtractionResult } from '../redactResult.ts';
import type { ExtractionResult, Extractor } from '../schema.ts';
import { loadCallTranscript, storeExtraction } from '../store.ts';
import type { ClaimedJob, ExtractionJobQueue } from './ExtractionJobQueue.ts';

export interface ExtractionWorkerEvents {
  succeeded: [{ jobId: number; callId: string; orderId: number | null; attempts: number }];
  retrying: [{ jobId: number; callId: string; attempts: number; retryInMs: number; reason: string }];
  failed: [{ jobId: number; callId: string; attempts: number; reason: string }];
}

export interface ExtractionWorkerOptions {
  orm: MikroORM;
  queue: ExtractionJobQueue;
  /** One extractor for every call, or a provider that picks one per call from the call's agent. */
  extractor: Extractor | ExtractorProvider;
  /** Where the call's agent configuration is read (for the provider); without it the provider gets undefined. */
  agentConfigs?: { get(id: string): Promise<AgentConfig | undefined> };
  /** Identifies this process in lease_owner (default host:pid:random). */
  owner?: string;
  /** How long a claim holds without renewal; renewed every third of it while the attempt runs. */
  leaseMs?: number;
  /** Sleep between polls when no job is due (enqueue in this process wakes the worker at once). */
  pollIntervalMs?: number;
  /** One attempt (transcript load, model call, storing) is abandoned after this long. */
  attemptTimeoutMs?: number;
  logger?: Logger;
}

const EMPTY_RESULT: ExtractionResult = {
  customer: { name: null, address: null, phone: null, email: null },
  items: [],
  currency: null,
  confidence: 1,
  notes: 'The call has no transcript: nothing to extract.',
};

/**
 * Runs extraction jobs one at a time: claim, read the transcript (with the caller's original words where the
 * stored text is redacted), extract, store customer/order rows and mark the job succeeded in one transaction. A
 * failed attempt goes back to the queue with backoff until the attempts run out, then the job is failed with the
 * reason; either final state clears the original words. Stopping releases the job in hand without spending an
 * attempt.
 */
export class ExtractionWorker extends EventEmitter<ExtractionWorkerEvents> {
  readonly #orm: MikroORM;
  readonly #queue: ExtractionJobQueue;
  readonly #extractorFor: ExtractorProvider;
  readonly #agentConfigs: ExtractionWorkerOptions['agentConfigs'];
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #pollIntervalMs: number;
  readonly #attemptTimeoutMs: number;
  readonly #log: Logger;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: AbortController = new AbortController();
  #current: AbortController | undefined;

  constructor(options: ExtractionWorkerOptions) {
    super();
    this.#orm = options.orm;
    this.#queue = options.queue;
    const extractor = options.extractor;
    this.#extractorFor = typeof extractor === 'function' ? extractor : async () => extractor;
    this.#agentConfigs = options.agentConfigs;
    this.#owner = options.owner ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 180_000;
    this.#log = options.logger ?? createLogger('extraction');
  }

  get owner(): string {
    return this.#owner;
  }

  get running(): boolean {
    return this.#loop !== undefined;
  }

  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** Wakes the worker now (a job was just enqueued). */
  notify(): void {
    this.#wake.abort();
  }

  /** Stops polling, releases the job in hand and waits for the loop to end. Idempotent. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#current?.abort(new Error('worker stopping'));
    this.#wake.abort();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let job: ClaimedJob | null = null;
      try {
        job = await this.#queue.claim(this.#owner, this.#leaseMs);
      } catch (error) {
        this.#log.error(
          { err: error },
          'claiming an extraction job failed; retrying after the poll interval',
        );
      }
      if (job) {
        await this.#process(job);
        continue;
      }
      if (this.#wake.signal.aborted) this.#wake = new AbortController();
      await sleep(this.#pollIntervalMs, undefined, { signal: this.#wake.signal }).catch(() => {});
    }
  }

  async #process(job: ClaimedJob): Promise<void> {
    const log = this.#log.child({ jobId: job.id, callId: job.callId, attempt: job.attempts });
    const controller = new AbortController();
    this.#current = controller;
    const renewal = setInterval(() => {
      this.#queue.renew(job, this.#leaseMs).then(
        (ours) => ours || controller.abort(new Error('lease lost to another worker')),
        (error) => log.warn({ err: error }, 'lease renewal failed'),
      );
    }, this.#leaseMs / 3);
    const timeout = setTimeout(() => {
      controller.abort(
        new ExtractionError('provider_timeout', `attempt exceeded ${this.#attemptTimeoutMs} ms`, {
          retryable: true,
        }),
      );
    }, this.#attemptTimeoutMs);
    try {
      const { agentId, redactPii, transcript } = await loadCallTranscript(this.#orm.em.fork(), job.callId);
      const empty = transcript.length === 0;
      const agent = agentId ? await this.#agentConfigs?.get(agentId) : undefined;
      const extractor = await this.#extractorFor(agent);
      const extracted = empty ? EMPTY_RESULT : await extractor.extract(transcript, controller.signal);
      controller.signal.throwIfAborted();
      // Model output is checked against the agent's menu; the rules extractor prices from the menu already. A phone
      // number heard in part or misheard is no customer's number, whoever extracted it.
      const checked = withDialablePhone(
        agent && extractor.source !== 'rules' ? checkAgainstMenu(extracted, agent.menu) : extracted,
      );
      // The extractor read the caller's words; what is stored follows the call's redaction setting.
      const result = redactPii ? redactExtractionResult(checked) : checked;
      const source = empty ? 'rules' : extractor.source;
      // READ COMMITTED: no gap locks, so two workers storing different calls' orders never deadlock.
      const orderId = await this.#orm.em.fork().transactional(
        async (em) => {
          const id = await storeExtraction(em, job.callId, result, source);
          const ours = await this.#queue.markSucceeded(em, job, {
            source,
            confidence: result.confidence,
            result,
          });
          if (!ours) throw new Error('lease lost to another worker');
          return id;
        },
        { isolationLevel: IsolationLevel.READ_COMMITTED },
      );
      log.info({ orderId, source, lines: transcript.length }, 'extraction stored');
      this.emit('succeeded', { jobId: job.id, callId: job.callId, orderId, attempts: job.attempts });
    } catch (error) {
      await this.#settleFailure(job, controller, error, log);
    } finally {
      clearInterval(renewal);
      clearTimeout(timeout);
      this.#current = undefined;
    }
  }

  async #settleFailure(
    job: ClaimedJob,
    controller: AbortController,
    error: unknown,
    log: Logger,
  ): Promise<void> {
    const cause = controller.signal.aborted ? controller.signal.reason : error;
    if (this.#stopping) {
      await this.#queue.release(job).catch((e) => log.warn({ err: e }, 'could not release the job on stop'));
      log.info('worker stopping: job released for the next worker');
      return;
    }
    const extractionError = cause instanceof ExtractionError ? cause : undefined;
    const reason = extractionError
      ? `${extractionError.code}: ${extractionError.message}`
      : `internal: ${(cause as Error)?.message ?? String(cause)}`;
    try {
      const outcome = await this.#queue.fail(job, reason, {
        retryable: extractionError?.retryable ?? true,
        ...(extractionError?.retryAfterMs === undefined
          ? {}
          : { retryAfterMs: extractionError.retryAfterMs }),
      });
      if (outcome.status === 'pending') {
        log.warn({ reason, retryInMs: outcome.retryInMs }, 'extraction attempt failed; will retry');
        this.emit('retrying', {
          jobId: job.id,
          callId: job.callId,
          attempts: job.attempts,
          retryInMs: outcome.retryInMs,
          reason,
        });
      } else if (outcome.status === 'failed') {
        log.error({ reason }, 'extraction failed for good');
        this.emit('failed', { jobId: job.id, callId: job.callId, attempts: job.attempts, reason });
      } else {
        log.warn({ reason }, 'extraction attempt failed after the lease was lost; the new owner decides');
      }
    } catch (storeError) {
      // The lease will expire and the job will be claimed again: nothing is lost.
      log.error({ err: storeError, reason }, 'could not record the failed attempt');
    }
  }
}
