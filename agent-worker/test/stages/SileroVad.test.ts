import { describe, expect, it } from 'vitest';
import { SileroVad } from '../../src/stages/vad/SileroVad.ts';
import { concat, synthesizeSpeech } from './fixtures/speech.ts';

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

  it('hears a short answer after the caller listened in silence, whatever its alignment with the model frames', async () => {
    const earlier = await synthesizeSpeech('no, change the pepperoni to two', 'flite', 'kal');
    const answer = await synthesizeSpeech('correct', 'flite', 'kal');
    const vad = new SileroVad(TIMING);
    const missedAt: number[] = [];
    // every 32nd of a 512-sample frame: where the answer starts in the model's frames decides how it scores
    for (let shift = 0; shift < 512; shift += 16) {
      const stream = vad.createStream();
      // the caller's earlier line, then 3 s of silence (the agent's reply), then the answer
      stream.push(concat(earlier, new Int16Array(3 * SAMPLES_PER_SECOND + shift)));
      const events = stream.push(concat(answer, new Int16Array(SAMPLES_PER_SECOND / 2)));
      if (!events.some((e) => e.type === 'speech_start')) missedAt.push(shift);
    }
    expect(missedAt).toEqual([]);
    vad.close();
  });
});
