import type { OverAgentReading, SttEvent, SttExpectation, SttStream } from '@voiceroom/agent-core/stages';
import { AsyncEventQueue } from '@voiceroom/agent-core/stages';
import { chooseReading, type Reading, readInContext } from '../grammar/chooseReading.ts';
import { HeldDigits } from '../grammar/heldDigits.ts';
import { phraseHeard } from '../grammar/overAgentGrammar.ts';
import type { DecoderPool, PooledDecoder } from './DecoderPool.ts';
import { decodeWhole } from './decodeWhole.ts';
import type { PocketSphinxLib } from './native.ts';
import { ParallelGrammar } from './ParallelGrammar.ts';

export interface PocketSphinxStreamOptions {
  /** Where the stream's decoder comes from and goes back to when it closes. */
  decoders: DecoderPool;
  /** Minimum time between two partial hypotheses. */
  partialIntervalMs: number;
  /** Decode the stream's first utterance twice when its decoder is new (see the class comment). */
  coldStartSecondPass: boolean;
  /** Model files of the slot searches (`expect`); without them the `-lm` model decodes everything. */
  slotModels?: Partial<Record<SttExpectation, string>>;
  /** How many hypotheses a final carries (its text and `alternatives`); 1 for the best only. */
  nbest?: number;
  /**
   * Grammar decoders for the structured slots and for speech over the agent (see ParallelGrammar), each slot
   * grammar's words, and how long a final waits for the grammar's reading once its own is ready (see
   * PocketSphinxSttOptions.grammarWaitMs; default as long as it takes).
   */
  grammars?: {
    decoders: DecoderPool;
    words: Partial<Record<SttExpectation, ReadonlySet<string>>>;
    waitMs?: number;
  };
  onError: (error: Error) => void;
}

/**
 * One caller's recognition stream over its own pocketsphinx decoder. Native calls run one at a time on a promise
 * chain (off the event loop); cancelling bumps an epoch so that audio queued before the cancel is dropped.
 *
 * Cepstral mean normalisation adapts to the caller's voice and channel only as speech is decoded, so a stream's
 * first utterance is decoded with the model's default means and suffers most (pizzeria set, espeak-ng voice:
 * WER 0.44 cold vs 0.15 adapted). With `coldStartSecondPass` the first utterance with speech is decoded again
 * once the means have adapted, at the cost of one extra decode (RTF ~0.1) on that utterance's final only. A decoder
 * reused from an earlier call (DecoderPool) carries that call's adapted means over, so it needs no second pass.
 *
 * Slot models are loaded into a new decoder as searches of their own when the stream opens (in the background,
 * while the greeting plays; a reused decoder has them already); `expect` picks the one the next utterance starts
 * with, so switching costs nothing when the caller stops talking.
 *
 * A grammar decoder hears the same audio (ParallelGrammar); while the agent waits for an answer it has a grammar for
 * (a phone number), the final carries whichever reading chooseReading picks, the other as an alternative; at the
 * phone question the grammar's reading is the one that goes on from the groups of a number heard before it
 * (HeldDigits, readInContext). Speech that begins while the agent talks (`agentSpeaking`) it decodes with the
 * over-agent grammar instead, whose phrase the final carries as `overAgent`: a caller's digits over the agent's
 * question go without the digit grammar.
 */
export class PocketSphinxStream implements SttStream {
  readonly #lib: PocketSphinxLib;
  readonly #pool: DecoderPool;
  readonly #pooled: PooledDecoder;
  readonly #decoder: unknown;
  /** A native call failed on this decoder: it is freed at close, not reused. */
  #failed = false;
  #decoded = false;
  readonly #partialIntervalMs: number;
  readonly #onError: (error: Error) => void;
  readonly #events = new AsyncEventQueue<SttEvent>();
  #chain: Promise<void> = Promise.resolve();
  #uttStarted = false;
  /** Bumped by cancel and close: queued audio of an older epoch is dropped. */
  #epoch = 0;
  #lastPartialAt = 0;
  #lastPartial = '';
  #closed = false;
  /** Audio of the current utterance, kept only until the means have adapted. */
  #coldAudio: Int16Array[] | undefined = [];
  #expected: SttExpectation = 'open';
  readonly #nbest: number;
  readonly #grammar: ParallelGrammar | undefined;
  readonly #grammarWords: Partial<Record<SttExpectation, ReadonlySet<string>>>;
  /**
   * Both decoders decode the same frames at once, so the grammar's reading is normally ready with the stream's own;
   * one that lags longer than this (it was still loading the slot's grammar when the caller spoke, on a busy
   * machine) loses its reading for that utterance rather than delay the reply.
   */
  readonly #grammarWaitMs: number;
  /**
   * The final takes the grammar decoder's reading of the utterance: one of the over-agent grammar or of a slot's. On
   * any other the grammar decoder listens or rests (see ParallelGrammar.start), and the final does not wait on it.
   */
  #grammarRead = false;
  #agentSpeaking = false;
  /** The groups of a phone number heard so far, the context the next group is read in (chooseReading). */
  readonly #heldDigits = new HeldDigits();

