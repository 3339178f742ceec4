import { AsyncEventQueue } from '../../AsyncEventQueue.ts';
import type { SttEvent, SttStream } from '../../types.ts';
import type { PocketSphinxLib } from './native.ts';

export interface PocketSphinxStreamOptions {
  lib: PocketSphinxLib;
  decoderArgs: Record<string, string>;
  /** Minimum time between two partial hypotheses. */
  partialIntervalMs: number;
  /** Decode the stream's first utterance twice (see the class comment). */
  coldStartSecondPass: boolean;
  onError: (error: Error) => void;
}

/**
 * One caller's recognition stream over its own pocketsphinx decoder. Native calls run one at a time on a promise
 * chain (off the event loop); cancelling bumps an epoch so that audio queued before the cancel is dropped.
 *
 * Cepstral mean normalisation adapts to the caller's voice and channel only as speech is decoded, so a stream's
 * first utterance is decoded with the model's default means and suffers most (pizzeria set, espeak-ng voice:
 * WER 0.44 cold vs 0.15 adapted). With `coldStartSecondPass` the first utterance with speech is decoded again
 * once the means have adapted, at the cost of one extra decode (RTF ~0.1) on that utterance's final only.
 */
export class PocketSphinxStream implements SttStream {
  readonly #lib: PocketSphinxLib;
  readonly #decoder: unknown;
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

  constructor(options: PocketSphinxStreamOptions) {
    this.#lib = options.lib;
    this.#decoder = options.lib.createDecoder(options.decoderArgs);
    this.#partialIntervalMs = options.partialIntervalMs;
    if (!options.coldStartSecondPass) this.#coldAudio = undefined;
    this.#onError = options.onError;
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
        this.#lib.startUtt(this.#decoder);
        this.#uttStarted = true;
      }
      this.#coldAudio?.push(copy);
      await this.#lib.processRaw(this.#decoder, copy);
      this.#maybeEmitPartial(epoch);
    });
  }

  endUtterance(): void {
    if (this.#closed) return;
    const endedAt = performance.now();
    this.#enqueue(async () => {
      let text = '';
      let confidence = 0;
      if (this.#uttStarted) {
        await this.#lib.endUtt(this.#decoder);
        this.#uttStarted = false;
        text = this.#lib.hypothesis(this.#decoder).text.trim();
        if (this.#coldAudio && text) text = await this.#secondPass(this.#coldAudio);
        if (this.#coldAudio) this.#coldAudio = text ? undefined : [];
        confidence = text ? Math.min(1, Math.max(0, this.#lib.probability(this.#decoder))) : 0;
      }
      this.#resetPartial();
      if (!this.#closed) {
        this.#events.push({ type: 'final', text, confidence, latencyMs: performance.now() - endedAt });
      }
    });
  }

  cancelUtterance(): void {
    if (this.#closed) return;
    this.#epoch++;
    this.#enqueue(async () => {
      if (this.#coldAudio) this.#coldAudio = [];
      if (this.#uttStarted) {
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
      if (this.#uttStarted) await this.#lib.endUtt(this.#decoder);
      this.#lib.free(this.#decoder);
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.#events[Symbol.asyncIterator]();
  }

  /** Decodes the utterance again now that the cepstral means have adapted to it. */
  async #secondPass(chunks: Int16Array[]): Promise<string> {
    const audio = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      audio.set(c, offset);
      offset += c.length;
    }
    this.#lib.startUtt(this.#decoder);
    await this.#lib.processRaw(this.#decoder, audio);
    await this.#lib.endUtt(this.#decoder);
    return this.#lib.hypothesis(this.#decoder).text.trim();
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch((error: Error) => this.#onError(error));
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
