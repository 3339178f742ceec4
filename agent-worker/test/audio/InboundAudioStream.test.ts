import { describe, expect, it } from 'vitest';
import { InboundAudioStream } from '../../src/audio/InboundAudioStream.ts';
import { FRAME_SAMPLES_48K, OpusEncoderStream } from '../../src/audio/OpusCodec.ts';
import { RtpReceiver } from '../../src/rtp/RtpReceiver.ts';
import { buildRtpPacket, type RtpPacket } from '../../src/rtp/rtpPacket.ts';
import { concat, rms, tone, toneAmplitude } from './signal.ts';

function opusPackets(pcm: Int16Array): RtpPacket[] {
  const encoder = new OpusEncoderStream();
  const packets: RtpPacket[] = [];
  for (let f = 0; f * FRAME_SAMPLES_48K < pcm.length; f++) {
    packets.push({
      payloadType: 100,
      sequenceNumber: (65_000 + f) & 0xffff,
      timestamp: f * FRAME_SAMPLES_48K,
      ssrc: 7,
      marker: false,
      csrcs: [],
      extension: null,
      payload: encoder.encode(pcm.subarray(f * FRAME_SAMPLES_48K, (f + 1) * FRAME_SAMPLES_48K)),
    });
  }
  return packets;
}

describe('InboundAudioStream', () => {
  it('delivers a caller tone at 16 kHz with a gap-free timeline despite reordering and loss', () => {
    const chunks: Int16Array[] = [];
    const times: number[] = [];
    const stream = new InboundAudioStream({
      onAudio: (pcm, atMs) => {
        chunks.push(pcm);
        times.push(atMs);
      },
    });
    const packets = opusPackets(tone(1_000, 48_000, 100 * FRAME_SAMPLES_48K));
    // Swap 10 and 11, lose 40.
    [packets[10], packets[11]] = [packets[11] as RtpPacket, packets[10] as RtpPacket];
    packets.splice(40, 1);
    for (const [i, p] of packets.entries()) stream.push(p, i * 20);
    stream.poll(2_100);

    expect(times).toEqual(Array.from({ length: 100 }, (_, i) => i * 20));
    const audio = concat(chunks);
    expect(audio.length).toBe(100 * 320);
    expect(toneAmplitude(audio, 1_000, 16_000, 1_600)).toBeGreaterThan(5_000);
    // The rebuilt frame is not silence.
    expect(rms(audio, 40 * 320, 41 * 320)).toBeGreaterThan(2_000);
    // The lost packet is rebuilt from the FEC data of the one after it.
    expect(stream.stats).toMatchObject({ lost: 1, reordered: 1, recoveredFrames: 1, concealedFrames: 0 });
  });

  it('delivers real-time silence when the caller stream stalls, so speech can end', () => {
    const times: number[] = [];
    const levels: number[] = [];
    const stream = new InboundAudioStream({
      stallMs: 300,
      onAudio: (pcm, atMs) => {
        times.push(atMs);
        levels.push(rms(pcm));
      },
    });
    const packets = opusPackets(tone(1_000, 48_000, 10 * FRAME_SAMPLES_48K));
    for (const [i, p] of packets.entries()) stream.push(p, i * 20);
    for (let now = 200; now <= 1_180; now += 10) stream.poll(now);
    // 10 frames of tone, then nothing until 300 ms after the last one, then 20 ms of silence per 20 ms of time.
    expect(levels.slice(0, 10).every((l) => l > 1_000)).toBe(true);
    const silent = levels.slice(10);
    expect(silent.every((l) => l === 0)).toBe(true);
    expect(silent.length).toBe(Math.floor((1_180 - 180 - 300) / 20) + 1);
    expect(stream.stats.silenceFrames).toBe(silent.length);
    expect(times).toEqual(times.map((_, i) => i * 20));
  });

  it('stays bounded over five minutes of silence mixed with random garbage RTP', () => {
    const receiver = new RtpReceiver({ payloadTypes: [100] });
    let delivered = 0;
    const stream = new InboundAudioStream({
      onAudio: (pcm) => {
        delivered += pcm.length;
      },
    });
    const silence = opusPackets(new Int16Array(3 * FRAME_SAMPLES_48K))[2]?.payload as Uint8Array;
    let seed = 1;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed;
    };
    let maxBuffered = 0;
    const frames = 5 * 60 * 50;
    for (let f = 0; f < frames; f++) {
      const now = f * 20;
      const datagram = buildRtpPacket({
        payloadType: 100,
        sequenceNumber: f,
        timestamp: f * 960,
        ssrc: 9,
        payload: silence,
      });
      const packet = receiver.receive(datagram);
      if (packet && f % 7 !== 3) stream.push(packet, now);
      const garbage = Buffer.alloc(random() % 200);
      for (let j = 0; j < garbage.length; j++) garbage[j] = random() & 0xff;
      if (random() % 2 === 0) garbage[0] = 0x80; // valid version: exercise the deeper checks
      const junk = receiver.receive(garbage);
      if (junk) stream.push(junk, now);
      stream.poll(now);
      maxBuffered = Math.max(maxBuffered, stream.stats.buffered);
    }
    expect(maxBuffered).toBeLessThanOrEqual(51);
    expect(receiver.droppedTotal).toBeGreaterThan(frames / 2);
    // Every 7th packet lost yet the timeline keeps up with real time (junk resets may cost a little).
    expect(delivered / 16_000).toBeGreaterThan(5 * 60 * 0.9);
    expect(process.memoryUsage().heapUsed).toBeLessThan(512 * 1024 * 1024);
  });
});