  constructor(options: PocketSphinxStreamOptions) {
    this.#pool = options.decoders;
    this.#lib = options.decoders.lib;
    this.#pooled = options.decoders.acquire();
    this.#decoder = this.#pooled.handle;
    this.#partialIntervalMs = options.partialIntervalMs;
    if (!options.coldStartSecondPass || this.#pooled.warmCalls > 0) this.#coldAudio = undefined;
    this.#onError = options.onError;
    this.#nbest = options.nbest ?? 1;
    this.#grammar = options.grammars && new ParallelGrammar(options.grammars.decoders, options.onError);
    this.#grammarWords = options.grammars?.words ?? {};
    this.#grammarWaitMs = options.grammars?.waitMs ?? Number.POSITIVE_INFINITY;
    const grammar = this.#grammar;
    void grammar?.prepare();
    const searches = this.#pooled.searches;
    for (const [slot, path] of Object.entries(options.slotModels ?? {}) as [SttExpectation, string][]) {
      if (searches.has(slot)) continue;
      this.#enqueue(async () => {
        await this.#lib.addLanguageModel(this.#decoder, slot, path);
        searches.add(slot);
      });
    }
  }

  expect(slot: SttExpectation): void {
    const changed = slot !== this.#expected;
    this.#expected = slot;
    const grammar = this.#grammar;
    // Issued in the stream's order, ahead of the caller's answer (the digits held at the phone question dropped
    // after the utterances before it), so that loading the slot's grammar (the spelling one: ~300 ms on koffi's
    // thread, seconds on a loaded machine) runs while the question plays, on the grammar decoder's own queue: the
    // stream's decoder goes on meanwhile.
    if (changed)
      this.#enqueue(async () => {
        this.#heldDigits.expect(slot);
        void grammar?.expect(slot);
      });
  }

  agentSpeaking(speaking: boolean): void {
    this.#agentSpeaking = speaking;
  }

  get closed(): boolean {
    return this.#closed;
  }

  pushAudio(pcm: Int16Array): void {
    if (this.#closed || pcm.length === 0) return;
    const epoch = this.#epoch;
    const copy = pcm.slice();
    this.#enqueue(async () => {
      if (epoch !== this.#epoch) return;
      if (!this.#uttStarted) {
        this.#selectSearch();
        this.#lib.startUtt(this.#decoder);
        this.#uttStarted = true;
        void this.#grammar?.start(this.#agentSpeaking ? 'over_agent' : this.#expected);
        this.#grammarRead = this.#agentSpeaking || this.#grammarWords[this.#expected] !== undefined;
      }
      this.#coldAudio?.push(copy);
      this.#decoded = true;
      void this.#grammar?.process(copy);
      await this.#lib.processRaw(this.#decoder, copy);
      this.#maybeEmitPartial(epoch);
    });
  }

  endUtterance(): void {
    if (this.#closed) return;
    const endedAt = performance.now();
    this.#enqueue(async () => {
      let reading: Reading = { text: '', confidence: 0, alternatives: [] };
      let overAgent: OverAgentReading | undefined;
      if (this.#uttStarted) {
        // the grammar decoder finishes on its own thread meanwhile
        const grammarEnd = this.#grammar?.end(this.#expected === 'phone' ? PHONE_HYPOTHESES : 1);
        reading = await this.#endOpenReading();
        const grammar =
          this.#grammarRead && grammarEnd ? await inTime(grammarEnd, this.#grammarWaitMs) : undefined;
        const words = grammar && grammar.search !== 'over_agent' && this.#grammarWords[grammar.search];
        if (words) {
          const held = this.#heldDigits;
          const phone = grammar.search === 'phone';
          const read =
            phone && grammar.reading ? readInContext(grammar.reading, held.count) : grammar.reading;
          reading = chooseReading(reading, read, words, this.#nbest, held.count);
          if (phone) held.heard(reading.text);
        } else if (grammar?.search === 'over_agent') overAgent = overAgentReading(grammar.reading);
      }
      this.#resetPartial();
      if (!this.#closed) {
        const { text, confidence, alternatives } = reading;
        const latencyMs = performance.now() - endedAt;
        this.#events.push({
          type: 'final',
          text,
          confidence,
          latencyMs,
          ...(alternatives.length > 0 ? { alternatives: [...alternatives] } : {}),
          ...(overAgent ? { overAgent } : {}),
        });
      }
    });
  }

  cancelUtterance(): void {
    if (this.#closed) return;
    this.#epoch++;
    this.#enqueue(async () => {
      if (this.#coldAudio) this.#coldAudio = [];
      if (this.#uttStarted) {
        void this.#grammar?.cancel();
        await this.#lib.endUtt(this.#decoder);
        this.#uttStarted = false;
      }
      this.#resetPartial();
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#epoch++;
    this.#events.end();
    this.#enqueue(async () => {
      void this.#grammar?.cancel();
      void this.#grammar?.release();
      if (this.#uttStarted) await this.#lib.endUtt(this.#decoder);
    });
    // after a failure too (the chain goes on), so the decoder is never lost
    this.#chain = this.#chain.then(() => {
      this.#pool.release(this.#pooled, { decoded: this.#decoded, reusable: !this.#failed });
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.#events[Symbol.asyncIterator]();
  }

  /** Starts the utterance on the expected slot's search (the domain model when it has none). */
  #selectSearch(): void {
    const wanted = this.#pooled.searches.has(this.#expected) ? this.#expected : this.#pooled.defaultSearch;
    if (this.#lib.search(this.#decoder) !== wanted) this.#lib.setSearch(this.#decoder, wanted);
  }

  /** Ends the utterance on the stream's own decoder: its best hypothesis (decoded again when cold) and n-best. */
  async #endOpenReading(): Promise<Reading> {
    await this.#lib.endUtt(this.#decoder);
    this.#uttStarted = false;
    let text = await this.#lib.finalHypothesis(this.#decoder);
    if (this.#coldAudio && text) text = await decodeWhole(this.#lib, this.#decoder, this.#coldAudio);
    if (this.#coldAudio) this.#coldAudio = text ? undefined : [];
    const confidence = text ? Math.min(1, Math.max(0, await this.#lib.probability(this.#decoder))) : 0;
    const alternatives =
      text && this.#nbest > 1
        ? (await this.#lib.nbest(this.#decoder, this.#nbest)).filter((t) => t !== text)
        : [];
    return { text, confidence, alternatives };
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch((error: Error) => {
      this.#failed = true;
      this.#onError(error);
    });
  }

  #maybeEmitPartial(epoch: number): void {
    const now = performance.now();
    if (now - this.#lastPartialAt < this.#partialIntervalMs || epoch !== this.#epoch) return;
    this.#lastPartialAt = now;
    const text = this.#lib.hypothesis(this.#decoder).text.trim();
    if (text && text !== this.#lastPartial) {
      this.#lastPartial = text;
      this.#events.push({ type: 'partial', text });
    }
  }

  #resetPartial(): void {
    this.#lastPartial = '';
    this.#lastPartialAt = 0;
  }
}

/**
 * How many of the phone grammar's hypotheses an utterance at the phone question is read from: the best one whose
 * digits go on from the groups held (readInContext).
 */
const PHONE_HYPOTHESES = 10;

/** `promise`'s value if it settles within `ms` (infinite: whenever it settles), else undefined. */
async function inTime<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  if (!Number.isFinite(ms)) return promise;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The over-agent grammar's phrase, when it heard anything at all (not only silence or noise). */
function overAgentReading(reading: Reading | undefined): OverAgentReading | undefined {
  if (!reading?.text) return undefined;
  return { phrase: phraseHeard(reading.text), confidence: reading.confidence };
}
