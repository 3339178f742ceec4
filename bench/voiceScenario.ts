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

/** A burst of white noise at about a quarter of full scale (a cough, a bump on the microphone). */
export function whiteNoise(ms: number): Int16Array {
  const out = new Int16Array(Math.round(ms * perMs));
  for (let i = 0; i < out.length; i++) out[i] = Math.round((Math.random() * 2 - 1) * 8000);
  return out;
}

/**
 * flite's awb voice: unlike the agent's (kal16), and the one PocketSphinx with the pizzeria model recognised best of
 * flite's and espeak-ng's voices (6.6% WER on the benchmark's utterances, before Opus; slt 17.6%, espeak-ng 53%).
 */
export async function synthesizeCallerSpeech(text: string, dir: string, index: number): Promise<Int16Array> {
  const raw = path.join(dir, `utt${index}.wav`);
  const pcm = path.join(dir, `utt${index}.s16`);
  await run('flite', ['-voice', 'awb', '-t', text, '-o', raw]);
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
    const pcm = noise
      ? whiteNoise(utterance.noiseMs ?? 0)
      : await synthesizeCallerSpeech(utterance.text, dir, index);
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
  return Promise.all(
    texts.map(async (t, i) => (await synthesizeCallerSpeech(t, dir, 1000 + i)).length / perMs),
  );
}

/**
 * One 10 ms sample of the page's WebRTC audio stats. Chromium refreshes them only every ~50 ms, so the sample also
 * keeps the stats' own times: when the microphone report was made and when the last agent packet arrived.
 */
export interface AudioSample {
  t: number;
  micReportT: number;
  micEnergy: number;
  inPackets: number;
  inLastPacketT: number;
  inEnergy: number;
}

const FIELDS = 6;

/** Starts sampling the page's peer connections every 10 ms (times on the page clock, performance.now()). */
export async function startAudioProbe(page: Page): Promise<void> {
  await page.evaluate((fields) => {
    const w = window as unknown as {
      __voiceRoomPeerConnections?: RTCPeerConnection[];
      __audioProbe?: { samples: number[]; timer: number };
    };
    if (w.__audioProbe) return;
    const probe = { samples: [] as number[], timer: 0 };
    w.__audioProbe = probe;
    // stats times are milliseconds since the epoch in Chromium; the probe works on the page clock
    const toPage = (ms: number) => (ms > 1e12 ? ms - performance.timeOrigin : ms);
    let busy = false;
    probe.timer = window.setInterval(async () => {
      if (busy) return;
      busy = true;
      const now = performance.now();
      let micReportT = 0;
      let micEnergy = 0;
      let inPackets = 0;
      let inLastPacketT = 0;
      let inEnergy = 0;
      for (const pc of w.__voiceRoomPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((s: Record<string, unknown>) => {
          if (s.kind !== 'audio') return;
          if (s.type === 'media-source') {
            micReportT = toPage(Number(s.timestamp ?? 0));
            micEnergy += Number(s.totalAudioEnergy ?? 0);
          }
          if (s.type === 'inbound-rtp') {
            inPackets += Number(s.packetsReceived ?? 0);
            inLastPacketT = Math.max(inLastPacketT, toPage(Number(s.lastPacketReceivedTimestamp ?? 0)));
            inEnergy += Number(s.totalAudioEnergy ?? 0);
          }
        });
      }
      const row = [now, micReportT, micEnergy, inPackets, inLastPacketT, inEnergy];
      probe.samples.push(...row.slice(0, fields));
      busy = false;
    }, 10);
  }, FIELDS);
}

export async function readAudioProbe(page: Page): Promise<AudioSample[]> {
  const flat = await page.evaluate(
    () => (window as unknown as { __audioProbe?: { samples: number[] } }).__audioProbe?.samples ?? [],
  );
  const samples: AudioSample[] = [];
  for (let i = 0; i + FIELDS - 1 < flat.length; i += FIELDS) {
    const [t, micReportT, micEnergy, inPackets, inLastPacketT, inEnergy] = flat.slice(
      i,
      i + FIELDS,
    ) as number[];
    samples.push({
      t: t as number,
      micReportT: micReportT as number,
      micEnergy: micEnergy as number,
      inPackets: inPackets as number,
      inLastPacketT: inLastPacketT as number,
      inEnergy: inEnergy as number,
    });
  }
  return samples;
}

/**
 * Page time of the start of the WAV: where microphone energy first rose (between the two stats reports around
 * it) minus the first utterance's offset in the file.
 */
export function alignFileToPage(samples: AudioSample[], placed: PlacedUtterance[]): number {
  const first = placed[0];
  if (!first) throw new Error('no utterances');
  for (let i = 1; i < samples.length; i++) {
    const cur = samples[i] as AudioSample;
    if (cur.micEnergy - (samples[i - 1] as AudioSample).micEnergy <= 1e-7) continue;
    const previousReport = samples
      .slice(0, i)
      .reverse()
      .find((s) => s.micReportT < cur.micReportT);
    const onset = previousReport ? (previousReport.micReportT + cur.micReportT) / 2 : cur.micReportT;
    return onset - first.startMs;
  }
  throw new Error('the page never captured microphone audio');
}

/**
 * Arrival times of the agent's packets: each stats refresh says how many arrived and when the last one did; the
 * agent sends one packet per 20 ms, so the earlier ones of a refresh are placed 20 ms apart before the last.
 */
export function agentPacketTimes(samples: AudioSample[]): number[] {
  const times: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1] as AudioSample;
    const cur = samples[i] as AudioSample;
    const count = cur.inPackets - prev.inPackets;
    if (count <= 0) continue;
    const floor = times.at(-1) ?? Number.NEGATIVE_INFINITY;
    for (let k = count - 1; k >= 0; k--) times.push(Math.max(floor + 1e-3, cur.inLastPacketT - k * 20));
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
    // Only a turn the agent was silent at the end of has a voice-to-voice time: if the previous reply is still
    // playing when the caller stops, its packets are not the answer.
    const quietAtEnd = !packets.some((t) => t > end - 500 && t <= end + 30);
    const answer = packets.find((t) => t > end + 30 && t < nextStart);
    if (quietAtEnd && answer !== undefined) timing.voiceToVoiceMs = answer - end;
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
