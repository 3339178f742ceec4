/**
 * The scripted caller's speech and ears for voice tests and the voice benchmark: utterances synthesized at run time
 * in any local TTS voice, and a probe that samples every 10 ms the level of the agent's audio as the page renders
 * it and the page's WebRTC stats (when the agent's packets arrived).
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

/** A local TTS voice for the scripted caller. */
export interface CallerVoice {
  engine: 'flite' | 'espeak-ng';
  name: string;
}

/**
 * Every caller voice this machine has: flite's voices (but awb_time, a limited-domain voice that can only say the
 * time) and espeak-ng's English voices (but the MBROLA ones when the mbrola program is missing). A benchmark runs
 * over all of them, so no voice is picked for scoring well.
 */
export async function availableCallerVoices(): Promise<CallerVoice[]> {
  const flite = (await run('flite', ['-lv'])).stdout
    .replace(/^.*?:/, '')
    .split(/\s+/)
    .filter((v) => v !== '' && v !== 'awb_time')
    .map((name) => ({ engine: 'flite' as const, name }));
  const hasMbrola = await run('mbrola', ['-h']).then(
    () => true,
    () => false,
  );
  const espeak = (await run('espeak-ng', ['--voices=en'])).stdout
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[4] ?? '')
    .filter((file) => file !== '' && !file.startsWith('!v/') && (hasMbrola || !file.startsWith('mb/')))
    .map((file) => ({ engine: 'espeak-ng' as const, name: file.replace(/^[^/]+\//, '') }));
  return [...flite, ...espeak];
}

export const voiceLabel = (voice: CallerVoice) => `${voice.engine}:${voice.name}`;

/** `text` said by `voice` (flite's awb by default), 48 kHz mono, leading and trailing silence cut. */
export async function synthesizeCallerSpeech(
  text: string,
  dir: string,
  index: number,
  voice: CallerVoice = { engine: 'flite', name: 'awb' },
): Promise<Int16Array> {
  const raw = path.join(dir, `utt${index}.wav`);
  if (voice.engine === 'flite') await run('flite', ['-voice', voice.name, '-t', text, '-o', raw]);
  else await run('espeak-ng', ['-v', voice.name, '-w', raw, text]);
  return toCallerPcm(raw, dir, index);
}

/** A recording (any WAV sox reads) as caller speech: 48 kHz mono, leading and trailing silence cut. */
export async function toCallerPcm(wav: string, dir: string, index: number): Promise<Int16Array> {
  const pcm = path.join(dir, `utt${index}.s16`);
  await run('sox', [
    wav,
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
  await rm(pcm);
  if (wav.startsWith(dir)) await rm(wav);
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
 * One ~10 ms sample of the page's inbound (agent) audio. `rms` is the output level of the received tracks as the
 * page renders them (an AnalyserNode after Chromium's jitter buffer and decoder; the 10.7 ms window ends at `t`).
 * Packet stats refresh only every ~50 ms, so the sample also keeps when the last packet arrived, by the stats' own
 * clock.
 */
export interface AudioSample {
  t: number;
  rms: number;
  inPackets: number;
  inLastPacketT: number;
}

/**
 * Starts sampling the page's received audio every 10 ms (times on the page clock, performance.now()): the output
 * level of every received audio track, and the packet counters of its peer connections.
 */
export async function startAudioProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __voiceRoomPeerConnections?: RTCPeerConnection[];
      __audioProbe?: { samples: number[]; timer: number; audibleSince(t: number): boolean };
    };
    if (w.__audioProbe) return;
    let ctx: AudioContext | undefined;
    const analysers = new Map<string, AnalyserNode>();
    const buffer = new Float32Array(512);
    const samples: number[] = [];
    // the level read: every live received audio track gets an analyser (fed like the page's <audio> element)
    const level = () => {
      for (const pc of w.__voiceRoomPeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        for (const receiver of pc.getReceivers()) {
          const track = receiver.track;
          if (track.kind !== 'audio' || track.readyState !== 'live' || analysers.has(track.id)) continue;
          ctx ??= new AudioContext({ sampleRate: 48_000 });
          void ctx.resume();
          const analyser = ctx.createAnalyser();
          analyser.fftSize = buffer.length;
          ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
          analysers.set(track.id, analyser);
        }
      }
      let rms = 0;
      for (const analyser of analysers.values()) {
        analyser.getFloatTimeDomainData(buffer);
        let sum = 0;
        for (const v of buffer) sum += v * v;
        rms = Math.max(rms, Math.sqrt(sum / buffer.length));
      }
      return rms;
    };
    // stats times are milliseconds since the epoch in Chromium; the probe works on the page clock
    const toPage = (ms: number) => (ms > 1e12 ? ms - performance.timeOrigin : ms);
    let busy = false;
    const probe = {
      samples,
      timer: 0,
      /** True if some sample since `t` was at speech level (drives a barge-in over audible speech). */
      audibleSince(t: number) {
        for (let i = samples.length - 4; i >= 0 && (samples[i] as number) >= t; i -= 4)
          if ((samples[i + 1] as number) >= 0.01) return true;
        return false;
      },
    };
    w.__audioProbe = probe;
    probe.timer = window.setInterval(async () => {
      if (busy) return;
      busy = true;
      const now = performance.now();
      const rms = level();
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
      samples.push(now, rms, inPackets, inLastPacketT);
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
      rms: flat[i + 1] as number,
      inPackets: flat[i + 2] as number,
      inLastPacketT: flat[i + 3] as number,
    });
  }
  return samples;
}

/** True once the agent has been audible in the page since page time `t`. */
export async function agentAudibleSince(page: Page, t: number): Promise<boolean> {
  return page.evaluate(
    (since) =>
      (window as unknown as { __audioProbe: { audibleSince(t: number): boolean } }).__audioProbe.audibleSince(
        since,
      ),
    t,
  );
}

/** The page clock (performance.now()) minus this process's, to put server-side event times on the page clock. */
export async function pageClockOffset(page: Page): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const before = performance.now();
    const pageT = await page.evaluate(() => performance.now());
    const after = performance.now();
    if (after - before < best.rtt) best = { rtt: after - before, offset: pageT - (before + after) / 2 };
  }
  return best.offset;
}

/**
 * When agent packets arrived, one time per stats refresh that counted new ones: the arrival of the refresh's last
 * packet, so a first packet is never placed earlier than it arrived.
 */
export function packetArrivals(samples: readonly AudioSample[]): number[] {
  const times: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1] as AudioSample;
    const cur = samples[i] as AudioSample;
    if (cur.inPackets > prev.inPackets && cur.inLastPacketT !== times.at(-1)) times.push(cur.inLastPacketT);
  }
  return times;
}

/**
 * Arrival times of the agent's packets: each stats refresh says how many arrived and when the last one did; the
 * agent sends one packet per 20 ms, so the earlier ones of a refresh are placed 20 ms apart before the last (an
 * estimate for counting packets in a span; latencies use `packetArrivals`, which never back-dates).
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
