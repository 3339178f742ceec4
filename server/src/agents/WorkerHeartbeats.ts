export interface WorkerHeartbeatsOptions {
  /** How long a worker that promised heartbeats may stay silent before it is taken as lost. */
  timeoutMs: number;
  /** Told once per silent worker (it is forgotten then). */
  onSilent(workerId: string, silentMs: number): void;
}

/**
 * Liveness of agent workers beyond their connection: a worker process that hangs (a stuck event loop, a stopped
 * process, a host gone without closing its TCP connection) keeps its socket open for a long time, so workers that
 * declare a heartbeat interval are watched, and one silent for `timeoutMs` is reported. A crashed process needs no
 * heartbeat: its connection closes at once.
 */
export class WorkerHeartbeats {
  readonly #options: WorkerHeartbeatsOptions;
  /** Worker id -> when it was last heard from (performance.now()) and its own timeout. */
  readonly #workers = new Map<string, { seenAt: number; timeoutMs: number }>();
  #timer: NodeJS.Timeout | null = null;
  /** Workers found silent by the last check, awaiting the verdict. */
  readonly #suspects = new Set<string>();

  constructor(options: WorkerHeartbeatsOptions) {
    this.#options = options;
  }

  /** Starts watching a worker that sends a heartbeat every `intervalMs` (never timed out before 3 of them). */
  watch(workerId: string, intervalMs: number): void {
    const timeoutMs = Math.max(this.#options.timeoutMs, intervalMs * 3);
    this.#workers.set(workerId, { seenAt: performance.now(), timeoutMs });
    this.#timer ??= setInterval(() => this.#check(), Math.min(250, this.#options.timeoutMs / 4));
    this.#timer.unref();
  }

  /** Anything heard from the worker counts as alive. */
  seen(workerId: string): void {
    const entry = this.#workers.get(workerId);
    if (entry) entry.seenAt = performance.now();
  }

  forget(workerId: string): void {
    this.#workers.delete(workerId);
    if (this.#workers.size === 0) this.#stopTimer();
  }

  close(): void {
    this.#workers.clear();
    this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #check(): void {
    if (this.#suspects.size > 0) return;
    const now = performance.now();
    for (const [workerId, { seenAt, timeoutMs }] of this.#workers)
      if (now - seenAt >= timeoutMs) this.#suspects.add(workerId);
    if (this.#suspects.size === 0) return;
    // Timers run before pending socket reads: after a stall of this process, heartbeats that did arrive are still
    // unread. The verdict waits until they are (setImmediate runs after the poll phase).
    setImmediate(() => {
      const at = performance.now();
      for (const workerId of this.#suspects) {
        const entry = this.#workers.get(workerId);
        if (!entry || at - entry.seenAt < entry.timeoutMs) continue;
        this.forget(workerId);
        this.#options.onSilent(workerId, Math.round(at - entry.seenAt));
      }
      this.#suspects.clear();
    });
  }
}
