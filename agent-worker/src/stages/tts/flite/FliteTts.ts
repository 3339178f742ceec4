import type { Tts } from '@voiceroom/agent-core/stages';
import { synthesizePerSentence } from '../perSentence.ts';
import { type FliteVoice, loadFliteVoice } from './native.ts';

export interface FliteTtsOptions {
  /** Built-in flite voice: kal16 (default, the agent's voice), kal, slt, rms, awb. */
  voice?: string;
  /** Speaking rate multiplier (1 = normal). */
  rate?: number;
}

/** CMU Flite through libflite (off the event loop), sentence by sentence. */
export class FliteTts implements Tts {
  readonly #voice: FliteVoice;
  readonly #stretch: number;
  readonly #sampleRate: number;

  static async create(options: FliteTtsOptions = {}): Promise<FliteTts> {
    const voice = loadFliteVoice(options.voice ?? 'kal16');
    // The voice's rate is only known from its output.
    const probe = await voice.synthesize('a', 1);
    return new FliteTts(voice, probe.sampleRate, options.rate ?? 1);
  }

  private constructor(voice: FliteVoice, sampleRate: number, rate: number) {
    this.#voice = voice;
    this.#sampleRate = sampleRate;
    this.#stretch = 1 / rate;
  }

  get name(): string {
    return 'flite';
  }

  get sampleRate(): number {
    return this.#sampleRate;
  }

  synthesize(text: string, signal: AbortSignal): AsyncIterable<Int16Array> {
    return synthesizePerSentence(text, this.#sampleRate, signal, async (sentence) => {
      return (await this.#voice.synthesize(sentence, this.#stretch)).samples;
    });
  }

  close(): void {
    // Voices are shared per process and live as long as it does.
  }
}
