import { defaultModelsDir } from '@voiceroom/agent-core';
import type { Stt } from '@voiceroom/agent-core/stages';
import { type FallbackOptions, type ProviderChoice, withFallback } from '@voiceroom/agent-core/stages';
import { type AgentConfig, requireModelPath } from '@voiceroom/protocol';
import { PocketSphinxStt } from './pocketsphinx/PocketSphinxStt.ts';
import { SherpaOnnxStt } from './sherpa/SherpaOnnxStt.ts';

export interface CreateSttOptions extends FallbackOptions {
  /** Where `npm run models` put the models (default VOICEROOM_MODELS_DIR or ./models); config `asr.model` is relative to it and may not leave it. */
  modelsDir?: string;
  onError?: (error: Error) => void;
  /**
   * PocketSphinx: decode a call's first utterance twice (default true). Better first-turn accuracy for voices far
   * from the model's default normalisation, at one extra decode on that turn (see bench/asr.ts).
   */
  coldStartSecondPass?: boolean;
}

export const DEFAULT_SHERPA_ASR_MODEL = 'zipformer-en-20m';

type SttConfig = Pick<AgentConfig, 'asr' | 'menu' | 'knowledge' | 'handoff'>;

/**
 * A live call's reply waits at most this long for the grammar decoder's reading once the recogniser's own is ready
 * (PocketSphinxSttOptions.grammarWaitMs): a slot's grammar loads in ~300 ms while the question plays, but in seconds
 * on a machine at its capacity, and a reply held that long is worse than one heard without the grammar.
 */
const LIVE_GRAMMAR_WAIT_MS = 500;

const livePocketSphinx = (config: SttConfig, onError?: (error: Error) => void) =>
  PocketSphinxStt.create({ domain: config, grammarWaitMs: LIVE_GRAMMAR_WAIT_MS, onError });

/**
 * The offline recogniser that stands in for the configured one, or undefined when the configured one is already
 * offline. Also what takes over mid-call when the configured recogniser fails (see StageCache.offlineStt).
 */
export function offlineSttFor(
  config: SttConfig,
  options: Pick<CreateSttOptions, 'onError'> = {},
): ProviderChoice<Stt> | undefined {
  if (config.asr.provider === 'pocketsphinx') return undefined;
  return {
    name: 'pocketsphinx',
    create: () => livePocketSphinx(config, options.onError),
  };
}

/**
 * The recogniser the agent configuration asks for. PocketSphinx always gets the agent's own language model (menu,
 * knowledge, phrases); sherpa-onnx falls back to it when its model is missing, unless `fallback` is false.
 */
export async function createStt(config: SttConfig, options: CreateSttOptions = {}): Promise<Stt> {
  const configured: ProviderChoice<Stt> =
    config.asr.provider === 'pocketsphinx'
      ? {
          name: 'pocketsphinx',
          create: () => livePocketSphinx(config, options.onError),
        }
      : {
          name: 'sherpa-onnx',
          create: () => {
            const modelDir = requireModelPath(
              'asr.model',
              config.asr.model ?? DEFAULT_SHERPA_ASR_MODEL,
              options.modelsDir ?? defaultModelsDir(),
            );
            return SherpaOnnxStt.create({ modelDir, onError: options.onError });
          },
        };
  return withFallback('stt', configured, offlineSttFor(config, options), options);
}
