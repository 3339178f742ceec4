import { byId } from '../ui/dom.ts';
import type { LiveCallRow, OrderLine } from './ConsoleDataSource.ts';

/** How a human is in a call: listening silently, whispering to the AI, speaking to everyone, or holding the call. */
export type CoPilotMode = 'listen' | 'whisper' | 'barge' | 'takeover';

export const MODE_LABELS: Record<CoPilotMode, string> = {
  listen: 'Listen',
  whisper: 'Whisper',
  barge: 'Barge in',
  takeover: 'Take over',
};

/** The live call list (#calls): one row per call with what is known of it, and a join button per mode. */
export class CallListView {
  readonly #section = byId<HTMLElement>('calls-section');
  readonly #calls = byId<HTMLUListElement>('calls');
  readonly #empty = byId<HTMLElement>('no-calls');

  set hidden(hidden: boolean) {
    this.#section.hidden = hidden;
  }

  /** `joinedRoomId` marks the call we are in (all join buttons are off while in one). */
  render(
    calls: readonly LiveCallRow[],
    joinedRoomId: string | null,
    onJoin: (call: LiveCallRow, mode: CoPilotMode) => void,
  ): void {
    this.#empty.hidden = calls.length > 0;
    this.#calls.replaceChildren(...calls.map((call) => this.#row(call, joinedRoomId, onJoin)));
  }

  #row(
    call: LiveCallRow,
    joinedRoomId: string | null,
    onJoin: (call: LiveCallRow, mode: CoPilotMode) => void,
  ): HTMLLIElement {
    const item = document.createElement('li');
    item.dataset.roomId = call.roomId;
    item.dataset.joined = String(call.roomId === joinedRoomId);
    if (call.handoffRequested) item.dataset.handoff = 'true';
    const info = document.createElement('div');
    info.className = 'call-info';
    const name = document.createElement('strong');
    name.textContent = call.displayName;
    const meta = document.createElement('span');
    meta.className = 'call-meta';
    meta.textContent = `${call.agentId ?? 'no agent'} · since ${new Date(call.startedAt).toLocaleTimeString()}`;
    info.append(name, meta, this.#badges(call));
    const actions = document.createElement('div');
    actions.className = 'call-actions';
    actions.setAttribute('role', 'group');
    actions.setAttribute('aria-label', `Join the call with ${call.displayName}`);
    for (const mode of Object.keys(MODE_LABELS) as CoPilotMode[]) {
      const join = document.createElement('button');
      join.type = 'button';
      join.dataset.mode = mode;
      join.textContent = MODE_LABELS[mode];
      join.disabled = joinedRoomId !== null;
      join.setAttribute('aria-label', `${MODE_LABELS[mode]}: the call with ${call.displayName}`);
      join.addEventListener('click', () => onJoin(call, mode));
      actions.append(join);
    }
    item.append(info, actions);
    return item;
  }

  /** Only what a source knows: an unknown field shows nothing rather than a guess. */
  #badges(call: LiveCallRow): HTMLElement {
    const badges = document.createElement('span');
    badges.className = 'badges';
    const add = (kind: string, text: string, value?: string): void => {
      const badge = document.createElement('span');
      badge.className = `badge badge-${kind}`;
      if (value) badge.dataset.value = value;
      badge.textContent = text;
      badges.append(badge);
    };
    if (call.handoffRequested) add('handoff', 'wants a person');
    if (call.aiState) add('state', `AI ${call.aiState}`, call.aiState);
    if (call.sentiment) add('sentiment', call.sentiment, call.sentiment);
    if (call.orderSoFar && call.orderSoFar.length > 0) add('order', describeOrder(call.orderSoFar));
    return badges;
  }
}

export function describeOrder(order: readonly OrderLine[]): string {
  return order.map((line) => `${line.quantity}× ${line.size ? `${line.size} ` : ''}${line.name}`).join(', ');
}
