import { describe, expect, it } from 'vitest';
import { SileroVad } from '../../src/stages/vad/SileroVad.ts';

const TIMING = { threshold: 0.5, minSpeechMs: 120, minSilenceMs: 250, prefixPaddingMs: 200 };
const SAMPLES_PER_SECOND = 16_000;

function noise(samples: number, amplitude: number): Int16Array {
  let seed = 7;
  return Int16Array.from({ length: samples }, () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return Math.round(((seed / 0x7fffffff) * 2 - 1) * amplitude);
  });
}

describe('SileroVad', () => {
  it('stops running the model after half a second of silence (below -54 dBFS) and runs it again on the next sound', () => {
    const vad = new SileroVad(TIMING);
    const stream = vad.createStream();
    expect(stream.push(new Int16Array(2 * SAMPLES_PER_SECOND))).toEqual([]);
    expect(stream.push(noise(2 * SAMPLES_PER_SECOND, 40))).toEqual([]);
    // the first 16 silent frames (512 ms) only
    expect(vad.modelRuns).toBe(16);
    expect(stream.probability).toBe(0);
    stream.push(noise(SAMPLES_PER_SECOND, 3_000));
    // 16000 / 512 frames: every frame with sound is scored
    expect(vad.modelRuns).toBe(16 + 31);
    vad.close();
  });

  it('runs the model through pauses shorter than half a second', () => {
    const vad = new SileroVad(TIMING);
    const stream = vad.createStream();
    const sound = noise(SAMPLES_PER_SECOND / 2, 3_000);
    for (let i = 0; i < 4; i++) stream.push(i % 2 === 0 ? sound : new Int16Array(SAMPLES_PER_SECOND / 4));
    expect(vad.modelRuns).toBe(Math.floor((3 * SAMPLES_PER_SECOND) / 2 / 512));
    vad.close();
  });
});
