import type { CallbackRequest } from '@voiceroom/sdk';
import { byId } from '../ui/dom.ts';

/**
 * Callers waiting for a callback (#callbacks): who, the number they gave (or that they gave none) and when they said
 * yes, with a button to mark the call made.
 */
export class CallbacksView {
  readonly #section = byId<HTMLElement>('callbacks-section');
  readonly #list = byId<HTMLUListElement>('callbacks');
  readonly #empty = byId<HTMLElement>('no-callbacks');

  set hidden(hidden: boolean) {
    this.#section.hidden = hidden;
  }

  render(callbacks: readonly CallbackRequest[], onDone: (callback: CallbackRequest) => void): void {
    this.#empty.hidden = callbacks.length > 0;
    this.#list.replaceChildren(...callbacks.map((callback) => this.#item(callback, onDone)));
  }

  #item(callback: CallbackRequest, onDone: (callback: CallbackRequest) => void): HTMLLIElement {
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
    done.addEventListener('click', () => onDone(callback));
    item.append(who, phone, when, done);
    return item;
  }
}
