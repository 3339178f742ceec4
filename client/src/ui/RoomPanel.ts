import type { AgentState, Participant } from '@voiceroom/sdk';
import type { CaptionLine } from '../CaptionLog.ts';
import { byId } from './dom.ts';

const ROLE_LABELS: Record<string, string> = {
  agent_ai: 'AI assistant',
  human_agent: 'agent',
  supervisor: 'supervisor',
  customer: 'caller',
};

export interface RoomPanelLabels {
  /** Caption prefix per speaker, from this viewer's point of view. */
  speakers: Record<CaptionLine['speaker'], string>;
  agentStates: Record<AgentState, string>;
  /** Shown before the AI has reported a state. */
  noState: string;
}

/**
 * What a live call shows on any page: participants (#participants, with a speaking mark), the AI agent's state
 * (#agent-state) and captions (#captions: one bubble per utterance, partials lighter, notes between them). Renders
 * what it is given; no call logic.
 */
export class RoomPanel {
  readonly #participants = byId<HTMLUListElement>('participants');
  readonly #captions = byId<HTMLOListElement>('captions');
  readonly #agentState = byId<HTMLElement>('agent-state');
  readonly #labels: RoomPanelLabels;
  #activeSpeaker: string | null = null;

  constructor(labels: RoomPanelLabels) {
    this.#labels = labels;
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

  clearParticipants(): void {
    this.#participants.replaceChildren();
  }

  setActiveSpeaker(peerId: string | null): void {
    this.#activeSpeaker = peerId;
    for (const item of this.#participants.querySelectorAll<HTMLLIElement>('li')) {
      item.dataset.speaking = String(item.dataset.peerId === peerId);
    }
  }

  setAgentState(state: AgentState | null): void {
    this.#agentState.dataset.state = state ?? 'idle';
    this.#agentState.textContent = state ? this.#labels.agentStates[state] : this.#labels.noState;
  }

  renderCaption(line: CaptionLine): void {
    const selector = `li[data-segment-id="${CSS.escape(line.segmentId)}"]`;
    const existing = this.#captions.querySelector<HTMLLIElement>(selector);
    const item = existing ?? document.createElement('li');
    item.dataset.segmentId = line.segmentId;
    item.dataset.speaker = line.speaker;
    item.dataset.final = String(line.final);
    const speaker = document.createElement('span');
    speaker.className = 'speaker';
    speaker.textContent = this.#labels.speakers[line.speaker];
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = line.interrupted ? (line.text ? `${line.text} …` : '(interrupted)') : line.text;
    item.replaceChildren(speaker, text);
    if (!existing) {
      this.#captions.append(item);
      item.scrollIntoView?.({ block: 'nearest' });
    }
  }

  /** A line in the conversation that nobody said: someone joined, the call was handed over. */
  renderNote(text: string): void {
    const item = document.createElement('li');
    item.className = 'note';
    item.textContent = text;
    this.#captions.append(item);
    item.scrollIntoView?.({ block: 'nearest' });
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
