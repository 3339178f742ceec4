import { readFileSync } from 'node:fs';
import { type AgentConfig, AgentConfigSchema } from '@voiceroom/sdk/protocol';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { StageCache } from '../../src/pipeline/stageCache.ts';

const pizzeria: AgentConfig = AgentConfigSchema.parse(
  parse(readFileSync(new URL('../../agents/pizzeria.yaml', import.meta.url), 'utf8')),
);

describe('StageCache', () => {
  it('loads the configured stages once and shares them between calls of the same configuration', async () => {
    const cache = new StageCache();
    const [first, second] = await Promise.all([cache.get(pizzeria), cache.get(structuredClone(pizzeria))]);
    expect(first).toBe(second);
    expect(cache.size).toBe(1);
    expect([first.vad.name, first.stt.name, first.tts.name, first.dialog.name]).toEqual([
      'silero',
      'pocketsphinx',
      'flite',
      'scripted',
    ]);
    // each call still gets its own streams
    expect(first.stt.createStream()).not.toBe(first.stt.createStream());
  }, 60_000);

  it('keeps at most maxEntries configurations, dropping the least recently used', async () => {
    const cache = new StageCache({ maxEntries: 1 });
    const energy = { ...pizzeria, vad: { ...pizzeria.vad, provider: 'energy' as const } };
    const a = await cache.get(pizzeria);
    const b = await cache.get(energy);
    expect(b.vad.name).toBe('energy');
    expect(cache.size).toBe(1);
    expect(await cache.get(pizzeria)).not.toBe(a);
  }, 60_000);

  it('does not keep a failed load, so a later call can retry', async () => {
    const cache = new StageCache();
    const broken = {
      ...pizzeria,
      tts: { ...pizzeria.tts, provider: 'flite' as const, voice: 'no-such-voice' },
    };
    await expect(cache.get(broken)).rejects.toThrow();
    expect(cache.size).toBe(0);
  }, 60_000);
});
