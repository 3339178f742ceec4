/**
 * A scripted caller for voice tests and the voice benchmark: builds the fake-microphone WAV of a conversation
 * (utterances synthesized at test time and placed at known offsets), samples the page's WebRTC audio stats every
 * 10 ms, and turns those samples into voice-to-voice and barge-in stop times.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';

const run = promisify(execFile);
const RATE = 48_000;
const perMs = RATE / 1000;

export interface PlannedUtterance {
  /** Words the caller says, or '' for a burst of white noise `noiseMs` long (a cough, a bump). */
  text: string;
  noiseMs?: number;
  /** Where its first voiced sample goes, in ms from the start of the file. */
  atMs: number;
}

export interface PlacedUtterance {
  text: string;
  noise: boolean;
  startMs: number;
  endMs: number;
}

function whiteNoise(ms: number): Int16Array {
  const out = new Int16Array(Math.round(ms * perMs));
  for (let i = 0; i < out.length; i++) out[i] = Math.round((Math.random() * 2 - 1) * 8000);
  return out;
}

/** flite's slt voice: a caller voice unlike the agent's (flite kal16). */
async function synthesize(text: string, dir: string, index: number): Promise<Int16Array> {
  const raw = path.join(dir, `utt${index}.wav`);
  const pcm = path.join(dir, `utt${index}.s16`);
  await run('flite', ['-voice', 'slt', '-t', text, '-o', raw]);
  await run('sox', [
    raw,
    '-r',
    String(RATE),
    '-c',
    '1',
    '-b',
    '16',
    '-e',
    'signed-integer',
    '-t',
    'raw',
    pcm,
  ]);
  const bytes = await readFile(pcm);
  await Promise.all([rm(raw), rm(pcm)]);
  const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  return trimSilence(samples);
}

/** Cuts leading and trailing near-silence (10 ms windows under 1% of full scale). */
function trimSilence(pcm: Int16Array): Int16Array {
  const window = 10 * perMs;
  const loud = (start: number) => {
    let peak = 0;
    for (let i = start; i < Math.min(pcm.length, start + window); i++)
      peak = Math.max(peak, Math.abs(pcm[i] ?? 0));
    return peak > 328;
  };
  let first = 0;
  while (first < pcm.length && !loud(first)) first += window;
  let last = Math.ceil(pcm.length / window) * window;
  while (last > first && !loud(last - window)) last -= window;
  return pcm.slice(first, Math.min(pcm.length, last));
}

function wavFile(pcm: Int16Array): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + pcm.byteLength, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(pcm.byteLength, 40);
  return Buffer.concat([header, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}

/**
 * Writes `dir/conversation.wav`: silence with each utterance at its `atMs`, `totalMs` long (Chromium loops the
 * file, so make it longer than the call). Returns where each utterance's voiced audio really is.
 */
export async function buildConversationWav(
  plan: PlannedUtterance[],
  totalMs: number,
  dir: string,
): Promise<{ wav: string; placed: PlacedUtterance[] }> {
  const out = new Int16Array(Math.round(totalMs * perMs));
  const placed: PlacedUtterance[] = [];
  for (const [index, utterance] of plan.entries()) {
    const noise = utterance.noiseMs !== undefined;
    const pcm = noise ? whiteNoise(utterance.noiseMs ?? 0) : await synthesize(utterance.text, dir, index);
    const start = Math.round(utterance.atMs * perMs);
    if (start + pcm.length > out.length) throw new Error(`utterance ${index} does not fit in ${totalMs} ms`);
    out.set(pcm, start);
    placed.push({
      text: utterance.text,
      noise,
      startMs: utterance.atMs,
      endMs: utterance.atMs + pcm.length / perMs,
    });
  }
  const wav = path.join(dir, 'conversation.wav');
  await writeFile(wav, wavFile(out));
  return { wav, placed };
}

/** Lengths (ms) of `texts` as the caller voice says them, to plan a conversation's timeline. */
export async function utteranceLengths(texts: string[], dir: string): Promise<number[]> {
  return Promise.all(texts.map(async (t, i) => (await synthesize(t, dir, 1000 + i)).length / perMs));
}

/** One 10 ms sample of the page's audio: local microphone energy and inbound (agent) packets and energy. */
export interface AudioSample {
  t: number;
  micEnergy: number;
  inPackets: number;
  inEnergy: number;
}

/** Starts sampling the page's peer connections every 10 ms (page clock: performance.now()). */
export async function startAudioProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __voiceRoomPeerConnections?: RTCPeerConnection[];
      __audioProbe?: { samples: number[]; timer: number };
    };
    if (w.__audioProbe) return;
    const probe = { samples: [] as number[], timer: 0 };
    w.__audioProbe = probe;
    let busy = false;
    probe.timer = window.setInterval(async () => {
      if (busy) return;
      busy = true;
      let micEnergy = 0;
      let inPackets = 0;
      let inEnergy = 0;
      for (const pc of w.__voiceRoomPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((s: Record<string, unknown>) => {
          if (s.kind !== 'audio') return;
          if (s.type === 'media-source') micEnergy += Number(s.totalAudioEnergy ?? 0);
          if (s.type === 'inbound-rtp') {
            inPackets += Number(s.packetsReceived ?? 0);
            inEnergy += Number(s.totalAudioEnergy ?? 0);
          }
        });
      }
      probe.samples.push(performance.now(), micEnergy, inPackets, inEnergy);
      busy = false;
    }, 10);
  });
}

