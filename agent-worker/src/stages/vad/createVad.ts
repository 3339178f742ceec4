import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Vad } from '../types.ts';
import { type FallbackOptions, type ProviderChoice, withFallback } from '../withFallback.ts';
import { EnergyVad } from './EnergyVad.ts';
import { SileroVad } from './SileroVad.ts';

/**
 * The VAD the agent configuration asks for. Silero throws (with a code) when its runtime or model is missing; the
 * energy VAD then stands in with the same timing, unless `fallback` is false.
 */
export function createVad(config: AgentConfig['vad'], options: FallbackOptions = {}): Promise<Vad> {
  const timing = {
    threshold: config.threshold,
    prefixPaddingMs: config.prefixPaddingMs,
    minSpeechMs: config.minSpeechMs,
    minSilenceMs: config.minSilenceMs,
  };
  const energy: ProviderChoice<Vad> = { name: 'energy', create: () => new EnergyVad(timing) };
  if (config.provider === 'energy') return withFallback('vad', energy, undefined, options);
  return withFallback('vad', { name: 'silero', create: () => new SileroVad(timing) }, energy, options);
}
