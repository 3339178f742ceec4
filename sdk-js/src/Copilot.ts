import type { Takeover } from '@voiceroom/protocol';
import type { SignalingClient } from './SignalingClient.ts';

/**
 * Human co-pilot controls of a staff participant (human agent, supervisor): coach the AI with a hint, take the call
 * over from it and hand it back. The server enforces the grants (canWhisper, canTakeOver) and answers `forbidden`.
 * Whisper audio is `room.publishMicrophone(undefined, { audience: 'staff' })`.
 */
export class Copilot {
  readonly #signaling: SignalingClient;
  readonly #onChange: (takeover: Takeover) => void;
  #takeover: Takeover = null;

  constructor(signaling: SignalingClient, onChange: (takeover: Takeover) => void) {
    this.#signaling = signaling;
    this.#onChange = onChange;
  }

  /** Who has taken the call over from the AI (null: the AI has it). Known to staff only. */
  get takeover(): Takeover {
    return this.#takeover;
  }

  /** A hint the AI follows in its next replies. Rejects with `not_found` when no AI agent is in the room. */
  async hint(text: string): Promise<void> {
    await this.#signaling.request('copilotHint', { text });
  }

  /** Takes the call over: the AI stops listening and speaking; you may speak even with a listen-only token. */
  async takeOver(): Promise<Takeover> {
    const { takeover } = await this.#signaling.request('copilotTakeover', { active: true });
    this.apply(takeover);
    return takeover;
  }

  /** Hands the call back to the AI (which resumes with the full context). */
  async handBack(): Promise<void> {
    const { takeover } = await this.#signaling.request('copilotTakeover', { active: false });
    this.apply(takeover);
  }

  /** Records the server's view (join reply, copilotState notification); announces real changes only. */
  apply(takeover: Takeover): void {
    if (this.#takeover?.peerId === takeover?.peerId) return;
    this.#takeover = takeover;
    this.#onChange(takeover);
  }
}
