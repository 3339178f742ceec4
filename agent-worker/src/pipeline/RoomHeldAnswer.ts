import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { CallerVoice } from './CallerVoice.ts';
import { type Completeness, completeness, delayRange, type EndpointingBounds } from './endpointing.ts';

/**
 * An answer that the room's voices hold open. In babble the VAD goes on hearing speech 130-320 ms after the caller's
 * voice (bench:endpoint), and the reply waits for the final the VAD's end brings. Once the caller's own voice has been
 * over for a VAD hangover (CallerVoice.quietFor) and what the recogniser heard so far, after what the turn holds
 * already, is not known to be unfinished, the speech is ended there, as a quiet room's VAD would have ended it: most
 * babble lines are heard with the room's words in them and judged neither way, and waited for the room (bench:endpoint
 * seed 2). Not a sentence known to be unfinished, nor one not known either way once the turn holds earlier speech (the
 * caller has paused in it already: "actually … no margherita … pizza" cut in pink noise): it keeps the speech the room
 * holds open, so the caller's pause inside it is not exposed to a shorter wait (sessions 15 and 16's cut-offs). Only
 * words the recogniser gave after the voice ended count: an older partial may lack its last words. When the final of a
 * complete answer so ended is not complete after all, the caller may be in a pause the room filled: the turn waits the
 * longest for them (bench:endpoint seed 3: "Yes, hi. … I'll have" ended on a partial, its final "it's ali" given the
 * 300 ms wait, cut). A final that only adds words after the partial's was given them for the room's voices past the
 * caller's (the recogniser decodes the speech to where it ended): the partial's verdict stands ("that's it" -> final
 * "that's it on").
 */
export class RoomHeldAnswer {
  readonly #voice: CallerVoice;
  readonly #hangoverMs: number;
  readonly #bounds: EndpointingBounds;
  readonly #delays: { shortestMs: number; longestMs: number };
  #partial: { text: string; atMs: number } | undefined;
  /** The partial last judged, with the turn's text before it: judged once, not again on every tick. */
  #judged: { partial: { text: string; atMs: number }; pendingText: string } | undefined;
  /** The speech is speech over the agent, which the barge-in rules judge. */
  #overAgent = false;
  /** This ended the current speech on that partial, judged so, with the wait it judged. */
  #ended: { words: string[]; verdict: Completeness; delayMs: number } | undefined;
  /** The final of the speech this ended only added words after the partial's. */
  #finalAddsRoom = false;

  /** `voice`: the caller's in their current speech; `hangoverMs`: the VAD's minimum silence. */
  constructor(voice: CallerVoice, hangoverMs: number, bounds: EndpointingBounds) {
    this.#voice = voice;
    this.#hangoverMs = hangoverMs;
    this.#bounds = bounds;
    this.#delays = delayRange(bounds);
  }

  /** The caller's new speech began (`overAgent`: while the agent held the floor; the barge-in rules judge that). */
  started(overAgent: boolean): void {
    this.#partial = undefined;
    this.#judged = undefined;
    this.#overAgent = overAgent;
    this.#ended = undefined;
    this.#finalAddsRoom = false;
  }

  /** The recogniser's partial of the speech, at `atMs`. */
  heard(text: string, atMs: number): void {
    if (text.trim() !== '') this.#partial = { text: text.trim(), atMs };
  }

  /** The recogniser's final of the speech. */
  heardFinal(text: string): void {
    const said = this.#ended?.words;
    const words = wordsOf(text);
    this.#finalAddsRoom =
      said !== undefined && words.length > said.length && said.every((w, i) => words[i] === w);
  }

  /**
   * The wait after the latest speech, for the turn's text that the endpointing judged to wait `judgedMs`: when this
   * ended the speech, the partial's wait if the final only added the room's words to it, else the longest when it
   * ended a complete answer whose final is not one.
   */
  waitMs(judgedMs: number): number {
    const ended = this.#ended;
    if (ended === undefined) return judgedMs;
    if (this.#finalAddsRoom) return Math.min(judgedMs, ended.delayMs);
    return ended.verdict === 'complete' && judgedMs > this.#delays.shortestMs
      ? this.#delays.longestMs
      : judgedMs;
  }

  /**
   * Whether to end the caller's speech at `nowMs` (once a speech): `pendingText` is what the turn holds from its
   * earlier speech, `expecting` what the agent asked for.
   */
  due(nowMs: number, pendingText: string, expecting: SttExpectation | undefined): boolean {
    const partial = this.#partial;
    const quietMs = this.#voice.quietFor(nowMs);
    if (
      this.#overAgent ||
      this.#ended !== undefined ||
      partial === undefined ||
      quietMs === undefined ||
      quietMs < this.#hangoverMs
    )
      return false;
    if (partial.atMs < nowMs - quietMs) return false;
    if (this.#judged?.partial === partial && this.#judged.pendingText === pendingText) return false;
    this.#judged = { partial, pendingText };
    const text = pendingText === '' ? partial.text : `${pendingText}, ${partial.text}`;
    const verdict = completeness(text, expecting);
    if (verdict === 'incomplete' || (verdict === 'unknown' && pendingText !== '')) return false;
    const delayMs = verdict === 'complete' ? this.#delays.shortestMs : this.#bounds.endpointingDelayMs;
    this.#ended = { words: wordsOf(partial.text), verdict, delayMs };
    return true;
  }
}

const wordsOf = (text: string) => text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
