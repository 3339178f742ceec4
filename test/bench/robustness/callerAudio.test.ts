import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NOISE_PAD_MS,
  NoiseBed,
  renderUtterance,
  rms,
  synthesize,
} from '../../../bench/robustness/callerAudio.ts';
import type { Voice } from '../../../bench/robustness/conversation.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'robustness-audio-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const slt: Voice = { engine: 'flite', name: 'slt' };
const scottish: Voice = { engine: 'espeak-ng', name: 'en-gb-scotland' };
const perMs = 48;

describe('the robustness caller audio', () => {
  it('speaks slower at 130 wpm than at 190 wpm, in flite and in espeak-ng', async () => {
    for (const voice of [slt, scottish]) {
      const slow = await synthesize('two large pepperoni pizzas and a coke', voice, 130, dir);
      const fast = await synthesize('two large pepperoni pizzas and a coke', voice, 190, dir);
      expect(slow.length / fast.length, voice.name).toBeGreaterThan(1.2);
    }
  });

  it('says "mm hmm" as a hum, not as the letters m m h m m', async () => {
    for (const voice of [slt, scottish]) {
      const hum = await synthesize('mm hmm', voice, 170, dir);
      const letters = await synthesize('m m h m m', voice, 170, dir);
      expect(hum.length).toBeLessThan(letters.length * 0.7);
    }
  });

  it('puts the scripted pause between the pieces of an utterance', async () => {
    const clean = new NoiseBed({ kind: 'clean' }, dir, []);
    const one = await renderUtterance(
      { segments: ['hello,', 'a coke'], pausesMs: [0] },
      slt,
      160,
      clean,
      dir,
    );
    const paused = await renderUtterance(
      { segments: ['hello,', 'a coke'], pausesMs: [800] },
      slt,
      160,
      clean,
      dir,
    );
    expect((paused.pcm.length - one.pcm.length) / perMs).toBeCloseTo(800, -1);
  });

  it('mixes pink noise at the asked SNR around and under the speech', async () => {
    const speech = await synthesize('my name is Marilyn Richardson', slt, 160, dir);
    const mixed = await new NoiseBed({ kind: 'pink', snrDb: 15 }, dir, []).mix(speech);
    expect(mixed.speechStartMs).toBe(NOISE_PAD_MS);
    const pad = NOISE_PAD_MS * perMs;
    const noise = mixed.pcm.map(
      (v, i) => v - (i >= pad && i < pad + speech.length ? (speech[i - pad] as number) : 0),
    );
    const snr = 20 * Math.log10(rms(speech.filter((v) => Math.abs(v) > 300)) / rms(noise));
    expect(snr).toBeGreaterThan(14);
    expect(snr).toBeLessThan(16);
    expect(rms(mixed.pcm.slice(0, pad))).toBeGreaterThan(0);
  });

  it("keeps the noise going after the speech when asked, its end still marking the speech's", async () => {
    const pink = new NoiseBed({ kind: 'pink', snrDb: 20 }, dir, []);
    const line = { segments: ['a coke'], pausesMs: [] };
    const plain = await renderUtterance(line, slt, 160, pink, dir);
    const tailed = await renderUtterance(line, slt, 160, pink, dir, 1000);
    expect(tailed.pcm.length - plain.pcm.length).toBe(1000 * perMs);
    expect(tailed.speechEndMs).toBe(plain.speechEndMs);
    expect(rms(tailed.pcm.slice(-500 * perMs))).toBeGreaterThan(10);
  });

  it('makes babble from other voices', async () => {
    const speech = await synthesize('it is twelve oak street', slt, 160, dir);
    const voices: Voice[] = [scottish, { engine: 'flite', name: 'rms' }];
    const mixed = await new NoiseBed({ kind: 'babble', snrDb: 20 }, dir, voices).mix(speech);
    expect(mixed.pcm.length).toBe(speech.length + 2 * NOISE_PAD_MS * perMs);
    expect(rms(mixed.pcm.slice(0, NOISE_PAD_MS * perMs))).toBeGreaterThan(10);
  });

  it('gives the same utterance the same noisy audio in every run, and different utterances different noise', async () => {
    const speech = await synthesize('a large pepperoni pizza', slt, 160, dir);
    const other = await synthesize('my name is Marilyn Richardson', slt, 160, dir);
    for (const noise of [
      { kind: 'pink', snrDb: 20 },
      { kind: 'babble', snrDb: 15 },
    ] as const) {
      const bed = () => new NoiseBed(noise, dir, [scottish]);
      const first = await bed().mix(speech);
      const again = await bed().mix(speech);
      expect(Buffer.from(again.pcm.buffer).equals(Buffer.from(first.pcm.buffer)), noise.kind).toBe(true);
      const pad = NOISE_PAD_MS * perMs;
      const [a, b] = [first, await bed().mix(other)].map((m) => m.pcm.slice(0, pad));
      expect(Buffer.from((a as Int16Array).buffer).equals(Buffer.from((b as Int16Array).buffer))).toBe(false);
    }
  });

  it('plays a continuous bed on from where the last line left it, at one level for the call', async () => {
    const pink = { kind: 'pink', snrDb: 15 } as const;
    const bed = new NoiseBed(pink, dir, [], { voice: slt, wpm: 160 });
    const room = (await bed.room()) as Int16Array;
    const pad = NOISE_PAD_MS * perMs;
    const short = await synthesize('yes', slt, 160, dir);
    const long = await synthesize('my name is Marilyn Richardson', slt, 160, dir);
    const first = await bed.mix(short);
    const second = await bed.mix(long);
    const near = (a: Int16Array, b: Int16Array) => a.every((v, i) => Math.abs(v - (b[i] as number)) <= 2);
    expect(near(first.pcm.slice(0, pad), room.slice(0, pad))).toBe(true);
    const next = first.pcm.length;
    expect(near(second.pcm.slice(0, pad), room.slice(next, next + pad))).toBe(true);
    const snr = 20 * Math.log10(rms(long.filter((v) => Math.abs(v) > 300)) / rms(room));
    expect(snr).toBeGreaterThan(12);
    expect(snr).toBeLessThan(18);
  });

  it('has no room to play for a clean call or a bed in pads', async () => {
    expect(await new NoiseBed({ kind: 'clean' }, dir, [], { voice: slt, wpm: 160 }).room()).toBeUndefined();
    expect(await new NoiseBed({ kind: 'pink', snrDb: 20 }, dir, []).room()).toBeUndefined();
  });
});
