/**
 * Calls whose room closed with a rejoin hint (its media worker died): each ends once `graceMs` passes, unless its
 * room opens again first (the clients rejoined and the call goes on as the same record).
 */
export class RejoinGrace {
  readonly #graceMs: number;
  readonly #onDue: (roomId: string, reason: string) => void;
  readonly #waiting = new Map<string, { timer: NodeJS.Timeout; reason: string }>();

  constructor(graceMs: number, onDue: (roomId: string, reason: string) => void) {
    this.#graceMs = graceMs;
    this.#onDue = onDue;
  }

  get graceMs(): number {
    return this.#graceMs;
  }

  /** Whether this room's call is waiting for its room to reopen. */
  has(roomId: string): boolean {
    return this.#waiting.has(roomId);
  }

  wait(roomId: string, reason: string): void {
    this.cancel(roomId);
    const timer = setTimeout(() => {
      this.#waiting.delete(roomId);
      this.#onDue(roomId, reason);
    }, this.#graceMs);
    timer.unref();
    this.#waiting.set(roomId, { timer, reason });
  }

  /** The room opened again: its call goes on. */
  cancel(roomId: string): void {
    const waiting = this.#waiting.get(roomId);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.#waiting.delete(roomId);
  }

  /** Stops waiting for every call (shutdown) and returns them, to be ended now. */
  takeAll(): { roomId: string; reason: string }[] {
    const all = [...this.#waiting].map(([roomId, { timer, reason }]) => {
      clearTimeout(timer);
      return { roomId, reason };
    });
    this.#waiting.clear();
    return all;
  }
}
