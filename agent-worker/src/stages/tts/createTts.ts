import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelsDir } from '@voiceroom/agent-core';
import type { Tts } from '@voiceroom/agent-core/stages';
import { type FallbackOptions, withFallback } from '@voiceroom/agent-core/stages';
import { type AgentConfig, requireModelPath } from '@voiceroom/protocol';
import { EspeakTts } from './espeak/EspeakTts.ts';
import { FliteTts } from './flite/FliteTts.ts';
import { KokoroTts } from './kokoro/KokoroTts.ts';
import { SherpaOnnxTts } from './sherpa/SherpaOnnxTts.ts';

export interface CreateTtsOptions extends FallbackOptions {
  /** Where `npm run models` put the models (default VOICEROOM_MODELS_DIR or ./models); config `tts.model` is relative to it and may not leave it. */
  modelsDir?: string;
}

export const DEFAULT_SHERPA_TTS_MODEL = 'kokoro-en';

/**
 * The synthesiser the agent configuration asks for. Kokoro is served by sherpa-onnx when the model directory has
 * sherpa-onnx's layout (what `npm run models` installs), by kokoro-js otherwise. A neural voice that cannot be
 * loaded falls back to flite (kal16), unless `fallback` is false.
 */
export async function createTts(config: AgentConfig['tts'], options: CreateTtsOptions = {}): Promise<Tts> {
  const modelDir = (fallbackName: string): string => {
    return requireModelPath(
      'tts.model',
      config.model ?? fallbackName,
      options.modelsDir ?? defaultModelsDir(),
    );
  };
  switch (config.provider) {
    case 'flite':
      return FliteTts.create({ voice: config.voice, rate: config.rate });
    case 'espeak-ng':
      return new EspeakTts({ voice: config.voice, rate: config.rate });
    default: {
      const neural = async (): Promise<Tts> => {
        const dir = modelDir(DEFAULT_SHERPA_TTS_MODEL);
        if (config.provider === 'kokoro' && !existsSync(join(dir, 'voices.bin'))) {
          return KokoroTts.create({ modelDir: dir, voice: config.voice, rate: config.rate });
        }
        const speakerId =
          config.voice !== undefined && /^\d+$/.test(config.voice) ? Number(config.voice) : undefined;
        return SherpaOnnxTts.create({ modelDir: dir, speakerId, rate: config.rate });
      };
      const flite = { name: 'flite', create: () => FliteTts.create({ rate: config.rate }) };
      return withFallback('tts', { name: config.provider, create: neural }, flite, options);
    }
  }
}
