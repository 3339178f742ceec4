import { createSocket } from 'node:dgram';
import {
  FRAME_SAMPLES_48K,
  OpusDecoderStream,
  OpusEncoderStream,
} from '../agent-worker/src/audio/OpusCodec.ts';
import { buildRtpPacket, parseRtpPacket } from '../agent-worker/src/rtp/rtpPacket.ts';
import { MediaSession } from '../agent-worker/src/transport/MediaSession.ts';
import { EchoPipeline } from '../agent-worker/src/worker/EchoPipeline.ts';

export interface EchoLatencyResult {
  trials: number;
  /** Caller's first loud packet sent -> the agent's first loud packet received, over loopback UDP, in ms. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

function loud(pcm: Int16Array): boolean {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return Math.sqrt(sum / pcm.length) > 1_000;
}

/**
 * The latency the agent's media path adds, measured for real over loopback UDP with a zero-delay echo pipeline:
 * jitter buffer, decode, 48->16 kHz, pipeline hand-off, pacer wake-up, 16->48 kHz, encode and send.
 */
async function oneTrial(): Promise<number> {
  const server = createSocket('udp4');
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  const pipeline = new EchoPipeline({ roomId: 'bench', emit: () => {} });
  const session = await MediaSession.open({
    bindIp: '127.0.0.1',
    voice: { sampleRate: pipeline.outputSampleRate, pull: () => pipeline.pullAudio() },
  });
  session.on('audio', (pcm) => pipeline.pushCallerAudio(pcm));
  session.start({
    ingest: { ip: '127.0.0.1', port: server.address().port },
    send: { payloadType: 111, ssrc: 2 },
    receive: [{ ssrc: 1, payloadType: 100, peerId: 'caller', role: 'customer' }],
  });
  const decoder = new OpusDecoderStream();
  const encoder = new OpusEncoderStream();
  let loudSentAt = 0;
  const heard = new Promise<number>((resolve) => {
    server.on('message', (data) => {
      const parsed = parseRtpPacket(data);
      if (parsed.ok && loudSentAt > 0 && loud(decoder.decode(parsed.packet.payload)))
        resolve(performance.now());
    });
  });
  const tone = (f: number) => {
    const pcm = new Int16Array(FRAME_SAMPLES_48K);
    for (let i = 0; i < pcm.length; i++)
      pcm[i] = Math.round(8_000 * Math.sin((2 * Math.PI * 440 * (f * 960 + i)) / 48_000));
    return pcm;
  };
  const start = performance.now();
  const target = session.localAddress;
  for (let f = 0; f < 40; f++) {
    const isLoud = f >= 20;
    const payload = encoder.encode(isLoud ? tone(f) : new Int16Array(FRAME_SAMPLES_48K));
    if (isLoud && loudSentAt === 0) loudSentAt = performance.now();
    server.send(
      buildRtpPacket({ payloadType: 100, sequenceNumber: f, timestamp: f * 960, ssrc: 1, payload }),
      target.port,
      target.ip,
    );
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, start + (f + 1) * 20 - performance.now())),
    );
  }
  const arrived = await Promise.race([
    heard,
    new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 2_000)),
  ]);
  session.close();
  server.close();
  pipeline.close();
  return arrived - loudSentAt;
}

export async function benchEchoLatency(options: { trials?: number } = {}): Promise<EchoLatencyResult> {
  const trials = options.trials ?? 20;
  const samples: number[] = [];
  for (let t = 0; t < trials; t++) {
    const latency = await oneTrial();
    if (Number.isNaN(latency)) throw new Error('the echo never came back: the media path is broken');
    samples.push(latency);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    Number((samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] as number).toFixed(1));
  return { trials, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
}
