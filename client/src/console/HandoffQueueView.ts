import { byId } from '../ui/dom.ts';
import { describeOrder } from './CallListView.ts';
import type { HandoffRequest } from './ConsoleDataSource.ts';

/**
 * The handoff queue (#handoffs): each open request with its summary and an Accept button. A request not seen before
 * raises the alert: the section is marked (data-alert) and a short chime plays.
 */
export class HandoffQueueView {
  readonly #section = byId<HTMLElement>('handoffs-section');
  readonly #list = byId<HTMLUListElement>('handoffs');
  readonly #empty = byId<HTMLElement>('no-handoffs');
  readonly #seen = new Set<string>();
  #audio: AudioContext | null = null;

  set hidden(hidden: boolean) {
    this.#section.hidden = hidden;
  }

  render(requests: readonly HandoffRequest[], onAccept: (request: HandoffRequest) => void): void {
    const fresh = requests.filter((r) => r.takenBy === null && !this.#seen.has(r.id));
    for (const request of requests) this.#seen.add(request.id);
    this.#empty.hidden = requests.length > 0;
    this.#list.replaceChildren(...requests.map((request) => this.#item(request, onAccept)));
    this.#section.dataset.alert = String(requests.some((r) => r.takenBy === null));
    if (fresh.length > 0) this.#chime();
  }

  #item(request: HandoffRequest, onAccept: (request: HandoffRequest) => void): HTMLLIElement {
    const item = document.createElement('li');
    item.dataset.handoffId = request.id;
    const title = document.createElement('strong');
    title.textContent = `${request.customerName ?? 'A caller'}: ${request.reason}`;
    const details = document.createElement('p');
    const parts = [`since ${new Date(request.requestedAt).toLocaleTimeString()}`];
    if (request.sentiment) parts.push(`sentiment ${request.sentiment}`);
    if (request.orderSoFar.length > 0) parts.push(`order: ${describeOrder(request.orderSoFar)}`);
    details.textContent = parts.join(' · ');
    const turns = document.createElement('ol');
    turns.className = 'handoff-turns';
    for (const turn of request.lastTurns) {
      const line = document.createElement('li');
      line.textContent = `${turn.speaker}: ${turn.text}`;
      turns.append(line);
    }
    const accept = document.createElement('button');
    accept.type = 'button';
    accept.className = 'primary';
    accept.disabled = request.takenBy !== null;
    accept.textContent = request.takenBy ? `Taken by ${request.takenBy}` : 'Accept';
    accept.addEventListener('click', () => onAccept(request));
    item.append(title, details, turns, accept);
    return item;
  }

  /** Two short tones; browsers allow audio here because signing in was a user gesture on this page. */
  #chime(): void {
    this.#audio ??= new AudioContext();
    const context = this.#audio;
    for (const [offset, frequency] of [
      [0, 880],
      [0.18, 1175],
    ] as const) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      const start = context.currentTime + offset;
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.16);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.17);
    }
  }
}
