/**
 * Benchmark of the agent's media path without the network: caller Opus RTP -> parse -> jitter buffer -> decode ->
 * 16 kHz, and agent speech at the TTS rate -> 48 kHz -> Opus -> RTP, on a virtual clock so it runs as fast as the CPU
 * allows. Prints JSON (and writes bench/results/media-path.json): CPU per 20 ms frame each way, the real-time factor
 * and `media_only_calls_per_core` (the media path alone, not an agent's capacity); then the latency the path adds
 * in and out, measured over loopback UDP with an echo pipeline.
 *
 *   npm run bench:media -- [seconds=60] [ttsRate=16000]   (pacer lead: AGENT_PACER_LEAD_MS, as in the worker)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InboundAudioStream } from '../agent-worker/src/audio/InboundAudioStream.ts';
import { FRAME_SAMPLES_48K, OpusEncoderStream } from '../agent-worker/src/audio/OpusCodec.ts';
import { PacerLeadMsSchema } from '../agent-worker/src/audio/pacerLead.ts';
import { Resampler } from '../agent-worker/src/audio/Resampler.ts';
import { ResamplingFrameSource } from '../agent-worker/src/audio/ResamplingFrameSource.ts';
import { RtpReceiver } from '../agent-worker/src/rtp/RtpReceiver.ts';
import { buildRtpPacket } from '../agent-worker/src/rtp/rtpPacket.ts';
import { benchEchoLatency } from './echoLatency.ts';

export interface MediaPathBenchResult {
  audioSeconds: number;
  ttsRate: number;
  inboundUsPerFrame: number;
  outboundUsPerFrame: number;
  /** CPU time / audio time for one call, both directions. */
  realTimeFactor: number;
  /**
   * 1 / realTimeFactor: calls one core could carry for RTP, jitter buffer, Opus and resampling alone; no VAD, ASR,
   * dialog, TTS, sockets or timers, so far more than the calls an agent worker carries (see the load benchmark).
   */
  media_only_calls_per_core: number;
  /** Latency the media path adds by design (resampler group delays, the configured pacer lead). */
  designLatencyMs: { inboundResampler: number; outboundResampler: number; pacerLead: number };
  lossPercent: number;
  heapUsedMB: number;
}

function speechLike(samples: number, rate: number, offset: number): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = (i + offset) / rate;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
    out[i] = Math.round(
      6_000 * envelope * (Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 1_100 * t)),
    );
  }
  return out;
}

export function benchMediaPath(
  options: { seconds?: number; ttsRate?: number; lossPercent?: number } = {},
): MediaPathBenchResult {
  const seconds = options.seconds ?? 60;
  const ttsRate = options.ttsRate ?? 16_000;
  const lossPercent = options.lossPercent ?? 2;
  const frames = seconds * 50;

  // Caller side: pre-encode so only the agent's own work is timed.
  const encoder = new OpusEncoderStream();
  const datagrams: Buffer[] = [];
  for (let f = 0; f < frames; f++) {
    const pcm = speechLike(FRAME_SAMPLES_48K, 48_000, f * FRAME_SAMPLES_48K);
    datagrams.push(
      buildRtpPacket({
        payloadType: 100,
        sequenceNumber: f,
        timestamp: f * 960,
        ssrc: 1,
        payload: encoder.encode(pcm),
      }),
    );
  }
  const receiver = new RtpReceiver({ payloadTypes: [100], ssrcs: [1] });
  let delivered = 0;
  const inbound = new InboundAudioStream({
    onAudio: (pcm) => {
      delivered += pcm.length;
    },
  });
  let seed = 12_345;
  const lost = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed % 10_000 < lossPercent * 100;
  };
  const inStart = process.cpuUsage();
  for (let f = 0; f < frames; f++) {
    const now = f * 20;
    if (!lost()) {
      const packet = receiver.receive(datagrams[f] as Buffer);
      if (packet) inbound.push(packet, now);
    }
    inbound.poll(now);
  }
  inbound.poll(frames * 20 + 1_000);
  const inCpu = process.cpuUsage(inStart);

  // Agent side: TTS-rate chunks -> 48 kHz frames -> Opus -> RTP.
  let chunk = 0;
  const chunkSamples = ttsRate / 50;
  const source = new ResamplingFrameSource(
    () => (chunk < frames ? speechLike(chunkSamples, ttsRate, chunkSamples * chunk++) : null),
    ttsRate,
  );
  const agentEncoder = new OpusEncoderStream();
  let sent = 0;
  const outStart = process.cpuUsage();
  for (let frame = source.pull(); frame !== null; frame = source.pull()) {
    buildRtpPacket({
      payloadType: 111,
      sequenceNumber: sent,
      timestamp: sent * 960,
      ssrc: 2,
      payload: agentEncoder.encode(frame),
    });
    sent++;
  }
  const outCpu = process.cpuUsage(outStart);

  if (delivered < frames * 320 * 0.99)
    throw new Error(`inbound delivered ${delivered} samples for ${frames} frames`);
  const us = (cpu: NodeJS.CpuUsage) => cpu.user + cpu.system;
  const inboundUsPerFrame = us(inCpu) / frames;
  const outboundUsPerFrame = us(outCpu) / sent;
  const realTimeFactor = (inboundUsPerFrame + outboundUsPerFrame) / 20_000;
  const round = (n: number, digits = 2) => Number(n.toFixed(digits));
  return {
    audioSeconds: seconds,
    ttsRate,
    inboundUsPerFrame: round(inboundUsPerFrame),
    outboundUsPerFrame: round(outboundUsPerFrame),
    realTimeFactor: round(realTimeFactor, 5),
    media_only_calls_per_core: Math.floor(1 / realTimeFactor),
    designLatencyMs: {
      inboundResampler: round(
        (new Resampler({ inputRate: 48_000, outputRate: 16_000 }).delayInputSamples / 48_000) * 1000,
      ),
      outboundResampler: round(
        (new Resampler({ inputRate: ttsRate, outputRate: 48_000 }).delayInputSamples / ttsRate) * 1000,
      ),
      pacerLead: PacerLeadMsSchema.parse(process.env.AGENT_PACER_LEAD_MS),
    },
    lossPercent,
    heapUsedMB: round(process.memoryUsage().heapUsed / 2 ** 20, 1),
  };
}

if (import.meta.main) {
  const seconds = Number(process.argv[2] ?? 60);
  const ttsRate = Number(process.argv[3] ?? 16_000);
  const result = {
    name: 'media-path',
    at: new Date().toISOString(),
    ...benchMediaPath({ seconds, ttsRate }),
    echoLatency: await benchEchoLatency({ trials: 20 }),
  };
  const json = JSON.stringify(result, null, 2);
  console.log(json);
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'media-path.json'), `${json}\n`);
}
