export interface WaitingCallsOptions {
  /** How often waiting calls are tried again even if no worker registers (calls end, slow model loads finish). */
  retryMs: number;
  onRetry(): void;
}

/** Calls whose customer waits for an agent worker with capacity: room id -> the customer's peer id. */
export class WaitingCalls {
  readonly #options: WaitingCallsOptions;
  readonly #calls = new Map<string, string>();
  #retryTimer: NodeJS.Timeout | null = null;

  constructor(options: WaitingCallsOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#calls.size;
  }

  has(roomId: string): boolean {
    return this.#calls.has(roomId);
  }

  wait(roomId: string, customerPeerId: string): void {
    this.#calls.set(roomId, customerPeerId);
    this.#retryTimer ??= setTimeout(() => {
      this.#retryTimer = null;
      this.#options.onRetry();
    }, this.#options.retryMs);
  }

  delete(roomId: string): void {
    this.#calls.delete(roomId);
  }

  /** The waiting customer left: another customer in the room (a rejoin under a new peer id) waits instead. */
  customerLeft(roomId: string, peerId: string, otherCustomerId: string | undefined): void {
    if (this.#calls.get(roomId) !== peerId) return;
    if (otherCustomerId) this.#calls.set(roomId, otherCustomerId);
    else this.#calls.delete(roomId);
  }

  /** Every waiting call, no longer waiting. */
  takeAll(): [roomId: string, customerPeerId: string][] {
    const calls = [...this.#calls];
    this.#calls.clear();
    return calls;
  }

  close(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#calls.clear();
  }
}
