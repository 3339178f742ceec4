import { describe, expect, it } from 'vitest';
import { ResamplingFrameSource } from '../../src/audio/ResamplingFrameSource.ts';
import { concat, tone, toneAmplitude } from './signal.ts';

describe('ResamplingFrameSource', () => {
  it('turns 20 ms chunks at 22.05 kHz into 960-sample 48 kHz frames carrying the same tone', () => {
    let offset = 0;
    let chunks = 50;
    const source = new ResamplingFrameSource(() => {
      if (chunks-- <= 0) return null;
      const chunk = tone(1_000, 22_050, 441, 10_000, offset);
      offset += 441;
      return chunk;
    }, 22_050);
    const frames: Int16Array[] = [];
    for (let frame = source.pull(); frame !== null; frame = source.pull()) frames.push(frame);
    expect(frames.every((f) => f.length === 960)).toBe(true);
    expect(frames.length).toBe(50);
    expect(toneAmplitude(concat(frames), 1_000, 48_000, 4_800)).toBeGreaterThan(9_500);
  });

  it('pads the last partial frame of a reply and starts the next reply clean', () => {
    let pending: Int16Array[] = [tone(500, 16_000, 100)];
    const source = new ResamplingFrameSource(() => pending.shift() ?? null, 16_000);
    const last = source.pull();
    expect(last?.length).toBe(960);
    expect(source.pull()).toBeNull();
    pending = [new Int16Array(320)];
    const next = source.pull();
    expect(next?.every((s) => s === 0)).toBe(true);
  });

  it("at the voice's own rate cuts 20 ms frames of it without changing a sample", () => {
    const voice = tone(500, 16_000, 3 * 320 + 100);
    let given = false;
    const source = new ResamplingFrameSource(
      () => {
        if (given) return null;
        given = true;
        return voice;
      },
      16_000,
      16_000,
    );
    const frames: Int16Array[] = [];
    for (let frame = source.pull(); frame !== null; frame = source.pull()) frames.push(frame);
    expect(frames.map((f) => f.length)).toEqual([320, 320, 320, 320]);
    expect(concat(frames).subarray(0, voice.length)).toEqual(voice);
  });

  it('a cancelled spurt drops what it buffered and ends with three frames of silence, then nothing', () => {
    const pending: Int16Array[] = [tone(500, 16_000, 480, 10_000)];
    const source = new ResamplingFrameSource(() => pending.shift() ?? null, 16_000);
    expect(toneAmplitude(source.pull() as Int16Array, 500, 48_000, 480)).toBeGreaterThan(5_000);
    source.cancel();
    const tail = [source.pull(), source.pull(), source.pull()];
    expect(tail.map((f) => f?.length)).toEqual([960, 960, 960]);
    expect(tail.every((f) => f?.every((s) => s === 0))).toBe(true);
    expect(source.pull()).toBeNull();
  });

  it('audio resumed after a cancel goes out at once, with no silence owed in front of it or after it', () => {
    const pending: Int16Array[] = [tone(500, 16_000, 320, 10_000)];
    const source = new ResamplingFrameSource(() => pending.shift() ?? null, 16_000);
    source.pull();
    source.cancel();
    pending.push(tone(500, 16_000, 320, 10_000));
    expect(source.pull()?.some((s) => s !== 0)).toBe(true);
    expect(source.pull()).toBeNull();
  });
});
