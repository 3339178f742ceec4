import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ASR_KINDS, ModelLayoutError, resolveModelDir, TTS_KINDS } from '../../src/models/modelLayout.ts';
import { SherpaOnnxStt } from '../../src/stages/stt/sherpa/SherpaOnnxStt.ts';
import { checkKokoroDir, KokoroTts } from '../../src/stages/tts/kokoro/KokoroTts.ts';
import { SherpaOnnxTts } from '../../src/stages/tts/sherpa/SherpaOnnxTts.ts';

const dirs: string[] = [];
function modelDir(files: string[], directories: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'voiceroom-model-'));
  dirs.push(dir);
  for (const d of directories) mkdirSync(join(dir, d), { recursive: true });
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), 'x');
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function layoutError(fn: () => unknown): ModelLayoutError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ModelLayoutError) return error;
    throw error;
  }
  throw new Error('expected a ModelLayoutError');
}

describe('model directory layouts', () => {
  it('detects a streaming Zipformer and prefers its int8 files', () => {
    const dir = modelDir([
      'encoder-epoch-99-avg-1.onnx',
      'encoder-epoch-99-avg-1.int8.onnx',
      'decoder-epoch-99-avg-1.onnx',
      'joiner-epoch-99-avg-1.int8.onnx',
      'tokens.txt',
    ]);
    const model = resolveModelDir(dir, ASR_KINDS);
    expect(model.kind).toBe('zipformer-streaming');
    expect(model.files.encoder).toBe(join(dir, 'encoder-epoch-99-avg-1.int8.onnx'));
    expect(model.files.decoder).toBe(join(dir, 'decoder-epoch-99-avg-1.onnx'));
  });

  it('detects Moonshine and Whisper', () => {
    const moonshine = modelDir([
      'preprocess.onnx',
      'encode.int8.onnx',
      'uncached_decode.int8.onnx',
      'cached_decode.int8.onnx',
      'tokens.txt',
    ]);
    expect(resolveModelDir(moonshine, ASR_KINDS).kind).toBe('moonshine');
    const whisper = modelDir([
      'tiny.en-encoder.int8.onnx',
      'tiny.en-decoder.int8.onnx',
      'tiny.en-tokens.txt',
    ]);
    expect(resolveModelDir(whisper, ASR_KINDS).kind).toBe('whisper');
  });

  it('names the missing files of an incomplete model', () => {
    const dir = modelDir(['encoder.onnx', 'decoder.onnx', 'tokens.txt']);
    const error = layoutError(() => resolveModelDir(dir, ASR_KINDS));
    expect(error.code).toBe('model_files_missing');
    expect(error.missing).toEqual(['joiner*.onnx']);
    expect(error.message).toContain('joiner*.onnx');
  });

  it('tells Kokoro from Piper by voices.bin and requires espeak-ng-data', () => {
    const kokoro = modelDir(['model.int8.onnx', 'voices.bin', 'tokens.txt'], ['espeak-ng-data']);
    expect(resolveModelDir(kokoro, TTS_KINDS).kind).toBe('kokoro');
    const piper = modelDir(['en_US-amy-low.onnx', 'tokens.txt'], ['espeak-ng-data']);
    expect(resolveModelDir(piper, TTS_KINDS).kind).toBe('piper');
    const noData = modelDir(['en_US-amy-low.onnx', 'tokens.txt']);
    expect(layoutError(() => resolveModelDir(noData, TTS_KINDS, 'piper')).missing).toEqual([
      'espeak-ng-data/',
    ]);
  });

  it('reports a missing directory and an unrecognised one', () => {
    expect(layoutError(() => resolveModelDir('/nonexistent/model', ASR_KINDS)).code).toBe(
      'model_dir_missing',
    );
    expect(layoutError(() => resolveModelDir(modelDir(['README.md']), ASR_KINDS)).code).toBe(
      'model_kind_unknown',
    );
  });
});

describe('neural providers validate their model directory before loading anything', () => {
  it('SherpaOnnxStt names the missing files', async () => {
    const dir = modelDir(['preprocess.onnx', 'encode.int8.onnx', 'tokens.txt']);
    await expect(SherpaOnnxStt.create({ modelDir: dir })).rejects.toMatchObject({
      code: 'model_files_missing',
      missing: ['uncached_decode.onnx', 'cached_decode.onnx'],
    });
    await expect(SherpaOnnxStt.create({ modelDir: join(dir, 'nope') })).rejects.toMatchObject({
      code: 'model_dir_missing',
    });
  });

  it('SherpaOnnxTts names the missing files', async () => {
    const dir = modelDir(['model.onnx', 'voices.bin'], ['espeak-ng-data']);
    await expect(SherpaOnnxTts.create({ modelDir: dir })).rejects.toMatchObject({
      code: 'model_files_missing',
      missing: ['tokens.txt'],
    });
  });

  it('KokoroTts (kokoro-js) names the missing files of a local Kokoro-82M copy', async () => {
    const dir = modelDir(['config.json', 'tokenizer.json', 'voices/af_heart.bin']);
    expect(() => checkKokoroDir(dir, 'af_heart')).toThrow(
      /tokenizer_config\.json, onnx\/model_quantized\.onnx/,
    );
    await expect(KokoroTts.create({ modelDir: dir })).rejects.toMatchObject({ code: 'model_files_missing' });
    const complete = modelDir([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'voices/af_heart.bin',
      'onnx/model_quantized.onnx',
    ]);
    expect(checkKokoroDir(complete, 'af_heart')).toEqual({ dtype: 'q8' });
  });
});
