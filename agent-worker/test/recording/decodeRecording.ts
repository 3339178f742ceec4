import { OpusDecoderStream } from '../../src/audio/OpusCodec.ts';
import { readOggOpusPackets } from '../../src/recording/OggOpusWriter.ts';

/** The recording decoded back to 48 kHz mono, pre-skip dropped. */
export function decodeRecording(file: Uint8Array): Int16Array {
  const { packets, preSkip } = readOggOpusPackets(file);
  const decoder = new OpusDecoderStream();
  const frames = packets.map((p) => decoder.decode(p));
  decoder.close();
  const pcm = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let offset = 0;
  for (const frame of frames) {
    pcm.set(frame, offset);
    offset += frame.length;
  }
  return pcm.subarray(preSkip);
}

/** Amplitude of `frequency` in `samples` (single-bin DFT). */
export function amplitude(samples: Int16Array, frequency: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i++) {
    const phase = (2 * Math.PI * frequency * i) / rate;
    re += (samples[i] as number) * Math.cos(phase);
    im += (samples[i] as number) * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}
