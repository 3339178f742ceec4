/**
 * VAD and TTS benchmark: `npm run bench:speech`. VAD: processing time per frame (Silero 32 ms, energy 20 ms) over
 * 60 s of synthetic speech with pauses. TTS: time to first audio and real-time factor per provider on a typical
 * reply, and time to first audio through SentenceStream with a streamed reply (tokens arriving every 20 ms).
 * Prints one JSON line and writes bench/results/speech-stages.json. Progress goes to stderr.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tts, Vad } from '@voiceroom/agent-core/stages';
import { EspeakTts } from '../agent-worker/src/stages/tts/espeak/EspeakTts.ts';
import { FliteTts } from '../agent-worker/src/stages/tts/flite/FliteTts.ts';
import { SentenceStream } from '../agent-worker/src/stages/tts/SentenceStream.ts';
import { EnergyVad } from '../agent-worker/src/stages/vad/EnergyVad.ts';
import { SileroVad } from '../agent-worker/src/stages/vad/SileroVad.ts';
import { concat, silence, synthesizeSpeech } from '../agent-worker/test/stages/fixtures/speech.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'speech-stages.json');
const progress = (message: string) => process.stderr.write(`[bench:speech] ${message}\n`);
const TIMING = { threshold: 0.5, prefixPaddingMs: 200, minSpeechMs: 120, minSilenceMs: 300 };
const REPLY =
  "Sure, two large pepperoni pizzas. That's $31.00 so far. Would you like anything to drink with that? " +
  'We have coke and lemonade.';

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function benchVad(vad: Vad, audio: Int16Array, frameSamples: number): Record<string, number> {
  const stream = vad.createStream();
  let events = 0;
  const started = performance.now();
  for (let i = 0; i < audio.length; i += 320) events += stream.push(audio.subarray(i, i + 320)).length;
  const ms = performance.now() - started;
  stream.close();
  const frames = audio.length / frameSamples;
  return {
    ms_per_frame: round(ms / frames, 4),
    frame_ms: (frameSamples / 16_000) * 1000,
    rtf: round(ms / ((audio.length / 16_000) * 1000), 5),
    events,
  };
}

async function benchTts(tts: Tts): Promise<Record<string, number>> {
  const firsts: number[] = [];
  const rtfs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    let first = 0;
    let samples = 0;
    for await (const chunk of tts.synthesize(REPLY, new AbortController().signal)) {
      if (first === 0) first = performance.now() - started;
      samples += chunk.length;
    }
    firsts.push(first);
    rtfs.push((performance.now() - started) / ((samples / tts.sampleRate) * 1000));
  }
  const streamed: number[] = [];
  for (let run = 0; run < 5; run++) {
    async function* tokens(): AsyncIterable<string> {
      for (const token of REPLY.split(/(?<= )/)) {
        await new Promise((r) => setTimeout(r, 20));
        yield token;
      }
    }
    const started = performance.now();
    const stream = new SentenceStream(tts, tokens(), {
      parallelism: 2,
      signal: new AbortController().signal,
    });
    let first = 0;
    for await (const spoken of stream) {
      for await (const _chunk of spoken.audio) if (first === 0) first = performance.now() - started;
    }
    streamed.push(first);
  }
  return {
    sample_rate: tts.sampleRate,
    first_audio_ms: round(median(firsts), 2),
    rtf: round(median(rtfs), 4),
    streamed_reply_first_audio_ms: round(median(streamed), 1),
  };
}

async function main(): Promise<void> {
  progress('synthesising 60 s of speech with pauses');
  const parts: Int16Array[] = [];
  let total = 0;
  for (let i = 0; total < 60 * 16_000; i++) {
    const part = concat(
      await synthesizeSpeech(
        'I would like two large pepperoni pizzas and a coke please',
        i % 2 ? 'espeak-ng' : 'flite',
      ),
      silence(700),
    );
    parts.push(part);
    total += part.length;
  }
  const audio = concat(...parts);
  progress('VAD');
  const vad = {
    silero: benchVad(new SileroVad(TIMING), audio, 512),
    energy: benchVad(new EnergyVad(TIMING), audio, 320),
  };
  progress('TTS');
  const tts = {
    flite_kal16: await benchTts(await FliteTts.create({ voice: 'kal16' })),
    flite_slt: await benchTts(await FliteTts.create({ voice: 'slt' })),
    espeak_ng: await benchTts(new EspeakTts()),
  };
  const summary = {
    bench: 'speech-stages',
    vad,
    tts,
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    at: new Date().toISOString(),
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify(summary));
}

await main();
