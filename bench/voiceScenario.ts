/**
 * The scripted caller's speech and ears for voice tests and the voice benchmark: utterances synthesized at run time
 * in a voice unlike the agent's, and a probe that samples the page's WebRTC audio stats every 10 ms to tell when
 * the agent's packets arrived.
 */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';

const run = promisify(execFile);
const RATE = 48_000;
const perMs = RATE / 1000;

/** A burst of white noise at about a quarter of full scale (a cough, a bump on the microphone), 48 kHz. */
export function whiteNoise(ms: number): Int16Array {
  const out = new Int16Array(Math.round(ms * perMs));
  for (let i = 0; i < out.length; i++) out[i] = Math.round((Math.random() * 2 - 1) * 8000);
  return out;
}

/**
 * `text` said in flite's awb voice, 48 kHz mono, leading and trailing silence cut. awb is unlike the agent's voice
 * (kal16), and PocketSphinx with the pizzeria model recognised it best of flite's and espeak-ng's voices (6.6% WER
 * on the benchmark's utterances before Opus; slt 17.6%, espeak-ng 53%).
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
  return trimSilence(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2));
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

/**
 * One 10 ms sample of the page's inbound (agent) audio stats. Chromium refreshes them only every ~50 ms, so the
 * sample also keeps when the last packet arrived, by the stats' own clock.
 */
export interface AudioSample {
  t: number;
  inPackets: number;
  inLastPacketT: number;
}

/** Starts sampling the page's peer connections every 10 ms (times on the page clock, performance.now()). */
export async function startAudioProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
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
      let inPackets = 0;
      let inLastPacketT = 0;
      for (const pc of w.__voiceRoomPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((s: Record<string, unknown>) => {
          if (s.kind !== 'audio' || s.type !== 'inbound-rtp') return;
          inPackets += Number(s.packetsReceived ?? 0);
          inLastPacketT = Math.max(inLastPacketT, toPage(Number(s.lastPacketReceivedTimestamp ?? 0)));
        });
      }
      probe.samples.push(now, inPackets, inLastPacketT);
      busy = false;
    }, 10);
  });
}

export async function readAudioProbe(page: Page): Promise<AudioSample[]> {
  const flat = await page.evaluate(
    () => (window as unknown as { __audioProbe?: { samples: number[] } }).__audioProbe?.samples ?? [],
  );
  const samples: AudioSample[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    samples.push({
      t: flat[i] as number,
      inPackets: flat[i + 1] as number,
      inLastPacketT: flat[i + 2] as number,
    });
  }
  return samples;
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

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
