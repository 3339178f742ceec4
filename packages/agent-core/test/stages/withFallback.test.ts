import { CodedError } from '@voiceroom/protocol';
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../src/stages/types.ts';
import { type StageFallback, withFallback } from '../../src/stages/withFallback.ts';

const stage = (name: string): Stage => ({ name, close() {} });
const broken = (name: string) => ({
  name,
  create: (): Stage => {
    throw new CodedError('model_dir_missing', `${name} model missing`);
  },
});

describe('withFallback', () => {
  it('sets up the configured provider when it works, without reporting anything', async () => {
    const told: StageFallback[] = [];
    const got = await withFallback(
      'vad',
      { name: 'silero', create: () => stage('silero') },
      { name: 'energy', create: () => stage('energy') },
      { onFallback: (f) => told.push(f) },
    );
    expect(got.name).toBe('silero');
    expect(told).toEqual([]);
  });

  it('uses the offline provider when the configured one throws, and reports it once with the cause', async () => {
    const told: StageFallback[] = [];
    const got = await withFallback(
      'stt',
      broken('sherpa-onnx'),
      {
        name: 'pocketsphinx',
        create: async () => stage('pocketsphinx'),
      },
      { onFallback: (f) => told.push(f) },
    );
    expect(got.name).toBe('pocketsphinx');
    expect(told).toEqual([
      expect.objectContaining({
        kind: 'stt',
        wanted: 'sherpa-onnx',
        using: 'pocketsphinx',
        message: 'sherpa-onnx stt unavailable, using pocketsphinx: sherpa-onnx model missing',
      }),
    ]);
    expect(told[0]?.error).toMatchObject({ code: 'model_dir_missing' });
  });

  it('lets the error stand when asked not to fall back, or when there is no offline provider', async () => {
    const offline = { name: 'flite', create: () => stage('flite') };
    await expect(withFallback('tts', broken('kokoro'), offline, { fallback: false })).rejects.toMatchObject({
      code: 'model_dir_missing',
    });
    await expect(withFallback('tts', broken('flite'), undefined)).rejects.toThrow('flite model missing');
  });
});
