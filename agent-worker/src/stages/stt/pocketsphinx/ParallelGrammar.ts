import type { Reading } from '../grammar/chooseReading.ts';
import { FsgBuilder } from '../grammar/fsgBuilder.ts';
import type { DecoderPool, PooledDecoder, SearchName } from './DecoderPool.ts';

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

/** What the grammar decoder made of an utterance: the search it ran and, on a slot's or the over-agent grammar, its reading. */
interface GrammarResult {
  search: SearchName;
  reading: Reading | undefined;
}

/**
 * A second decoder with a grammar search per structured slot (phone digits, ...), fed the same audio frame by frame
 * as the stream's own decoder, so that its reading is ready when the open reading is. It hears every utterance of
 * the call: its cepstral mean normalisation adapts to the caller only from what it decodes, and a grammar decoder
 * that heard only the phone answers of earlier callers read this caller's digits far worse (bench:slots seed 2:
 * 0.21 against 0.49 exact). Outside its slots it runs the one-word listening grammar (features and little search)
 * for the first LISTEN_SAMPLES of the call. Speech that begins while the agent talks it decodes with the
 * over-agent grammar (backchannels, stop requests, anything else), whatever the slot.
 *
 * A slot grammar the pool loads on demand (all of them, see PocketSphinxStt) is loaded as the agent asks for its
 * slot (`expect`, while the question plays) and dropped when the agent asks for another.
 *
 * Every call is queued on this decoder's own promise chain, in order, so they never overlap on the decoder, and the
 * stream that feeds it never waits for it: loading a grammar (hundreds of ms, seconds on a loaded machine) delays
 * only this decoder's reading, never the stream's own decoder, its partials or its final. A failure here only costs
 * the grammar's reading: it goes to `onError` and the grammar is off for the rest of the call.
 */
export class ParallelGrammar {
  readonly #pool: DecoderPool;
  readonly #onError: (error: Error) => void;
  #queue: Promise<unknown> = Promise.resolve();
  #decoder: PooledDecoder | undefined;
  #inUtterance = false;
  /** The current utterance's search. */
  #search: SearchName | undefined;
  #expected: SearchName = 'open';
  #decoded = false;
  #failed = false;
  /** Samples of the caller this decoder has decoded in the call. */
  #listened = 0;

  constructor(pool: DecoderPool, onError: (error: Error) => void) {
    this.#pool = pool;
    this.#onError = onError;
  }

  /** Takes a decoder with every grammar loaded but the on-demand ones; once, before the call's first utterance. */
  prepare(): Promise<void> {
    return this.#run(async () => {
      if (this.#decoder || this.#failed) return;
      try {
        this.#decoder = this.#pool.acquire();
        await this.#pool.loadMissingSearches(this.#decoder);
      } catch (error) {
        this.#fail(error as Error);
      }
    });
  }

  /**
   * Starts an utterance: on the grammar `wanted` (a slot's or the over-agent one) or, when the decoder has none for
   * it, on the listening grammar until the decoder has listened to LISTEN_SAMPLES of the caller; after that it rests
   * outside its grammars.
   */
  start(wanted: SearchName): Promise<void> {
    return this.#run(async () => {
      const decoder = this.#decoder;
      if (!decoder || this.#failed) return;
      const search = wanted !== 'open' && decoder.searches.has(wanted) ? wanted : 'open';
      if (!decoder.searches.has(search)) return;
      if (search === 'open' && this.#listened >= LISTEN_SAMPLES) return;
      try {
        const lib = this.#pool.lib;
        if (lib.search(decoder.handle) !== search) lib.setSearch(decoder.handle, search);
        lib.startUtt(decoder.handle);
        this.#inUtterance = true;
        this.#search = search;
      } catch (error) {
        this.#fail(error as Error);
      }
    });
  }

  /**
   * The agent now waits for `slot`: its grammar is loaded if the pool loads it on demand, and one loaded for another
   * slot dropped (after the utterance that runs on it, if any).
   */
  expect(slot: SearchName): Promise<void> {
    return this.#run(async () => {
      this.#expected = slot;
      const decoder = this.#decoder;
      if (!decoder || this.#failed) return;
      await this.#dropOthers();
      await this.#pool.loadSearch(decoder, slot);
    });
  }

  process(pcm: Int16Array): Promise<void> {
    return this.#run(async () => {
      if (!this.#inUtterance || !this.#decoder) return;
      this.#decoded = true;
      this.#listened += pcm.length;
      await this.#pool.lib.processRaw(this.#decoder.handle, pcm).catch((error: Error) => this.#fail(error));
    });
  }

  /**
   * Ends the utterance: the search it ran and its reading (none on the listening grammar), with up to `hypotheses`
   * - 1 other hypotheses of the grammar as its alternatives; undefined when no utterance ran on this decoder or it
   * failed.
   */
  end(hypotheses = 1): Promise<GrammarResult | undefined> {
    return this.#run(async () => {
      const decoder = this.#decoder;
      const search = this.#search;
      if (!this.#inUtterance || !decoder || !search) return undefined;
      this.#inUtterance = false;
      const lib = this.#pool.lib;
      try {
        await lib.endUtt(decoder.handle);
        const text = search === 'open' ? undefined : await lib.finalHypothesis(decoder.handle);
        const confidence = text ? Math.min(1, Math.max(0, await lib.probability(decoder.handle))) : 0;
        const alternatives =
          text && hypotheses > 1
            ? (await lib.nbest(decoder.handle, hypotheses)).filter((t) => t !== text)
            : [];
        // the hypothesis read, its search can go if the agent has asked for another slot meanwhile
        this.#search = undefined;
        await this.#dropOthers();
        return { search, reading: text === undefined ? undefined : { text, confidence, alternatives } };
      } catch (error) {
        this.#fail(error as Error);
        return undefined;
      }
    });
  }

  /** Drops the utterance (the caller's speech was cancelled). */
  cancel(): Promise<void> {
    return this.#run(async () => {
      if (!this.#inUtterance || !this.#decoder) return;
      this.#inUtterance = false;
      this.#search = undefined;
      await this.#pool.lib.endUtt(this.#decoder.handle).catch((error: Error) => this.#fail(error));
      await this.#dropOthers();
    });
  }

  /** Hands the decoder back after every call queued before (queue `cancel` first if an utterance may be open). */
  release(): Promise<void> {
    return this.#run(async () => {
      if (!this.#decoder) return;
      this.#pool.release(this.#decoder, { decoded: this.#decoded, reusable: !this.#failed });
      this.#decoder = undefined;
    });
  }

  /** Queues `task` after every call before it; a task that throws fails the grammar, never the queue. */
  #run<T>(task: () => Promise<T>): Promise<T | undefined> {
    const result = this.#queue.then(task).catch((error: Error) => {
      this.#fail(error);
      return undefined;
    });
    this.#queue = result;
    return result;
  }

  /** Drops the on-demand searches neither expected nor decoding an utterance (the pool keeps the others). */
  async #dropOthers(): Promise<void> {
    const decoder = this.#decoder;
    if (!decoder || this.#failed) return;
    try {
      for (const search of [...decoder.searches])
        if (search !== this.#expected && search !== this.#search)
          await this.#pool.dropSearch(decoder, search);
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #fail(error: Error): void {
    this.#failed = true;
    this.#inUtterance = false;
    this.#search = undefined;
    this.#onError(error);
  }
}
