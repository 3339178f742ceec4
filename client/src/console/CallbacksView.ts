import type { CallbackRequest } from '@voiceroom/sdk';
import { byId } from '../ui/dom.ts';

/**
 * Callers waiting for a callback (#callbacks): who, the number they gave (or that they gave none) and when they said
 * yes, with a button to mark the call made. Newest first; adding one already listed changes nothing.
 */
export class CallbacksView {
  readonly #section = byId<HTMLElement>('callbacks-section');
  readonly #list = byId<HTMLUListElement>('callbacks');
  readonly #empty = byId<HTMLElement>('no-callbacks');
  readonly #callbacks = new Map<string, CallbackRequest>();
  #onDone: (callback: CallbackRequest) => void = () => undefined;

  set hidden(hidden: boolean) {
    this.#section.hidden = hidden;
  }

  /** Replaces the list; `onDone` runs when someone marks one called back. */
  reset(callbacks: readonly CallbackRequest[], onDone: (callback: CallbackRequest) => void): void {
    this.#onDone = onDone;
    this.#callbacks.clear();
    for (const callback of callbacks) this.#callbacks.set(callback.callbackId, callback);
    this.#render();
  }

  add(callback: CallbackRequest): void {
    this.#callbacks.set(callback.callbackId, callback);
    this.#render();
  }

  remove(callbackId: string): void {
    this.#callbacks.delete(callbackId);
    this.#render();
  }

  #render(): void {
    const open = [...this.#callbacks.values()]
      .filter((c) => c.status === 'open')
      .sort((a, b) => b.consentedAt.localeCompare(a.consentedAt));
    this.#empty.hidden = open.length > 0;
    this.#list.replaceChildren(...open.map((callback) => this.#item(callback)));
  }

  #item(callback: CallbackRequest): HTMLLIElement {
    const item = document.createElement('li');
    item.dataset.callbackId = callback.callbackId;
    const who = document.createElement('strong');
    who.textContent = callback.customerName ?? 'A caller';
    const phone = document.createElement('span');
    phone.className = 'phone';
    phone.textContent = callback.phone ?? 'no number given';
    phone.dataset.missing = String(callback.phone === null);
    const when = document.createElement('span');
    when.textContent = `agreed at ${new Date(callback.consentedAt).toLocaleTimeString()}`;
    const done = document.createElement('button');
    done.type = 'button';
    done.textContent = 'Called back';
    done.addEventListener('click', () => this.#onDone(callback));
    item.append(who, phone, when, done);
    return item;
  }
}
