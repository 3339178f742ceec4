import type { AgentState, Participant } from '@voiceroom/sdk';
import type { CaptionLine } from './CaptionLog.ts';

const SPEAKER_LABELS: Record<CaptionLine['speaker'], string> = {
  customer: 'You',
  agent: 'Assistant',
  human: 'Agent',
};

const ROLE_LABELS: Record<string, string> = {
  agent_ai: 'AI assistant',
  human_agent: 'agent',
  supervisor: 'supervisor',
  customer: 'caller',
};

const AGENT_STATE_LABELS: Record<AgentState, string> = {
  idle: 'waiting',
  listening: 'listening',
  thinking: 'thinking',
  speaking: 'speaking',
  // The agent holds its reply while the caller talks over it (a possible barge-in).
  paused: 'pausing while you speak',
};

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the call page is missing #${id}`);
  return element as T;
}

/** The call page's DOM: renders state it is given, reports clicks; no call logic. */
export class CallView {
  readonly callButton = byId<HTMLButtonElement>('call');
  readonly muteButton = byId<HTMLButtonElement>('mute');
  readonly leaveButton = byId<HTMLButtonElement>('leave');
  readonly audioSinks = byId<HTMLElement>('audio-sinks');
  readonly #status = byId<HTMLElement>('status');
  readonly #error = byId<HTMLElement>('error');
  readonly #agentState = byId<HTMLElement>('agent-state');
  readonly #participants = byId<HTMLUListElement>('participants');
  readonly #captions = byId<HTMLOListElement>('captions');
  #activeSpeaker: string | null = null;

  setStatus(text: string, state: string): void {
    this.#status.textContent = text;
    document.body.dataset.callState = state;
  }

  showError(error: { code?: string; message: string } | null): void {
    this.#error.hidden = error === null;
    this.#error.textContent = error?.message ?? '';
    if (error?.code) this.#error.dataset.code = error.code;
    else delete this.#error.dataset.code;
  }

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

  setAgentState(state: AgentState | null): void {
    this.#agentState.dataset.state = state ?? 'idle';
    this.#agentState.textContent = state ? AGENT_STATE_LABELS[state] : 'not connected';
  }

  /** Lists us first, then the others; `localPeerId` marks our own entry for the speaking indicator. */
  renderParticipants(localPeerId: string, participants: Iterable<Participant>): void {
    const items = [this.#participantItem(localPeerId, 'You', '')];
    for (const p of participants) {
      const role = p.role ? (ROLE_LABELS[p.role] ?? p.role) : '';
      items.push(this.#participantItem(p.peerId, p.displayName || 'Guest', role));
    }
    this.#participants.replaceChildren(...items);
    this.setActiveSpeaker(this.#activeSpeaker);
  }

  setActiveSpeaker(peerId: string | null): void {
    this.#activeSpeaker = peerId;
    for (const item of this.#participants.querySelectorAll<HTMLLIElement>('li')) {
      item.dataset.speaking = String(item.dataset.peerId === peerId);
    }
  }

  renderCaption(line: CaptionLine): void {
    const existing = this.#captions.querySelector<HTMLLIElement>(
      `li[data-segment-id="${CSS.escape(line.segmentId)}"]`,
    );
    const item = existing ?? document.createElement('li');
    item.dataset.segmentId = line.segmentId;
    item.dataset.speaker = line.speaker;
    item.dataset.final = String(line.final);
    const speaker = document.createElement('span');
    speaker.className = 'speaker';
    speaker.textContent = `${SPEAKER_LABELS[line.speaker]}:`;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = line.interrupted ? (line.text ? `${line.text} …` : '(interrupted)') : line.text;
    item.replaceChildren(speaker, text);
    if (!existing) {
      this.#captions.append(item);
      item.scrollIntoView?.({ block: 'nearest' });
    }
  }

  clearCaptions(): void {
    this.#captions.replaceChildren();
  }

  #participantItem(peerId: string, name: string, role: string): HTMLLIElement {
    const item = document.createElement('li');
    item.dataset.peerId = peerId;
    item.textContent = role ? `${name} (${role})` : name;
    return item;
  }
}
