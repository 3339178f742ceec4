import type { VadEvent } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { ForegroundGate } from '../../src/stages/vad/ForegroundGate.ts';
import { FrameVadStream } from '../../src/stages/vad/FrameVadStream.ts';
import { SileroVad } from '../../src/stages/vad/SileroVad.ts';
import { babble, events, hearsAllAsSpeech, lastSound, mix, noise, scaled } from './fixtures/rooms.ts';
import { concat, silence, synthesizeSpeech } from './fixtures/speech.ts';

const TIMING = { threshold: 0.5, minSpeechMs: 120, minSilenceMs: 300, prefixPaddingMs: 0 };
const SAMPLES_PER_MS = 16;

const speechEnd = (list: VadEvent[]) => list.find((e) => e.type === 'speech_end')?.atMs;

describe('ForegroundGate', () => {
  it('ends speech where the caller stops, though quieter background voices go on', () => {
    // the caller for 1 s, then background 18 dB under them for 700 ms: all of it "speech" to the model
    const audio = concat(mix(noise(1000, 8000), noise(1000, 1000, 3)), noise(700, 1000, 3), silence(500));
    const gated = events(new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()), audio);
    const ungated = events(new FrameVadStream(hearsAllAsSpeech, TIMING), audio);
    expect(speechEnd(ungated)).toBeGreaterThanOrEqual(1700);
    // the smoothing and the short hold the model has over a pause: ~150 ms
    expect(speechEnd(gated)).toBeGreaterThanOrEqual(1000);
    expect(speechEnd(gated)).toBeLessThanOrEqual(1200);
  });

  it('keeps speech going while the caller goes on more quietly (within the range of their own words)', () => {
    const audio = concat(noise(1000, 8000), noise(1000, 3000), silence(600));
    const gated = events(new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()), audio);
    expect(gated.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(speechEnd(gated)).toBeGreaterThanOrEqual(1950);
  });

  it("in a quiet room, keeps the caller's softer last word (20+ dB under their loudest) in their speech", () => {
    // silence before the caller, a loud phrase, a gap, then a soft word: background is silence, so it is the caller's
    const audio = concat(silence(500), noise(1000, 8000), silence(60), noise(400, 600), silence(600));
    const gated = events(new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()), audio);
    expect(gated.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(speechEnd(gated)).toBeGreaterThanOrEqual(1900);
  });

  it('ends speech at the caller even when the room talked before they did', () => {
    // background voices for 1 s alone, the caller over them, then the background alone again
    const background = noise(2700, 1000, 3);
    const caller = concat(silence(1000), noise(1000, 8000));
    const audio = concat(mix(caller, background), silence(500));
    const gated = events(new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()), audio);
    expect(speechEnd(gated)).toBeGreaterThanOrEqual(2000);
    expect(speechEnd(gated)).toBeLessThanOrEqual(2200);
  });

  it('ends speech at the caller in a room of voices that falls quiet for a moment between their words', () => {
    // the room's talkers pause together for 100 ms in every 600 (22 dB under their usual level), before, under
    // and after the caller
    const room = concat(
      ...Array.from({ length: 6 }, (_, i) => concat(noise(500, 1000, 3 + i), noise(100, 80, 11 + i))),
    );
    const caller = concat(silence(1000), noise(1000, 8000));
    const audio = concat(mix(caller, room), silence(500));
    const gated = events(new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()), audio);
    expect(speechEnd(gated)).toBeGreaterThanOrEqual(2000);
    expect(speechEnd(gated)).toBeLessThanOrEqual(2200);
    expect(gated.filter((e) => e.type === 'speech_start')).toHaveLength(1);
  });

  it('starts speech on every talk of a stream that begins on speech, its pauses digital silence', () => {
    // a voice heard alone (a supervisor's looping microphone): 2 s of talk and 0.4 s of silence, nine times
    const talk = concat(
      ...Array.from({ length: 9 }, (_, i) => concat(noise(2000, 8000, 3 + i), silence(400))),
    );
    const gated = events(new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()), talk);
    const starts = gated.filter((e) => e.type === 'speech_start').map((e) => e.atMs);
    expect(starts).toHaveLength(9);
    starts.forEach((atMs, i) => {
      expect(atMs).toBeLessThanOrEqual(i * 2400 + 150);
    });
  });

  it('ends each line at the caller in a room only 15 dB under them through the whole call', () => {
    // the room from the stream's start to its end, within FOREGROUND_RANGE_DB of the caller's level; two lines
    const caller = concat(silence(2000), noise(1000, 8000), silence(2000), noise(1000, 8000, 9));
    const gated = events(
      new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()),
      mix(caller, noise(8000, 1400, 5)),
    );
    const ends = gated.filter((e) => e.type === 'speech_end').map((e) => e.atMs);
    expect(ends).toHaveLength(2);
    expect(ends[0]).toBeGreaterThanOrEqual(3000);
    expect(ends[0]).toBeLessThanOrEqual(3200);
    expect(ends[1]).toBeGreaterThanOrEqual(6000);
    expect(ends[1]).toBeLessThanOrEqual(6200);
    // the second line's speech starts at the caller, not on the room before them
    expect(gated.filter((e) => e.type === 'speech_start')[1]?.atMs).toBeGreaterThanOrEqual(4900);
  });

  it('in a quiet room, keeps a 4 s line whole though its soft stretches are 15 dB under its loud ones', () => {
    // 300 ms loud, 350 ms soft (longer than the VAD's minimum silence), six times, after 1.5 s of silence: the
    // caller's soft frames are not the room
    const line = concat(
      ...Array.from({ length: 6 }, (_, i) => concat(noise(300, 8000, 3 + i), noise(350, 1400, 20 + i))),
    );
    const gated = events(
      new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()),
      concat(silence(1500), line, silence(600)),
    );
    expect(gated.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(speechEnd(gated)).toBeGreaterThanOrEqual(5400);
  });

  it('does not start speech again on the background voices that go on after the caller', () => {
    const background = noise(3500, 1000, 3);
    const audio = concat(mix(concat(silence(500), noise(1000, 8000)), background), silence(500));
    const gated = events(new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate()), audio);
    expect(gated.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(speechEnd(gated)).toBeLessThanOrEqual(1700);
  });

  it('with Silero, a sentence over babble 18 dB quieter that goes on after it ends within 150 ms of its end', async () => {
    const caller = await synthesizeSpeech('two large pepperoni pizzas and a coke please', 'flite', 'slt');
    const background = await babble();
    const lead = 300 * SAMPLES_PER_MS;
    const callerTrack = concat(silence(300), caller);
    const audio = mix(callerTrack, scaled(background, -18)).subarray(
      0,
      callerTrack.length + 700 * SAMPLES_PER_MS,
    );
    const callerEndMs = (lead + lastSound(caller)) / SAMPLES_PER_MS;
    const vad = new SileroVad(TIMING, { foregroundGate: true });
    try {
      const end = speechEnd(events(vad.createStream(), concat(audio, silence(600))));
      expect(end).toBeDefined();
      expect(end as number).toBeLessThanOrEqual(callerEndMs + 150);
    } finally {
      vad.close();
    }
  }, 30_000);
});