export async function readAudioProbe(page: Page): Promise<AudioSample[]> {
  const flat = await page.evaluate(
    () => (window as unknown as { __audioProbe?: { samples: number[] } }).__audioProbe?.samples ?? [],
  );
  const samples: AudioSample[] = [];
  for (let i = 0; i + 3 < flat.length; i += 4) {
    samples.push({
      t: flat[i] as number,
      micEnergy: flat[i + 1] as number,
      inPackets: flat[i + 2] as number,
      inEnergy: flat[i + 3] as number,
    });
  }
  return samples;
}

/** Page time of the start of the WAV: the first rise of microphone energy minus the first utterance's offset. */
export function alignFileToPage(samples: AudioSample[], placed: PlacedUtterance[]): number {
  const first = placed[0];
  if (!first) throw new Error('no utterances');
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1] as AudioSample;
    const cur = samples[i] as AudioSample;
    if (cur.micEnergy - prev.micEnergy > 1e-7) return (prev.t + cur.t) / 2 - first.startMs;
  }
  throw new Error('the page never captured microphone audio');
}

/** Page times at which new agent packets arrived (the middle of the sampling interval). */
export function agentPacketTimes(samples: AudioSample[]): number[] {
  const times: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1] as AudioSample;
    const cur = samples[i] as AudioSample;
    if (cur.inPackets > prev.inPackets) times.push((prev.t + cur.t) / 2);
  }
  return times;
}

export interface TurnTiming {
  text: string;
  /** End of the caller's speech -> first agent packet after it (undefined: the agent never answered). */
  voiceToVoiceMs?: number;
  /** For an utterance that started over agent speech: its start -> the last agent packet before it ended. */
  bargeInStopMs?: number;
}

/**
 * Per utterance: voice-to-voice, and for utterances that began while agent packets were flowing (a packet in the
 * 100 ms before they started), how long the agent kept sending after the caller started.
 */
export function analyseTurns(
  samples: AudioSample[],
  placed: PlacedUtterance[],
  fileStartT: number,
): TurnTiming[] {
  const packets = agentPacketTimes(samples);
  return placed.map((u, index) => {
    const start = fileStartT + u.startMs;
    const end = fileStartT + u.endMs;
    const nextStart = placed[index + 1]
      ? fileStartT + (placed[index + 1] as PlacedUtterance).startMs
      : Infinity;
    const timing: TurnTiming = { text: u.text };
    const answer = packets.find((t) => t > end + 30 && t < nextStart);
    // the agent answers only after its endpointing delay: a packet in the first 30 ms after the end is still the
    // previous reply draining, never the answer
    if (answer !== undefined) timing.voiceToVoiceMs = answer - end;
    const overlapped = packets.some((t) => t > start - 100 && t <= start);
    if (overlapped) {
      const during = packets.filter((t) => t > start && t <= end);
      timing.bargeInStopMs = during.length === 0 ? 0 : (during[during.length - 1] as number) - start;
    }
    return timing;
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
