import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { Reading } from '../grammar/chooseReading.ts';
import type { DecoderPool, PooledDecoder } from './DecoderPool.ts';
import { decodeWhole } from './decodeWhole.ts';

/**
 * A second decoder with a grammar search per structured slot (phone digits, spelled letters, yes/no), fed the same
 * audio frame by frame as the stream's own decoder while the agent waits for such an answer, so that its reading is
 * ready when the open reading is. Taken from its pool at the first such question of a call (not for calls that
 * never get there) and handed back when the stream closes.
 *
 * Its calls run on the stream's promise chain like the stream's own decoder's, so they never overlap on one decoder;
 * both decoders' calls of one frame run at once on koffi's threads. A failure here only costs the grammar's
 * reading: it goes to `onError` and the grammar is off for the rest of the call.
 */
export class ParallelGrammar {
  readonly #pool: DecoderPool;
  readonly #onError: (error: Error) => void;
  #decoder: PooledDecoder | undefined;
  #inUtterance = false;
  #decoded = false;
  #failed = false;
  /** The utterance's audio while the decoder has never decoded (its cepstral means are the model's defaults). */
  #coldAudio: Int16Array[] | undefined;

  constructor(pool: DecoderPool, onError: (error: Error) => void) {
    this.#pool = pool;
    this.#onError = onError;
  }

  covers(slot: SttExpectation): boolean {
    return !this.#failed && this.#pool.slots.includes(slot);
  }

  /** Takes a decoder (once per call) with every grammar loaded; before the utterance that needs it. */
  async prepare(): Promise<void> {
    if (this.#decoder || this.#failed) return;
    try {
      this.#decoder = this.#pool.acquire();
      if (this.#decoder.warmCalls === 0) this.#coldAudio = [];
      await this.#pool.loadMissingSearches(this.#decoder);
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  /** Starts an utterance on the slot's grammar; false (nothing started) when there is none ready. */
  start(slot: SttExpectation): boolean {
    const decoder = this.#decoder;
    if (!decoder || this.#failed || !decoder.searches.has(slot)) return false;
    try {
      const lib = this.#pool.lib;
      if (lib.search(decoder.handle) !== slot) lib.setSearch(decoder.handle, slot);
      lib.startUtt(decoder.handle);
      this.#inUtterance = true;
      return true;
    } catch (error) {
      this.#fail(error as Error);
      return false;
    }
  }

  async process(pcm: Int16Array): Promise<void> {
    if (!this.#inUtterance || !this.#decoder) return;
    this.#coldAudio?.push(pcm);
    this.#decoded = true;
    await this.#pool.lib.processRaw(this.#decoder.handle, pcm).catch((error: Error) => this.#fail(error));
  }

  /** Ends the utterance: the grammar's reading (undefined when none ran or it failed). */
  async end(): Promise<Reading | undefined> {
    const decoder = this.#decoder;
    if (!this.#inUtterance || !decoder) return undefined;
    this.#inUtterance = false;
    const lib = this.#pool.lib;
    try {
      await lib.endUtt(decoder.handle);
      let text = lib.hypothesis(decoder.handle).text.trim();
      if (this.#coldAudio && text) text = await decodeWhole(lib, decoder.handle, this.#coldAudio);
      if (this.#coldAudio) this.#coldAudio = text ? undefined : [];
      const confidence = text ? Math.min(1, Math.max(0, lib.probability(decoder.handle))) : 0;
      return { text, confidence, alternatives: [] };
    } catch (error) {
      this.#fail(error as Error);
      return undefined;
    }
  }

  /** Drops the utterance (the caller's speech was cancelled). */
  async cancel(): Promise<void> {
    if (this.#coldAudio) this.#coldAudio = [];
    if (!this.#inUtterance || !this.#decoder) return;
    this.#inUtterance = false;
    await this.#pool.lib.endUtt(this.#decoder.handle).catch((error: Error) => this.#fail(error));
  }

  /** Hands the decoder back (no utterance open: after `end` or `cancel`). */
  release(): void {
    if (!this.#decoder) return;
    this.#pool.release(this.#decoder, { decoded: this.#decoded, reusable: !this.#failed });
    this.#decoder = undefined;
  }

  #fail(error: Error): void {
    this.#failed = true;
    this.#inUtterance = false;
    this.#onError(error);
  }
}
