import { type AgentConfig, requireModelPath } from '@voiceroom/sdk/protocol';
import { defaultModelsDir } from '../../models/modelLayout.ts';
import type { Stt } from '../types.ts';
import { PocketSphinxStt } from './pocketsphinx/PocketSphinxStt.ts';
import { SherpaOnnxStt } from './sherpa/SherpaOnnxStt.ts';

export interface CreateSttOptions {
  /** Where `npm run models` put the models (default VOICEROOM_MODELS_DIR or ./models); config `asr.model` is relative to it and may not leave it. */
  modelsDir?: string;
  /** When the configured model cannot be loaded, use PocketSphinx instead of failing (default true). */
  fallback?: boolean;
  onWarning?: (message: string, error: Error) => void;
  onError?: (error: Error) => void;
  /**
   * PocketSphinx: decode a call's first utterance twice (default true). Better first-turn accuracy for voices far
   * from the model's default normalisation, at one extra decode on that turn (see bench/asr.ts).
   */
  coldStartSecondPass?: boolean;
}

export const DEFAULT_SHERPA_ASR_MODEL = 'zipformer-en-20m';

/**
 * The recogniser the agent configuration asks for. PocketSphinx always gets the agent's own language model (menu,
 * knowledge, phrases); sherpa-onnx falls back to it when its model is missing, unless `fallback` is false.
 */
export async function createStt(
  config: Pick<AgentConfig, 'asr' | 'menu' | 'knowledge' | 'handoff'>,
  options: CreateSttOptions = {},
): Promise<Stt> {
  const pocketsphinx = (): Promise<Stt> =>
    PocketSphinxStt.create({ domain: config, onError: options.onError });
  if (config.asr.provider === 'pocketsphinx') return pocketsphinx();
  try {
    const modelDir = requireModelPath(
      'asr.model',
      config.asr.model ?? DEFAULT_SHERPA_ASR_MODEL,
      options.modelsDir ?? defaultModelsDir(),
    );
    return await SherpaOnnxStt.create({ modelDir, onError: options.onError });
  } catch (error) {
    if (options.fallback === false) throw error;
    options.onWarning?.(
      `sherpa-onnx ASR unavailable, using PocketSphinx: ${(error as Error).message}`,
      error as Error,
    );
    return pocketsphinx();
  }
}
