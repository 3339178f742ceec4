import { byId } from '../ui/dom.ts';
import { RoomPanel } from '../ui/RoomPanel.ts';
import { StatusLine } from '../ui/StatusLine.ts';
import type { LiveCall } from './consoleApi.ts';

export interface CoPilotButtons {
  inCall: boolean;
  /** We hold the takeover. */
  holdingTakeover: boolean;
  /** Someone else holds it. */
  takeoverBy: string | null;
  canTakeOver: boolean;
  canWhisper: boolean;
  /** Speaking to the customer is allowed now (canPublish, or holding the takeover). */
  canSpeak: boolean;
  speaking: boolean;
  whispering: boolean;
}

/** The agent console's DOM: sign-in, live call list and the joined call's co-pilot panel; no logic. */
export class ConsoleView {
  readonly loginForm = byId<HTMLFormElement>('login');
  readonly logoutButton = byId<HTMLButtonElement>('logout');
  readonly takeoverButton = byId<HTMLButtonElement>('takeover');
  readonly speakButton = byId<HTMLButtonElement>('speak');
  readonly whisperButton = byId<HTMLButtonElement>('whisper');
  readonly leaveButton = byId<HTMLButtonElement>('leave-call');
  readonly hintForm = byId<HTMLFormElement>('hint');
  readonly audioSinks = byId<HTMLElement>('audio-sinks');
  readonly status = new StatusLine();
  readonly panel = new RoomPanel({
    speakers: { customer: 'Customer', agent: 'AI', human: 'Agent' },
    agentStates: {
      idle: 'idle',
      listening: 'listening',
      thinking: 'thinking',
      speaking: 'speaking',
      paused: 'paused (customer talking over it)',
    },
  });
  readonly #callsSection = byId<HTMLElement>('calls-section');
  readonly #calls = byId<HTMLUListElement>('calls');
  readonly #noCalls = byId<HTMLElement>('no-calls');
  readonly #callPanel = byId<HTMLElement>('call-panel');
  readonly #callTitle = byId<HTMLElement>('call-title');
  readonly #takeoverState = byId<HTMLElement>('takeover-state');

  credentials(): { email: string; password: string } {
    const data = new FormData(this.loginForm);
    return { email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') };
  }

  /** Reads and clears the hint input. */
  takeHint(): string {
    const input = byId<HTMLInputElement>('hint-text');
    const text = input.value.trim();
    input.value = '';
    return text;
  }

  setSignedIn(signedIn: boolean): void {
    this.loginForm.hidden = signedIn;
    this.logoutButton.hidden = !signedIn;
    this.#callsSection.hidden = !signedIn;
    if (!signedIn) this.#callPanel.hidden = true;
  }

  /** Lists live calls, each with a Listen button calling `onJoin`; `joinedRoomId` marks the one we are in. */
  renderCalls(calls: LiveCall[], joinedRoomId: string | null, onJoin: (call: LiveCall) => void): void {
    this.#noCalls.hidden = calls.length > 0;
    this.#calls.replaceChildren(
      ...calls.map((call) => {
        const item = document.createElement('li');
        item.dataset.roomId = call.roomId;
        const label = document.createElement('span');
        const started = new Date(call.startedAt).toLocaleTimeString();
        label.textContent = `${call.displayName} · ${call.agentId ?? 'no agent'} · since ${started}`;
        const join = document.createElement('button');
        join.type = 'button';
        join.textContent = call.roomId === joinedRoomId ? 'Listening' : 'Listen';
        join.disabled = joinedRoomId !== null;
        join.setAttribute('aria-label', `Listen to the call with ${call.displayName}`);
        join.addEventListener('click', () => onJoin(call));
        item.append(label, join);
        return item;
      }),
    );
  }

  showCall(call: LiveCall | null): void {
    this.#callPanel.hidden = call === null;
    this.#callTitle.textContent = call ? `Call with ${call.displayName}` : 'Call';
    if (!call) {
      this.panel.clearCaptions();
      this.panel.clearParticipants();
      this.panel.setAgentState(null);
    }
  }

  setCoPilot(state: CoPilotButtons): void {
    this.takeoverButton.hidden = !state.canTakeOver;
    this.takeoverButton.textContent = state.holdingTakeover ? 'Hand back to AI' : 'Take over';
    this.takeoverButton.disabled = state.takeoverBy !== null && !state.holdingTakeover;
    this.takeoverButton.setAttribute('aria-pressed', String(state.holdingTakeover));
    this.speakButton.disabled = !state.canSpeak && !state.speaking;
    this.speakButton.textContent = state.speaking ? 'Stop speaking' : 'Speak to customer';
    this.speakButton.setAttribute('aria-pressed', String(state.speaking));
    this.whisperButton.hidden = !state.canWhisper;
    this.whisperButton.disabled = state.speaking;
    this.whisperButton.textContent = state.whispering ? 'Stop whispering' : 'Whisper to AI';
    this.whisperButton.setAttribute('aria-pressed', String(state.whispering));
    this.hintForm.hidden = !state.canWhisper;
    this.#takeoverState.textContent = state.holdingTakeover
      ? '· you have taken over'
      : state.takeoverBy
        ? `· taken over by ${state.takeoverBy}`
        : '';
  }
}
