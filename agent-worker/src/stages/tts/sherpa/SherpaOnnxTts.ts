import type { Tts } from '@voiceroom/agent-core/stages';
import {
  type ModelKind,
  type ResolvedModel,
  resolveModelDir,
  TTS_KINDS,
} from '../../../models/modelLayout.ts';
import { toInt16 } from '../../pcmConvert.ts';
import { loadSherpaOnnx, type SherpaOnnx } from '../../sherpaAddon.ts';
import { synthesizePerSentence } from '../perSentence.ts';

export interface SherpaOnnxTtsOptions {
  /** Directory of a Piper (VITS) or Kokoro model (see `npm run models`). */
  modelDir: string;
  kind?: ModelKind;
  /** Speaker id inside multi-speaker models. */
  speakerId?: number;
  rate?: number;
  numThreads?: number;
}

/**
 * sherpa-onnx offline TTS (Piper/VITS or Kokoro), generated on the addon's worker thread sentence by sentence;
 * the progress callback returns 0 to stop generation as soon as the signal aborts.
 */
export class SherpaOnnxTts implements Tts {
  readonly #tts: SherpaOnnx;
  readonly #model: ResolvedModel;
  readonly #speakerId: number;
  readonly #speed: number;

  static async create(options: SherpaOnnxTtsOptions): Promise<SherpaOnnxTts> {
    const model = resolveModelDir(options.modelDir, TTS_KINDS, options.kind);
    const sherpa = loadSherpaOnnx();
    const f = model.files;
    const common = { numThreads: options.numThreads ?? 1, provider: 'cpu', debug: 0 };
    const modelConfig =
      model.kind === 'kokoro'
        ? { ...common, kokoro: { model: f.model, voices: f.voices, tokens: f.tokens, dataDir: f.dataDir } }
        : { ...common, vits: { model: f.model, tokens: f.tokens, dataDir: f.dataDir } };
    const tts = await sherpa.OfflineTts.createAsync({ model: modelConfig, maxNumSentences: 1 });
    return new SherpaOnnxTts(tts, model, options);
  }

  private constructor(tts: SherpaOnnx, model: ResolvedModel, options: SherpaOnnxTtsOptions) {
    this.#tts = tts;
    this.#model = model;
    this.#speakerId = options.speakerId ?? 0;
    this.#speed = options.rate ?? 1;
  }

  get name(): string {
    return `sherpa-onnx-${this.#model.kind}`;
  }

  get sampleRate(): number {
    return this.#tts.sampleRate as number;
  }

  synthesize(text: string, signal: AbortSignal): AsyncIterable<Int16Array> {
    return synthesizePerSentence(text, this.sampleRate, signal, async (sentence) => {
      const audio = await this.#tts.generateAsync({
        text: sentence,
        sid: this.#speakerId,
        speed: this.#speed,
        onProgress: () => (signal.aborted ? 0 : 1),
      });
      return toInt16(audio.samples as Float32Array);
    });
  }

  close(): void {
    // The addon frees the engine with its handle.
  }
}
