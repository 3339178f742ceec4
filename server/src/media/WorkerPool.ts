import { EventEmitter } from 'node:events';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { createLogger, type Logger } from '../log.ts';
import { MediaError } from './errors.ts';
import { MediaObjectCounter, type MediaObjectCounts } from './MediaObjectCounter.ts';

export interface WorkerPoolOptions {
  /** How many mediasoup workers (one per core is the usual choice). */
  numWorkers: number;
  logLevel?: ms.WorkerLogLevel;
  logger?: Logger;
  /** Delay before a dead worker is replaced again after a failed replacement. */
  respawnDelayMs?: number;
}

export interface WorkerPoolEvents {
  /** A worker died (its routers, hence rooms, are gone); a replacement is being started. */
  workerdied: [info: { pid: number; error: Error }];
  /** A worker was started (at start or as a replacement). */
  workerstarted: [info: { pid: number }];
}

/**
 * The mediasoup workers of this process, handed out round robin. A worker that dies is logged and replaced;
 * rooms on it learn it from their router's `workerclose` event and close themselves.
 */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #options: Required<Omit<WorkerPoolOptions, 'logger'>>;
  readonly #log: Logger;
  readonly #workers: ms.Worker[] = [];
  readonly #pendingStarts = new Set<Promise<void>>();
  readonly #counter = new MediaObjectCounter();
  #next = 0;
  #closed = false;

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    await Promise.all(Array.from({ length: options.numWorkers }, () => pool.#startWorker()));
    return pool;
  }

  private constructor(options: WorkerPoolOptions) {
    super();
    if (!Number.isInteger(options.numWorkers) || options.numWorkers < 1) {
      throw new RangeError(`numWorkers must be a positive integer, got ${options.numWorkers}`);
    }
    this.#options = {
      numWorkers: options.numWorkers,
      logLevel: options.logLevel ?? 'warn',
      respawnDelayMs: options.respawnDelayMs ?? 1000,
    };
    this.#log = options.logger ?? createLogger('media.workers');
  }

  /** True when at least one worker can take a room (readiness). */
  get alive(): boolean {
    return !this.#closed && this.#workers.some((w) => !w.died && !w.closed);
  }

  /** Process ids of the live workers. */
  get pids(): number[] {
    return this.#workers.filter((w) => !w.died && !w.closed).map((w) => w.pid);
  }

  /** Live routers, transports, producers and consumers on this pool's workers (from mediasoup's observers). */
  get mediaCounts(): MediaObjectCounts {
    return this.#counter.counts;
  }

  /** CPU time and peak memory of each live worker (for metrics and load tests). */
  async resourceUsage(): Promise<{ pid: number; cpuSeconds: number; maxRssBytes: number }[]> {
    const live = this.#workers.filter((w) => !w.died && !w.closed);
    const usages = await Promise.allSettled(live.map((w) => w.getResourceUsage()));
    return usages.flatMap((u, i) => {
      const worker = live[i];
      if (u.status !== 'fulfilled' || !worker) return [];
      // ru_utime/ru_stime are milliseconds, ru_maxrss kilobytes.
      const cpuSeconds = (u.value.ru_utime + u.value.ru_stime) / 1000;
      return [{ pid: worker.pid, cpuSeconds, maxRssBytes: u.value.ru_maxrss * 1024 }];
    });
  }

  /** The next live worker, round robin; waits for a replacement when every worker has just died. */
  async getWorker(): Promise<ms.Worker> {
    for (;;) {
      if (this.#closed)
        throw new MediaError('room_closed', 'The server is shutting down: reconnect in a moment.');
      const live = this.#workers.filter((w) => !w.died && !w.closed);
      if (live.length > 0) {
        const worker = live[this.#next % live.length] as ms.Worker;
        this.#next = (this.#next + 1) % live.length;
        return worker;
      }
      if (this.#pendingStarts.size === 0) this.#scheduleStart(0);
      await Promise.race(this.#pendingStarts);
    }
  }

  /** Closes every worker (and so every router and transport). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const worker of this.#workers) worker.close();
    this.#workers.length = 0;
  }

  #scheduleStart(delayMs: number): void {
    const started = new Promise<void>((resolve) => setTimeout(resolve, delayMs))
      .then(() => this.#startWorker())
      .catch((error: unknown) => {
        this.#log.error({ err: error }, 'could not start a replacement mediasoup worker; retrying');
        if (!this.#closed) this.#scheduleStart(this.#options.respawnDelayMs);
      })
      .finally(() => this.#pendingStarts.delete(started));
    this.#pendingStarts.add(started);
  }

  async #startWorker(): Promise<void> {
    if (this.#closed) return;
    const worker = await mediasoup.createWorker({ logLevel: this.#options.logLevel });
    if (this.#closed) {
      worker.close();
      return;
    }
    // mediasoup closes each worker on the process's SIGINT/SIGTERM; the server drains first and closes them itself.
    const onSignal = (worker as unknown as { onSignal?: () => void }).onSignal;
    if (onSignal) for (const signal of ['SIGINT', 'SIGTERM']) process.off(signal, onSignal);
    worker.on('died', (error) => this.#onDied(worker, error));
    this.#counter.watch(worker);
    this.#workers.push(worker);
    this.#log.info({ workerPid: worker.pid, workers: this.#workers.length }, 'mediasoup worker started');
    this.emit('workerstarted', { pid: worker.pid });
  }

  #onDied(worker: ms.Worker, error: Error): void {
    const index = this.#workers.indexOf(worker);
    if (index >= 0) this.#workers.splice(index, 1);
    this.#log.error(
      { workerPid: worker.pid, err: error },
      'mediasoup worker died; its rooms are closed and it is replaced',
    );
    this.emit('workerdied', { pid: worker.pid, error });
    if (!this.#closed) this.#scheduleStart(0);
  }
}
