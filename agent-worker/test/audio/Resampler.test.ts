import { describe, expect, it } from 'vitest';
import { Resampler } from '../../src/audio/Resampler.ts';
import { concat, tone, toneAmplitude } from './signal.ts';

/** Resamples a steady tone in 20 ms chunks and measures its amplitude after the filter has settled. */
function passTone(frequency: number, inputRate: number, outputRate: number): number {
  const resampler = new Resampler({ inputRate, outputRate });
  const chunk = inputRate / 50;
  const chunks: Int16Array[] = [];
  for (let i = 0; i < 50; i++)
    chunks.push(resampler.process(tone(frequency, inputRate, chunk, 10_000, i * chunk)));
  const out = concat(chunks);
  return toneAmplitude(out, frequency, outputRate, Math.floor(out.length / 4));
}

describe('Resampler', () => {
  it('produces exactly the rate ratio of samples over a stream of odd chunk sizes', () => {
    const resampler = new Resampler({ inputRate: 22_050, outputRate: 48_000 });
    let produced = 0;
    for (let i = 0; i < 100; i++) produced += resampler.process(new Int16Array(441 + (i % 3))).length;
    const consumed = 100 * 441 + 99;
    expect(Math.abs(produced - (consumed * 48_000) / 22_050)).toBeLessThanOrEqual(1);
  });

  it('keeps a 1 kHz tone at full level from 48 kHz to 16 kHz', () => {
    expect(passTone(1000, 48_000, 16_000)).toBeGreaterThan(9_700);
    expect(passTone(1000, 48_000, 16_000)).toBeLessThan(10_300);
  });

  it('attenuates a 7.9 kHz tone near the new Nyquist frequency from 48 kHz to 16 kHz', () => {
    expect(passTone(7_900, 48_000, 16_000)).toBeLessThan(10_000 * 0.1);
  });

  it('removes a 12 kHz tone that would alias when going from 48 kHz to 16 kHz', () => {
    const resampler = new Resampler({ inputRate: 48_000, outputRate: 16_000 });
    const out = resampler.process(tone(12_000, 48_000, 48_000));
    // 12 kHz would fold onto 4 kHz at 16 kHz.
    expect(toneAmplitude(out, 4_000, 16_000, 4_000)).toBeLessThan(10);
  });

  it.each([
    [16_000, 48_000],
    [22_050, 48_000],
    [24_000, 48_000],
    [8_000, 48_000],
  ])('keeps a 1 kHz tone at full level from %i Hz to %i Hz', (inputRate, outputRate) => {
    const amplitude = passTone(1000, inputRate, outputRate);
    expect(amplitude).toBeGreaterThan(9_700);
    expect(amplitude).toBeLessThan(10_300);
  });

  it('does not create images above the input band when upsampling 16 kHz to 48 kHz', () => {
    const resampler = new Resampler({ inputRate: 16_000, outputRate: 48_000 });
    const out = resampler.process(tone(3_000, 16_000, 16_000));
    // Zero-stuffing images of 3 kHz land at 13 kHz and 19 kHz.
    expect(toneAmplitude(out, 13_000, 48_000, 4_000)).toBeLessThan(10);
    expect(toneAmplitude(out, 19_000, 48_000, 4_000)).toBeLessThan(10);
  });

  it('starts from silence again after reset', () => {
    const resampler = new Resampler({ inputRate: 48_000, outputRate: 16_000 });
    resampler.process(tone(1000, 48_000, 960));
    resampler.reset();
    const out = resampler.process(new Int16Array(960));
    expect(out.every((s) => s === 0)).toBe(true);
  });
});
