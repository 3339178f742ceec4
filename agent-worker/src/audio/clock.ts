/** Monotonic time and timers, injectable so pacing can be tested on a virtual clock. */
export interface Clock {
  /** Monotonic milliseconds (not wall-clock: never jumps backwards). */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, Math.max(0, delayMs)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A clock whose time only moves when `advance` is called; due timers fire in order. For tests and benchmarks. */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing each due timer at its own due time; `lateMs` delays every firing. */
  advance(ms: number, lateMs = 0): void {
    const end = this.#now + ms;
    for (;;) {
      let dueId: number | null = null;
      let dueAt = Number.POSITIVE_INFINITY;
      for (const [id, timer] of this.#timers) {
        if (timer.at < dueAt) {
          dueAt = timer.at;
          dueId = id;
        }
      }
      if (dueId === null || dueAt + lateMs > end) break;
      const timer = this.#timers.get(dueId);
      this.#timers.delete(dueId);
      this.#now = Math.max(this.#now, dueAt + lateMs);
      timer?.callback();
    }
    this.#now = end;
  }
}
