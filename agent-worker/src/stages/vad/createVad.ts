import type { Vad } from '@voiceroom/agent-core/stages';
import { type FallbackOptions, type ProviderChoice, withFallback } from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import { EnergyVad } from './EnergyVad.ts';
import { SileroVad } from './SileroVad.ts';

const timingOf = (config: AgentConfig['vad']) => ({
  threshold: config.threshold,
  prefixPaddingMs: config.prefixPaddingMs,
  minSpeechMs: config.minSpeechMs,
  minSilenceMs: config.minSilenceMs,
});

const energy = (config: AgentConfig['vad']): ProviderChoice<Vad> => ({
  name: 'energy',
  create: () => new EnergyVad(timingOf(config)),
});

/**
 * The offline VAD that stands in for the configured one (at setup, and mid-call when it fails), or undefined when
 * the configured one is already offline.
 */
export function offlineVadFor(config: AgentConfig['vad']): ProviderChoice<Vad> | undefined {
  return config.provider === 'energy' ? undefined : energy(config);
}

/**
 * The VAD the agent configuration asks for. Silero throws (with a code) when its runtime or model is missing; the
 * energy VAD then stands in with the same timing, unless `fallback` is false.
 */
export function createVad(config: AgentConfig['vad'], options: FallbackOptions = {}): Promise<Vad> {
  const configured: ProviderChoice<Vad> =
    config.provider === 'energy'
      ? energy(config)
      : {
          name: 'silero',
          create: () => new SileroVad(timingOf(config), { foregroundGate: config.foregroundGate ?? true }),
        };
  return withFallback('vad', configured, offlineVadFor(config), options);
}
