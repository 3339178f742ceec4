import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { Reading } from '../grammar/chooseReading.ts';
import { FsgBuilder } from '../grammar/fsgBuilder.ts';
import type { DecoderPool, PooledDecoder } from './DecoderPool.ts';

/**
 * The search a grammar decoder runs on the utterances of slots without a grammar: one word, so that it costs next to
 * nothing beyond computing features (see ParallelGrammar). Loaded as the 'open' slot's grammar.
 */
export function listeningGrammar(): string {
  const fsg = new FsgBuilder();
  fsg.arc(fsg.start, fsg.final, 'um');
  return fsg.toText('listen');
}

/**
 * How much of a call's audio the grammar decoder hears outside its slots: enough for its cepstral means to settle on
 * the caller's voice (they stay as they are while it rests), a fraction of the CPU of hearing the whole call.
 */
const LISTEN_SAMPLES = 6 * 16_000;

/**
 * A second decoder with a grammar search per structured slot (phone digits, ...), fed the same audio frame by frame
 * as the stream's own decoder, so that its reading is ready when the open reading is. It hears every utterance of
 * the call: its cepstral mean normalisation adapts to the caller only from what it decodes, and a grammar decoder
 * that heard only the phone answers of earlier callers read this caller's digits far worse (bench:slots seed 2:
 * 0.21 against 0.49 exact). Outside its slots it runs the one-word listening grammar (features and little search)
 * for the first LISTEN_SAMPLES of the call.
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
  /** The current utterance is decoded with a slot's grammar (not the listening one). */
  #reading = false;
  #decoded = false;
  #failed = false;
  /** Samples of the caller this decoder has decoded in the call. */
  #listened = 0;

  constructor(pool: DecoderPool, onError: (error: Error) => void) {
    this.#pool = pool;
    this.#onError = onError;
  }

  /** Takes a decoder with every grammar loaded; once, before the call's first utterance. */
  async prepare(): Promise<void> {
    if (this.#decoder || this.#failed) return;
    try {
      this.#decoder = this.#pool.acquire();
      await this.#pool.loadMissingSearches(this.#decoder);
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  /**
   * Starts an utterance: on the slot's grammar (true: `end` gives a reading) or on the listening grammar, until the
   * decoder has listened to LISTEN_SAMPLES of the caller; after that it rests outside its slots.
   */
  start(slot: SttExpectation): boolean {
    const decoder = this.#decoder;
    if (!decoder || this.#failed) return false;
    const search = slot !== 'open' && decoder.searches.has(slot) ? slot : 'open';
    if (!decoder.searches.has(search)) return false;
    if (search === 'open' && this.#listened >= LISTEN_SAMPLES) return false;
    try {
      const lib = this.#pool.lib;
      if (lib.search(decoder.handle) !== search) lib.setSearch(decoder.handle, search);
      lib.startUtt(decoder.handle);
      this.#inUtterance = true;
      this.#reading = search !== 'open';
      return this.#reading;
    } catch (error) {
      this.#fail(error as Error);
      return false;
    }
  }

  async process(pcm: Int16Array): Promise<void> {
    if (!this.#inUtterance || !this.#decoder) return;
    this.#decoded = true;
    this.#listened += pcm.length;
    await this.#pool.lib.processRaw(this.#decoder.handle, pcm).catch((error: Error) => this.#fail(error));
  }

  /** Ends the utterance: the grammar's reading (undefined on the listening grammar, or when it failed). */
  async end(): Promise<Reading | undefined> {
    const decoder = this.#decoder;
    if (!this.#inUtterance || !decoder) return undefined;
    this.#inUtterance = false;
    const lib = this.#pool.lib;
    try {
      await lib.endUtt(decoder.handle);
      if (!this.#reading) return undefined;
      const text = lib.hypothesis(decoder.handle).text.trim();
      const confidence = text ? Math.min(1, Math.max(0, lib.probability(decoder.handle))) : 0;
      return { text, confidence, alternatives: [] };
    } catch (error) {
      this.#fail(error as Error);
      return undefined;
    }
  }

  /** Drops the utterance (the caller's speech was cancelled). */
  async cancel(): Promise<void> {
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
