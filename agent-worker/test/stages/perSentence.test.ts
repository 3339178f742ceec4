import { describe, expect, it } from 'vitest';
import { synthesizePerSentence, trimLeadingSilence } from '../../src/stages/tts/perSentence.ts';

const RATE = 16_000;
const silence = (ms: number) => new Int16Array((RATE * ms) / 1000);
const tone = (ms: number) =>
  Int16Array.from({ length: (RATE * ms) / 1000 }, (_, i) => Math.round(8000 * Math.cos(i / 3)));
const concat = (...parts: Int16Array[]) => {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

describe('trimLeadingSilence', () => {
  it('drops the silent lead-in but keeps a short pad before the first sound', () => {
    const trimmed = trimLeadingSilence(concat(silence(300), tone(100)), RATE, 30);
    expect(trimmed.length).toBe((RATE * 130) / 1000);
    expect(trimmed.slice(0, (RATE * 30) / 1000).every((s) => s === 0)).toBe(true);
    expect(Math.abs(trimmed[(RATE * 30) / 1000] ?? 0)).toBeGreaterThan(328);
  });

  it('leaves audio that starts with sound, and all-silent audio, as it is', () => {
    const sound = concat(tone(50), silence(200));
    expect(trimLeadingSilence(sound, RATE)).toEqual(sound);
    const quiet = silence(200);
    expect(trimLeadingSilence(quiet, RATE)).toEqual(quiet);
  });

  it('treats low-level hiss under the threshold as silence', () => {
    const hiss = Int16Array.from({ length: RATE / 10 }, (_, i) => (i % 2 ? 100 : -100));
    expect(trimLeadingSilence(concat(hiss, tone(20)), RATE, 0).length).toBe((RATE * 20) / 1000);
  });
});

describe('synthesizePerSentence', () => {
  it('hands out each sentence without its lead-in, in chunks of at most 200 ms', async () => {
    const chunks: Int16Array[] = [];
    for await (const chunk of synthesizePerSentence(
      'One. Two.',
      RATE,
      new AbortController().signal,
      async () => concat(silence(300), tone(500)),
    ))
      chunks.push(chunk);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    expect(total).toBe(2 * ((RATE * 530) / 1000));
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual((RATE * 200) / 1000);
  });
});
