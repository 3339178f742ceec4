import type { AgentState } from '@voiceroom/sdk';
import { formatDuration } from './CallClock.ts';
import { byId } from './ui/dom.ts';
import { RoomPanel } from './ui/RoomPanel.ts';
import { StatusLine } from './ui/StatusLine.ts';

const DEFAULT_AGENT_NAME = 'Our assistant';

/** The customer call page's DOM: renders state it is given, reports clicks; no call logic. */
export class CallView {
  readonly callButton = byId<HTMLButtonElement>('call');
  readonly muteButton = byId<HTMLButtonElement>('mute');
  readonly leaveButton = byId<HTMLButtonElement>('leave');
  readonly audioSinks = byId<HTMLElement>('audio-sinks');
  readonly status = new StatusLine();
  readonly panel = new RoomPanel({
    speakers: { customer: 'You', agent: 'Assistant', human: 'Agent' },
    agentStates: {
      idle: 'waiting',
      listening: 'listening',
      thinking: 'thinking',
      speaking: 'speaking',
      // The agent holds its reply while the caller talks over it (a possible barge-in).
      paused: 'pausing while you speak',
    },
    noState: 'not connected',
  });
  readonly #mic = byId<HTMLElement>('mic');
  readonly #micLevel = byId<HTMLMeterElement>('mic-level');
  readonly #timer = byId<HTMLElement>('call-timer');
  readonly #agentName = byId<HTMLElement>('agent-name');
  readonly #agentInitial = byId<HTMLElement>('agent-initial');
  readonly #avatar = byId<HTMLElement>('agent-avatar');

  setInCall(inCall: boolean, busy = false): void {
    // The button a keyboard user pressed disappears (or was disabled and dropped focus): keep focus on the controls,
    // on Mute rather than Hang up so that a repeated key press cannot end the call.
    const active = document.activeElement;
    const switching = this.callButton.hidden !== inCall;
    const focusLost =
      active === null ||
      active === document.body ||
      active === this.callButton ||
      active === this.leaveButton;
    this.callButton.hidden = inCall;
    this.callButton.disabled = busy;
    this.muteButton.hidden = !inCall;
    this.#mic.hidden = !inCall;
    this.leaveButton.hidden = !inCall;
    if (switching && focusLost) (inCall ? this.muteButton : this.callButton).focus();
  }

  setCanSpeak(canSpeak: boolean): void {
    this.muteButton.disabled = !canSpeak;
  }

  setMuted(muted: boolean): void {
    this.muteButton.setAttribute('aria-pressed', String(muted));
    this.muteButton.textContent = muted ? 'Unmute' : 'Mute';
    this.#mic.dataset.muted = String(muted);
  }

  /** The server hears the caller as the active speaker now. */
  setYouSpeaking(speaking: boolean): void {
    this.#mic.dataset.speaking = String(speaking);
  }

  setMicLevel(level: number): void {
    this.#micLevel.value = level;
  }

  setCallLabel(label: string): void {
    this.callButton.textContent = label;
  }

  /** Who the caller is talking to; null before the agent has joined. */
  setAgentName(name: string | null): void {
    const shown = name?.trim() || DEFAULT_AGENT_NAME;
    this.#agentName.textContent = shown;
    this.#agentInitial.textContent = shown.charAt(0).toUpperCase();
  }

  /** The avatar's cue: the agent's state (listening / thinking / speaking) and whether its voice is heard now. */
  setAgentCue(state: AgentState | null, speaking: boolean): void {
    this.#avatar.dataset.state = state ?? 'idle';
    this.#avatar.dataset.speaking = String(speaking);
  }

  /** Seconds since the call was answered, while it runs. */
  setElapsed(seconds: number): void {
    this.#timer.textContent = formatDuration(seconds);
    this.#timer.dataset.running = 'true';
  }

  /** The call is over: the timer keeps its last value. */
  stopTimer(): void {
    this.#timer.dataset.running = 'false';
  }
}
