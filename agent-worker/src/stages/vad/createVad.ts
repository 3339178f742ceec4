import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Vad } from '../types.ts';
import { EnergyVad } from './EnergyVad.ts';
import { SileroVad } from './SileroVad.ts';

/** The VAD the agent configuration asks for. Silero throws (with a code) when its runtime or model is missing. */
export function createVad(config: AgentConfig['vad']): Vad {
  const timing = {
    threshold: config.threshold,
    prefixPaddingMs: config.prefixPaddingMs,
    minSpeechMs: config.minSpeechMs,
    minSilenceMs: config.minSilenceMs,
  };
  return config.provider === 'silero' ? new SileroVad(timing) : new EnergyVad(timing);
}
