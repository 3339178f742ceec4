import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { CallerVoice } from './CallerVoice.ts';
import { completeness } from './endpointing.ts';

/**
 * A complete answer that the room's voices hold open. In babble the VAD goes on hearing speech 130-320 ms after the
 * caller's voice (bench:endpoint), and a complete answer's reply waits for the final the VAD's end brings. Once the
 * caller's own voice has been over for a VAD hangover (CallerVoice.quietFor) and what the recogniser heard so far,
 * after what the turn holds already, is a complete answer, the speech is ended there, as a quiet room's VAD would
 * have ended it. Only a complete answer: a sentence not known to be finished keeps the speech the room holds open,
 * so the caller's pause inside it is not exposed to a shorter wait (sessions 15 and 16's cut-offs). Only words the
 * recogniser gave after the voice ended count: an older partial may lack its last words.
 */
export class RoomHeldAnswer {
  readonly #voice: CallerVoice;
  readonly #hangoverMs: number;
  #partial: { text: string; atMs: number } | undefined;
  #ended = false;

  /** `voice`: the caller's in their current speech; `hangoverMs`: the VAD's minimum silence. */
  constructor(voice: CallerVoice, hangoverMs: number) {
    this.#voice = voice;
    this.#hangoverMs = hangoverMs;
  }

  /** The caller's new speech began (`overAgent`: while the agent held the floor; the barge-in rules judge that). */
  started(overAgent: boolean): void {
    this.#partial = undefined;
    this.#ended = overAgent;
  }

  /** The recogniser's partial of the speech, at `atMs`. */
  heard(text: string, atMs: number): void {
    if (text.trim() !== '') this.#partial = { text: text.trim(), atMs };
  }

  /**
   * Whether to end the caller's speech at `nowMs` (once a speech): `pendingText` is what the turn holds from its
   * earlier speech, `expecting` what the agent asked for.
   */
  due(nowMs: number, pendingText: string, expecting: SttExpectation | undefined): boolean {
    const partial = this.#partial;
    const quietMs = this.#voice.quietFor(nowMs);
    if (this.#ended || partial === undefined || quietMs === undefined || quietMs < this.#hangoverMs)
      return false;
    if (partial.atMs < nowMs - quietMs) return false;
    const text = pendingText === '' ? partial.text : `${pendingText}, ${partial.text}`;
    this.#ended = completeness(text, expecting) === 'complete';
    return this.#ended;
  }
}
