import type { Tts } from '@voiceroom/agent-core/stages';
import { synthesizePerSentence } from '../perSentence.ts';
import { type EspeakEngine, loadEspeak } from './native.ts';

export interface EspeakTtsOptions {
  /** espeak-ng voice name, e.g. en-us (default), en, en-us+f3. */
  voice?: string;
  /** Speaking rate multiplier (1 = 175 words per minute). */
  rate?: number;
}

const NORMAL_WORDS_PER_MINUTE = 175;

/** eSpeak NG through libespeak-ng, sentence by sentence. */
export class EspeakTts implements Tts {
  readonly #engine: EspeakEngine;
  readonly #voice: string;
  readonly #wordsPerMinute: number;

  constructor(options: EspeakTtsOptions = {}) {
    this.#engine = loadEspeak();
    this.#voice = options.voice ?? 'en-us';
    this.#wordsPerMinute = Math.round(NORMAL_WORDS_PER_MINUTE * (options.rate ?? 1));
    // Fail at construction, not at the first reply, when the voice does not exist.
    this.#engine.synthesize('', this.#voice, this.#wordsPerMinute, () => true);
  }

  get name(): string {
    return 'espeak-ng';
  }

  get sampleRate(): number {
    return this.#engine.sampleRate;
  }

  synthesize(text: string, signal: AbortSignal): AsyncIterable<Int16Array> {
    return synthesizePerSentence(text, this.sampleRate, signal, async (sentence) =>
      this.#engine.synthesize(sentence, this.#voice, this.#wordsPerMinute, () => signal.aborted),
    );
  }

  close(): void {
    // The engine is per process.
  }
}
