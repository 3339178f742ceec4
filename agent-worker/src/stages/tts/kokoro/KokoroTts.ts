import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Tts } from '@voiceroom/agent-core/stages';
import { CodedError } from '@voiceroom/protocol';
import { ModelLayoutError } from '../../../models/modelLayout.ts';
import { toInt16 } from '../../pcmConvert.ts';
import { synthesizePerSentence } from '../perSentence.ts';

export interface KokoroTtsOptions {
  /** A local copy of the onnx-community Kokoro-82M repository (config.json, tokenizer.json, onnx/, voices/). */
  modelDir: string;
  voice?: string;
  rate?: number;
}

const KOKORO_SAMPLE_RATE = 24_000;

/** The files kokoro-js needs from a local model directory; throws naming the missing ones. */
export function checkKokoroDir(dir: string, voice: string): { dtype: 'q8' | 'fp32' } {
  if (!existsSync(dir)) {
    throw new ModelLayoutError('model_dir_missing', `Kokoro model directory ${dir} does not exist`);
  }
  const onnx = existsSync(join(dir, 'onnx')) ? readdirSync(join(dir, 'onnx')) : [];
  const dtype = onnx.includes('model_quantized.onnx') ? 'q8' : 'fp32';
  const required = ['config.json', 'tokenizer.json', 'tokenizer_config.json', `voices/${voice}.bin`];
  const missing = required.filter((f) => !existsSync(join(dir, f)));
  if (!onnx.includes('model_quantized.onnx') && !onnx.includes('model.onnx'))
    missing.push('onnx/model_quantized.onnx');
  if (missing.length > 0) {
    throw new ModelLayoutError(
      'model_files_missing',
      `${dir} is not a complete Kokoro-82M ONNX copy: missing ${missing.join(', ')}`,
      missing,
    );
  }
  return { dtype };
}

interface KokoroEngine {
  generate(
    text: string,
    options: { voice: string; speed: number },
  ): Promise<{ audio: Float32Array; sampling_rate: number }>;
}

/**
 * Kokoro-82M through kokoro-js, from local files only (never fetched). kokoro-js is an optional dependency: it is
 * loaded when this provider is created.
 */
export class KokoroTts implements Tts {
  readonly #engine: KokoroEngine;
  readonly #voice: string;
  readonly #speed: number;

  static async create(options: KokoroTtsOptions): Promise<KokoroTts> {
    const voice = options.voice ?? 'af_heart';
    const { dtype } = checkKokoroDir(options.modelDir, voice);
    let kokoro: {
      KokoroTTS: { from_pretrained(dir: string, o: Record<string, unknown>): Promise<KokoroEngine> };
    };
    try {
      kokoro = await import(/* @vite-ignore */ 'kokoro-js' as string);
    } catch {
      throw new CodedError(
        'tts_provider_unavailable',
        'kokoro-js is not installed; add it to the agent worker, or use tts.provider sherpa-onnx with the ' +
          'kokoro-en model from `npm run models` (same voice, no extra dependency)',
      );
    }
    const engine = await kokoro.KokoroTTS.from_pretrained(options.modelDir, {
      dtype,
      device: 'cpu',
      local_files_only: true,
    });
    return new KokoroTts(engine, voice, options.rate ?? 1);
  }

  private constructor(engine: KokoroEngine, voice: string, speed: number) {
    this.#engine = engine;
    this.#voice = voice;
    this.#speed = speed;
  }

  get name(): string {
    return 'kokoro';
  }

  get sampleRate(): number {
    return KOKORO_SAMPLE_RATE;
  }

  synthesize(text: string, signal: AbortSignal): AsyncIterable<Int16Array> {
    return synthesizePerSentence(text, KOKORO_SAMPLE_RATE, signal, async (sentence) => {
      const { audio } = await this.#engine.generate(sentence, { voice: this.#voice, speed: this.#speed });
      return toInt16(audio);
    });
  }

  close(): void {}
}
