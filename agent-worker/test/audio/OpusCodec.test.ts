import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES_48K, OpusDecoderStream, OpusEncoderStream } from '../../src/audio/OpusCodec.ts';
import { bestCorrelation, concat, rms, tone, toneAmplitude } from './signal.ts';

function encodeTone(frames: number, frequency = 440): { pcm: Int16Array; packets: Uint8Array[] } {
  const encoder = new OpusEncoderStream();
  const pcm = tone(frequency, 48_000, frames * FRAME_SAMPLES_48K);
  const packets: Uint8Array[] = [];
  for (let f = 0; f < frames; f++)
    packets.push(encoder.encode(pcm.subarray(f * FRAME_SAMPLES_48K, (f + 1) * FRAME_SAMPLES_48K)));
  return { pcm, packets };
}

describe('Opus codec', () => {
  it('round-trips a tone with high correlation after the codec delay', () => {
    const { pcm, packets } = encodeTone(50);
    const decoder = new OpusDecoderStream();
    const decoded = concat(packets.map((p) => decoder.decode(p)));
    expect(decoded.length).toBe(pcm.length);
    const { correlation } = bestCorrelation(pcm.subarray(4_800, 40_000), decoded.subarray(4_800), 800);
    expect(correlation).toBeGreaterThan(0.95);
    expect(rms(decoded, 4_800)).toBeGreaterThan(rms(pcm) * 0.8);
  });

  it('decoded frames are independent copies, not views of a reused buffer', () => {
    const { packets } = encodeTone(3);
    const decoder = new OpusDecoderStream();
    const first = decoder.decode(packets[1] as Uint8Array);
    const snapshot = first.slice();
    decoder.decode(packets[2] as Uint8Array);
    expect(first).toEqual(snapshot);
  });

  it('conceals a lost frame with audio continuing the tone (PLC), not silence', () => {
    const { packets } = encodeTone(20);
    const decoder = new OpusDecoderStream();
    for (let i = 0; i < 10; i++) decoder.decode(packets[i] as Uint8Array);
    const concealed = decoder.conceal();
    expect(concealed.length).toBe(FRAME_SAMPLES_48K);
    expect(rms(concealed)).toBeGreaterThan(3_000);
    expect(decoder.concealedFrames).toBe(1);
  });

  it("rebuilds a lost frame from the next packet's FEC data far better than PLC guesses it", () => {
    const encoder = new OpusEncoderStream({ expectedLossPercent: 20 });
    const pcm = new Int16Array(50 * FRAME_SAMPLES_48K);
    for (let i = 0; i < pcm.length; i++) {
      const t = i / 48_000;
      const voice =
        Math.sin(2 * Math.PI * 200 * t) +
        0.6 * Math.sin(2 * Math.PI * 400 * t) +
        0.3 * Math.sin(2 * Math.PI * 800 * t);
      pcm[i] = Math.round(4_000 * voice * (0.6 + 0.4 * Math.sin(2 * Math.PI * 2 * t)));
    }
    const packets = Array.from({ length: 50 }, (_, f) =>
      encoder.encode(pcm.subarray(f * FRAME_SAMPLES_48K, (f + 1) * FRAME_SAMPLES_48K)),
    );
    const reference = new OpusDecoderStream();
    const clean = packets.map((p) => reference.decode(p))[30] as Int16Array;
    const snrOfLoss = (rebuild: (d: OpusDecoderStream) => Int16Array) => {
      const decoder = new OpusDecoderStream();
      for (let f = 0; f < 30; f++) decoder.decode(packets[f] as Uint8Array);
      const frame = rebuild(decoder);
      let signal = 0;
      let noise = 0;
      for (let i = 0; i < clean.length; i++) {
        signal += (clean[i] as number) ** 2;
        noise += ((clean[i] as number) - (frame[i] as number)) ** 2;
      }
      return 10 * Math.log10(signal / noise);
    };
    const fec = snrOfLoss((d) => d.recover(packets[31] as Uint8Array));
    const plc = snrOfLoss((d) => d.conceal());
    expect(fec).toBeGreaterThan(20);
    expect(fec).toBeGreaterThan(plc + 10);
  });

  it('conceals with silence before any packet was decoded', () => {
    const concealed = new OpusDecoderStream().conceal();
    expect(concealed.length).toBe(FRAME_SAMPLES_48K);
    expect(rms(concealed)).toBe(0);
  });

  it('survives garbage payloads, returning one frame each', () => {
    const decoder = new OpusDecoderStream();
    const garbage = [
      Uint8Array.of(),
      Uint8Array.of(0xff, 0xff, 0xff),
      Uint8Array.from({ length: 400 }, (_, i) => (i * 37) & 0xff),
    ];
    for (const payload of garbage) expect(decoder.decode(payload).length).toBeGreaterThan(0);
  });

  it('refuses to encode a frame that is not 20 ms at 48 kHz', () => {
    expect(() => new OpusEncoderStream().encode(new Int16Array(320))).toThrow(/960 samples/);
  });

  it('decodes a 48 kHz stream straight to 16 kHz: 320-sample frames, concealment included, carrying the tone', () => {
    const { packets } = encodeTone(50, 1_000);
    const decoder = new OpusDecoderStream({ rate: 16_000 });
    const decoded = concat(packets.map((p) => decoder.decode(p)));
    expect(decoded.length).toBe(50 * 320);
    expect(toneAmplitude(decoded, 1_000, 16_000, 1_600)).toBeGreaterThan(8_000);
    expect(decoder.conceal().length).toBe(320);
  });

  it('encodes 16 kHz speech as it is: a 48 kHz decoder hears the same tone', () => {
    const encoder = new OpusEncoderStream({ rate: 16_000, complexity: 5 });
    const pcm = tone(1_000, 16_000, 50 * 320);
    const packets = Array.from({ length: 50 }, (_, f) =>
      encoder.encode(pcm.subarray(f * 320, (f + 1) * 320)),
    );
    expect(() => encoder.encode(new Int16Array(960))).toThrow(/320 samples/);
    const decoder = new OpusDecoderStream();
    const decoded = concat(packets.map((p) => decoder.decode(p)));
    expect(toneAmplitude(decoded, 1_000, 48_000, 4_800)).toBeGreaterThan(8_000);
  });

  it('refuses a rate Opus does not code natively, saying which it does', () => {
    expect(() => new OpusDecoderStream({ rate: 22_050 })).toThrow(/8000, 12000, 16000, 24000, 48000/);
    expect(() => new OpusEncoderStream({ rate: 44_100 })).toThrow(/not 44100/);
  });
});
