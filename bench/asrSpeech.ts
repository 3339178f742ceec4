/**
 * Caller speech as the recogniser receives it (16 kHz mono), for the benchmarks that score PocketSphinx: any local
 * caller voice (bench/voiceScenario.ts) or the real human recordings (bench/voicePlan.ts), each padded with the
 * silence a VAD leaves around an utterance.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { concat, parseWav, resampleTo16k, silence } from '../agent-worker/test/stages/fixtures/speech.ts';
import { realClips } from './voicePlan.ts';
import { type CallerVoice, synthesizeCallerSpeech } from './voiceScenario.ts';

export interface Utterance {
  reference: string;
  pcm: Int16Array;
}

const padded = (pcm: Int16Array) => concat(silence(200), pcm, silence(300));

/** `text` said by `voice`, 16 kHz. */
export async function speak16k(text: string, voice: CallerVoice): Promise<Int16Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-asr-'));
  try {
    return padded(await resampleTo16k(await synthesizeCallerSpeech(text, dir, 0, voice), 48_000));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every real recording in `dir` with its transcript, 16 kHz; throws (saying what to set) if `dir` is missing. */
export async function realUtterances(dir: string): Promise<Utterance[]> {
  const out: Utterance[] = [];
  for (const clip of realClips(dir)) {
    const wav = parseWav(readFileSync(path.join(dir, clip.file)));
    out.push({ reference: clip.transcript, pcm: padded(await resampleTo16k(wav.samples, wav.sampleRate)) });
  }
  return out;
}
