import { tmpdir } from 'node:os';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { TtsConfigSchema, VadConfigSchema } from '@voiceroom/protocol';
import { describe, expect, it } from 'vitest';
import { MODEL_MANIFEST } from '../../src/models/manifest.ts';
import { createStt } from '../../src/stages/stt/createStt.ts';
import { createTts } from '../../src/stages/tts/createTts.ts';
import { createVad } from '../../src/stages/vad/createVad.ts';
import { silence, synthesizeSpeech } from './fixtures/speech.ts';

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);
const emptyModels = tmpdir();

describe('createVad', () => {
  it('builds the configured provider with the configured timing', async () => {
    expect((await createVad(VadConfigSchema.parse({}))).name).toBe('silero');
    const energy = await createVad(VadConfigSchema.parse({ provider: 'energy', minSpeechMs: 5000 }));
    expect(energy.name).toBe('energy');
    // minSpeechMs of 5 s: a 2.5 s sentence never counts as speech.
    const speech = await synthesizeSpeech('my name is john smith and I live on main street', 'flite');
    expect(energy.createStream().push(speech)).toEqual([]);
  });
});

describe('createTts', () => {
  it('builds flite with the configured voice, and espeak-ng', async () => {
    const flite = await createTts(TtsConfigSchema.parse({ provider: 'flite', voice: 'kal' }));
    expect([flite.name, flite.sampleRate]).toEqual(['flite', 8000]);
    const espeak = await createTts(TtsConfigSchema.parse({ provider: 'espeak-ng' }));
    expect([espeak.name, espeak.sampleRate]).toEqual(['espeak-ng', 22_050]);
  });

  it('rejects an unknown voice with a code', async () => {
    await expect(
      createTts(TtsConfigSchema.parse({ provider: 'flite', voice: 'nosuchvoice' })),
    ).rejects.toMatchObject({
      code: 'tts_voice_missing',
    });
  });

  it('falls back to flite with a warning when a neural voice is missing, or fails when asked to', async () => {
    const warnings: string[] = [];
    const tts = await createTts(TtsConfigSchema.parse({ provider: 'sherpa-onnx', model: 'absent-voice' }), {
      modelsDir: emptyModels,
      onFallback: (f) => warnings.push(f.message),
    });
    expect(tts.name).toBe('flite');
    expect(warnings[0]).toMatch(/absent-voice does not exist/);
    await expect(
      createTts(TtsConfigSchema.parse({ provider: 'kokoro', model: 'absent-voice' }), {
        modelsDir: emptyModels,
        fallback: false,
      }),
    ).rejects.toMatchObject({ code: 'model_dir_missing' });
  });
});

describe('createStt', () => {
  it('builds PocketSphinx over the agent language model', async () => {
    const stt = await createStt(pizzeria);
    expect(stt.name).toBe('pocketsphinx');
    const stream = stt.createStream();
    stream.pushAudio(silence(200));
    stream.endUtterance();
    for await (const event of stream) {
      expect(event).toMatchObject({ type: 'final', text: '' });
      break;
    }
    stream.close();
  });

  it('falls back to PocketSphinx with a warning when the sherpa-onnx model is missing, or fails when asked to', async () => {
    const config = {
      ...pizzeria,
      asr: { ...pizzeria.asr, provider: 'sherpa-onnx' as const, model: 'absent-asr' },
    };
    const warnings: string[] = [];
    const stt = await createStt(config, {
      modelsDir: emptyModels,
      onFallback: (f) => warnings.push(f.message),
    });
    expect(stt.name).toBe('pocketsphinx');
    expect(warnings[0]).toMatch(/npm run models/);
    await expect(createStt(config, { modelsDir: emptyModels, fallback: false })).rejects.toMatchObject({
      code: 'model_dir_missing',
    });
  });
});

describe('model paths', () => {
  it('never loads a model from outside the models directory', async () => {
    const outside = { code: 'provider_policy_invalid' };
    await expect(
      createTts(TtsConfigSchema.parse({ provider: 'sherpa-onnx', model: '../../etc' }), {
        modelsDir: emptyModels,
        fallback: false,
      }),
    ).rejects.toMatchObject(outside);
    const warnings: string[] = [];
    const config = { ...pizzeria, asr: { ...pizzeria.asr, provider: 'sherpa-onnx' as const, model: '/etc' } };
    const stt = await createStt(config, {
      modelsDir: emptyModels,
      onFallback: (f) => warnings.push(f.message),
    });
    expect(stt.name).toBe('pocketsphinx');
    expect(warnings[0]).toMatch(/asr\.model: \/etc is outside the models directory/);
  });
});

describe('model manifest', () => {
  it('pins every recommended model by sha256 at an official release location', () => {
    expect(new Set(MODEL_MANIFEST.map((e) => e.name)).size).toBe(MODEL_MANIFEST.length);
    for (const entry of MODEL_MANIFEST) {
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.url).toMatch(
        /^https:\/\/(github\.com\/k2-fsa\/sherpa-onnx\/releases\/download\/|huggingface\.co\/Qwen\/)/,
      );
      expect(entry.archiveRoot !== undefined || entry.fileName !== undefined).toBe(true);
    }
    expect(new Set(MODEL_MANIFEST.map((e) => e.purpose))).toEqual(new Set(['asr', 'tts', 'llm']));
  });
});
