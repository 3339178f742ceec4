import { byId } from './ui/dom.ts';
import { RoomPanel } from './ui/RoomPanel.ts';
import { StatusLine } from './ui/StatusLine.ts';

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
  });

  setInCall(inCall: boolean, busy = false): void {
    this.callButton.hidden = inCall;
    this.callButton.disabled = busy;
    this.muteButton.hidden = !inCall;
    this.leaveButton.hidden = !inCall;
  }

  setCanSpeak(canSpeak: boolean): void {
    this.muteButton.disabled = !canSpeak;
  }

  setMuted(muted: boolean): void {
    this.muteButton.setAttribute('aria-pressed', String(muted));
    this.muteButton.textContent = muted ? 'Unmute' : 'Mute';
  }

  setCallLabel(label: string): void {
    this.callButton.textContent = label;
  }
}
