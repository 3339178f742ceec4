/**
 * A small, browser-safe typed event emitter (no node:events). `Events` maps each event name to its payload type.
 * A throwing listener never breaks the emitter or the other listeners: its error goes to `onListenerError`.
 */
export type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();
  #onListenerError: (error: unknown, event: PropertyKey) => void = (error, event) => {
    console.error(`listener of "${String(event)}" threw`, error);
  };

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return this;
  }

  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const wrapper: Listener<Events[K]> = (payload) => {
      this.off(event, wrapper);
      listener(payload);
    };
    return this.on(event, wrapper);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    this.#listeners.get(event)?.delete(listener as Listener<never>);
    return this;
  }

  /** Resolves with the next payload of `event` (rejects after `timeoutMs` when given). */
  waitFor<K extends keyof Events>(event: K, timeoutMs?: number): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.off(event, onEvent);
              reject(new Error(`timed out after ${timeoutMs} ms waiting for "${String(event)}"`));
            }, timeoutMs);
      const onEvent: Listener<Events[K]> = (payload) => {
        clearTimeout(timer);
        this.off(event, onEvent);
        resolve(payload);
      };
      this.on(event, onEvent);
    });
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  removeAllListeners(event?: keyof Events): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  /** Where errors thrown by listeners go (default: console.error). */
  setListenerErrorHandler(handler: (error: unknown, event: PropertyKey) => void): void {
    this.#onListenerError = handler;
  }

  protected emit<K extends keyof Events>(event: K, payload: Events[K]): boolean {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
    return true;
  }
}
