import type { Logger } from '../log.ts';
import { WorkerHeartbeats } from './WorkerHeartbeats.ts';
import type { WorkerEntry } from './workerLink.ts';
import { pickLeastLoaded } from './workerSelection.ts';

export interface WorkerPoolOptions {
  /** How long a worker that sends heartbeats may fall silent before it is taken as lost. */
  heartbeatTimeoutMs: number;
  logger: Logger;
}

/**
 * The registered agent workers and their liveness: a worker silent past its heartbeat timeout is disconnected, so it
 * leaves the pool the way a crashed one does (its connection's `disconnected`).
 */
export class WorkerPool {
  readonly #log: Logger;
  readonly #workers = new Map<string, WorkerEntry>();
  readonly #heartbeats: WorkerHeartbeats;

  constructor(options: WorkerPoolOptions) {
    this.#log = options.logger;
    this.#heartbeats = new WorkerHeartbeats({
      timeoutMs: options.heartbeatTimeoutMs,
      onSilent: (workerId, silentMs) => {
        const worker = this.#workers.get(workerId);
        if (!worker) return;
        this.#log.warn(
          { workerId, name: worker.name, silentMs, code: 'worker_silent' },
          'agent worker silent past its heartbeat timeout; taking it as lost',
        );
        worker.socket.disconnect(true);
      },
    });
  }

  get size(): number {
    return this.#workers.size;
  }

  get list(): { id: string; name: string; capacity: number; active: number }[] {
    return [...this.#workers.values()].map((w) => ({
      id: w.id,
      name: w.name,
      capacity: w.capacity,
      active: w.active,
    }));
  }

  /** `heartbeatMs`: how often the worker promised a heartbeat; undefined for workers that send none. */
  add(worker: WorkerEntry, heartbeatMs: number | undefined): void {
    this.#workers.set(worker.id, worker);
    if (heartbeatMs !== undefined) this.#heartbeats.watch(worker.id, heartbeatMs);
    this.#log.info(
      { workerId: worker.id, name: worker.name, capacity: worker.capacity, heartbeatMs },
      'agent worker registered',
    );
  }

  /** Anything heard from the worker counts as alive. */
  seen(workerId: string): void {
    this.#heartbeats.seen(workerId);
  }

  remove(worker: WorkerEntry): void {
    this.#workers.delete(worker.id);
    this.#heartbeats.forget(worker.id);
  }

  /** The least-loaded worker with capacity left, other than those in `excluding`; null when there is none. */
  pick(excluding: ReadonlySet<string>): WorkerEntry | null {
    return pickLeastLoaded([...this.#workers.values()].filter((w) => !excluding.has(w.id)));
  }

  /** Stops watching and disconnects every worker. */
  close(): void {
    this.#heartbeats.close();
    for (const worker of this.#workers.values()) worker.socket.disconnect(true);
    this.#workers.clear();
  }
}
