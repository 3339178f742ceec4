import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NoiseSuppressor } from '../../src/audio/NoiseSuppressor.ts';
import { synthesizeSpeech } from '../stages/fixtures/speech.ts';
import { bestCorrelation, rms } from './signal.ts';

const RATE = 16_000;
/** Two seconds of room before the caller speaks: a quiet room takes RNNoise about a second to learn. */
const LEAD = 2 * RATE;

/** Repeatable white noise of RMS about `level`. */
function noise(samples: number, level: number): Int16Array {
  let seed = 12_345;
  return Int16Array.from({ length: samples }, () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.round((seed / 2_147_483_648 - 0.5) * level * Math.sqrt(12));
  });
}

function run(suppressor: NoiseSuppressor, pcm: Int16Array, chunk: number): Int16Array {
  const out = new Int16Array(pcm.length);
  for (let at = 0; at < pcm.length; at += chunk) {
    const piece = suppressor.process(pcm.subarray(at, at + chunk));
    expect(piece.length).toBe(Math.min(chunk, pcm.length - at));
    out.set(piece, at);
  }
  return out;
}

const db = (after: number, before: number) => 20 * Math.log10(after / before);

let speech: Int16Array;
let clean: Int16Array;
let noisy: Int16Array;
let suppressor: NoiseSuppressor | undefined;

beforeAll(async () => {
  speech = await synthesizeSpeech(
    'I would like a large pepperoni pizza for delivery please',
    'flite',
    'kal16',
  );
  clean = new Int16Array(LEAD + speech.length + RATE / 2);
  clean.set(speech, LEAD);
  const room = noise(clean.length, rms(speech) / 10 ** (15 / 20));
  noisy = clean.map((v, i) => Math.max(-32768, Math.min(32767, v + (room[i] as number))));
});

afterEach(() => {
  suppressor?.close();
  suppressor = undefined;
});

describe('NoiseSuppressor', () => {
  it("takes the room's noise down and lets the caller's speech through", async () => {
    suppressor = await NoiseSuppressor.create();
    const out = run(suppressor, noisy, 320);
    const roomStretch = [(3 * LEAD) / 4, LEAD] as const;
    expect(db(rms(out, ...roomStretch), rms(noisy, ...roomStretch))).toBeLessThan(-15);
    const speechStretch = [LEAD, LEAD + speech.length] as const;
    expect(Math.abs(db(rms(out, ...speechStretch), rms(clean, ...speechStretch)))).toBeLessThan(3);
    const heard = bestCorrelation(clean.subarray(LEAD), out.subarray(LEAD), 800);
    expect(heard.correlation).toBeGreaterThan(0.8);
  });

  it('delays 20 ms packets by under 15 ms, and chunks that split frames by at most one frame more', async () => {
    for (const [chunk, most] of [
      [320, 15],
      [512, 25],
      [333, 25],
    ] as const) {
      const s = await NoiseSuppressor.create();
      const { lag } = bestCorrelation(clean, run(s, clean, chunk), 800);
      s.close();
      expect(lag / (RATE / 1000)).toBeLessThan(most);
    }
  });

  it('makes the same stream of any chunks, later by less than a frame for chunks that split frames', async () => {
    suppressor = await NoiseSuppressor.create();
    const by20ms = run(suppressor, noisy, 320);
    // a quarter second mid-stream: the delay a chunk size adds has settled, and the last chunk is not yet reached
    const from = Math.floor(noisy.length / 2);
    const expected = by20ms.subarray(from, from + RATE / 4);
    for (const chunk of [160, 97, 333, 1_000]) {
      const s = await NoiseSuppressor.create();
      const out = run(s, noisy, chunk);
      s.close();
      const later = Array.from({ length: RATE / 100 }, (_, k) => k).find((k) =>
        expected.every((v, i) => v === out[from + k + i]),
      );
      expect(later, `chunks of ${chunk}`).toBeDefined();
      if (chunk === 160) expect(later).toBe(0);
    }
  });

  it('refuses audio after close', async () => {
    const s = await NoiseSuppressor.create();
    s.close();
    expect(() => s.process(new Int16Array(320))).toThrow(/after close/);
  });
});
