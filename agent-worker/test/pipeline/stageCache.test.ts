import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { Stage } from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import { describe, expect, it } from 'vitest';
import { type CallStages, StageCache } from '../../src/pipeline/StageCache.ts';

/** Stages that only count their close() calls, loaded per configuration id. */
function countingLoader() {
  const closed: string[] = [];
  const stage = (agent: string, kind: string): Stage => ({
    name: `${agent}-${kind}`,
    close: () => {
      closed.push(`${agent}-${kind}`);
    },
  });
  const load = async (config: AgentConfig) =>
    Object.fromEntries(
      ['vad', 'stt', 'tts', 'dialog'].map((kind) => [kind, stage(config.id, kind)]),
    ) as unknown as CallStages;
  return { closed, load };
}
const agent = (id: string): AgentConfig => ({ ...pizzeria, id });
const settle = () => new Promise((resolve) => setImmediate(resolve));

const pizzeria: AgentConfig = loadAgentFile(DEFAULT_AGENT_FILE);

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

  it('closes all four stages of an evicted configuration, but only once its last call released them', async () => {
    const { closed, load } = countingLoader();
    const cache = new StageCache({ maxEntries: 1, load });
    const lease = await cache.acquire(agent('a'));
    await cache.get(agent('b'));
    await settle();
    expect(closed).toEqual([]);
    lease.release();
    lease.release();
    await settle();
    expect(closed.sort()).toEqual(['a-dialog', 'a-stt', 'a-tts', 'a-vad']);
  });

  it('close() closes every loaded stage, and refuses new calls', async () => {
    const { closed, load } = countingLoader();
    const cache = new StageCache({ load });
    await cache.get(agent('a'));
    cache.close();
    await settle();
    expect(closed.sort()).toEqual(['a-dialog', 'a-stt', 'a-tts', 'a-vad']);
    await expect(cache.acquire(agent('a'))).rejects.toThrow(/shutting down/);
  });

  it('offers offline stages for mid-call failures only where the configured one is not already offline', async () => {
    const { load } = countingLoader();
    const cache = new StageCache({ load });
    // pizzeria: silero VAD (energy stands by), PocketSphinx (already offline)
    expect(Object.keys((await cache.acquire(pizzeria)).fallbacks)).toEqual(['vad']);
    const sherpa = {
      ...pizzeria,
      vad: { ...pizzeria.vad, provider: 'energy' as const },
      asr: { ...pizzeria.asr, provider: 'sherpa-onnx' as const },
    };
    expect(Object.keys((await cache.acquire(sherpa)).fallbacks)).toEqual(['stt']);
  });

  it('loads an offline stage once per configuration, shared by its calls', async () => {
    const { load } = countingLoader();
    const cache = new StageCache({ load });
    const [a, b] = await Promise.all([cache.acquire(pizzeria), cache.acquire(pizzeria)]);
    const vad = await a.fallbacks.vad?.();
    expect(vad?.name).toBe('energy');
    expect(await b.fallbacks.vad?.()).toBe(vad);
  });

  it('shares the recogniser between configurations built the same, so a recording switch does not rebuild it', async () => {
    const { closed, load } = countingLoader();
    const built: string[] = [];
    const cache = new StageCache({
      maxEntries: 1,
      load: async (config, hooks) => ({ ...(await load(config)), stt: await hooks.recogniser() }),
      loadRecogniser: async (config) => {
        const name = `stt-${built.push(config.menu.items[0]?.name ?? '')}`;
        return { name, close: () => void closed.push(name) } as never;
      },
    });
    const recording = { ...pizzeria, recording: { enabled: true } };
    const lease = await cache.acquire(pizzeria);
    const withRecording = await cache.get(recording);
    expect(withRecording.stt).toBe(lease.stages.stt);
    expect(withRecording.tts).not.toBe(lease.stages.tts);
    expect(built).toHaveLength(1);
    // another menu is another language model
    const otherMenu = { ...pizzeria, menu: { ...pizzeria.menu, items: pizzeria.menu.items.slice(1) } };
    expect((await cache.get(otherMenu)).stt).not.toBe(lease.stages.stt);
    expect(built).toHaveLength(2);
    await settle();
    // the first recogniser's configurations were both evicted; it closes with the call still using it
    expect(closed).not.toContain('stt-1');
    lease.release();
    await settle();
    expect(closed).toContain('stt-1');
  });

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
