import { byId } from '../ui/dom.ts';
import { RoomPanel } from '../ui/RoomPanel.ts';
import { StatusLine } from '../ui/StatusLine.ts';
import { CallbacksView } from './CallbacksView.ts';
import { CallDetailView } from './CallDetailView.ts';
import { CallListView, type CoPilotMode, MODE_LABELS } from './CallListView.ts';
import type { Availability } from './ConsoleDataSource.ts';
import { HandoffQueueView } from './HandoffQueueView.ts';
import { HistoryView } from './HistoryView.ts';

export interface CoPilotState {
  mode: CoPilotMode;
  allowed: Record<CoPilotMode, boolean>;
  /** Someone else holds the call. */
  takeoverBy: string | null;
  canWhisper: boolean;
  /** A mode change is in flight. */
  busy: boolean;
}

const MODE_HELP: Record<CoPilotMode, string> = {
  listen: 'Listening. Nobody in the call hears you.',
  whisper: 'Whispering: the AI and staff hear you, the customer does not.',
  barge: 'Barged in: the customer and the AI hear you; the AI keeps answering.',
  takeover: 'You have the call: the AI is silent and the customer hears you.',
};

export type ConsoleTab = 'live' | 'history';

/**
 * The agent console's DOM: sign-in, availability, tabs, and the regions (live list, handoff queue, callbacks, joined
 * call, history, detail) as their own views; no logic.
 */
export class ConsoleView {
  readonly loginForm = byId<HTMLFormElement>('login');
  readonly logoutButton = byId<HTMLButtonElement>('logout');
  readonly availability = byId<HTMLSelectElement>('availability');
  readonly liveTab = byId<HTMLButtonElement>('tab-live');
  readonly historyTab = byId<HTMLButtonElement>('tab-history');
  readonly modeButtons: Record<CoPilotMode, HTMLButtonElement> = {
    listen: byId('mode-listen'),
    whisper: byId('mode-whisper'),
    barge: byId('mode-barge'),
    takeover: byId('mode-takeover'),
  };
  readonly leaveButton = byId<HTMLButtonElement>('leave-call');
  readonly hintForm = byId<HTMLFormElement>('hint');
  readonly audioSinks = byId<HTMLElement>('audio-sinks');
  readonly status = new StatusLine();
  readonly calls = new CallListView();
  readonly handoffs = new HandoffQueueView();
  readonly callbacks = new CallbacksView();
  readonly history = new HistoryView();
  readonly detail = new CallDetailView();
  readonly panel = new RoomPanel({
    speakers: { customer: 'Customer', agent: 'AI', human: 'Agent' },
    agentStates: {
      idle: 'idle',
      listening: 'listening',
      thinking: 'thinking',
      speaking: 'speaking',
      paused: 'paused (customer talking over it)',
    },
    noState: 'in the call, state not reported yet',
  });
  readonly #availabilityField = byId<HTMLElement>('availability-field');
  readonly #tabs = byId<HTMLElement>('tabs');
  readonly #liveView = byId<HTMLElement>('live-view');
  readonly #historyView = byId<HTMLElement>('history-view');
  readonly #callPanel = byId<HTMLElement>('call-panel');
  readonly #callTitle = byId<HTMLElement>('call-title');
  readonly #takeoverState = byId<HTMLElement>('takeover-state');
  readonly #modeHelp = byId<HTMLElement>('mode-help');

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
    this.#availabilityField.hidden = !signedIn;
    this.#tabs.hidden = !signedIn;
    this.calls.hidden = !signedIn;
    this.handoffs.hidden = !signedIn;
    this.callbacks.hidden = !signedIn;
    if (!signedIn) {
      this.#callPanel.hidden = true;
      this.showTab('live');
    }
  }

  setAvailability(availability: Availability): void {
    this.availability.value = availability;
    document.body.dataset.availability = availability;
  }

  showTab(tab: ConsoleTab): void {
    this.#liveView.hidden = tab !== 'live';
    this.#historyView.hidden = tab !== 'history';
    this.liveTab.setAttribute('aria-pressed', String(tab === 'live'));
    this.historyTab.setAttribute('aria-pressed', String(tab === 'history'));
  }

  showCall(title: string | null): void {
    this.#callPanel.hidden = title === null;
    this.#callTitle.textContent = title ? `Call with ${title}` : 'Call';
    this.panel.setAgentState(null);
    if (title !== null) this.#callTitle.focus();
    if (title === null) {
      this.panel.clearCaptions();
      this.panel.clearParticipants();
    }
  }

  setCoPilot(state: CoPilotState): void {
    for (const [mode, button] of Object.entries(this.modeButtons) as [CoPilotMode, HTMLButtonElement][]) {
      button.setAttribute('aria-pressed', String(state.mode === mode));
      button.disabled = state.busy || (!state.allowed[mode] && state.mode !== mode);
    }
    this.modeButtons.takeover.textContent = state.mode === 'takeover' ? 'Taken over' : MODE_LABELS.takeover;
    this.hintForm.hidden = !state.canWhisper;
    this.#modeHelp.textContent = state.takeoverBy
      ? `${state.takeoverBy} has the call; you can listen.`
      : MODE_HELP[state.mode];
    this.#takeoverState.textContent =
      state.mode === 'takeover'
        ? '· you have taken over'
        : state.takeoverBy
          ? `· taken over by ${state.takeoverBy}`
          : '';
  }
}
