import type { VadEvent } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { type FrameScorer, FrameVadStream } from '../../src/stages/vad/FrameVadStream.ts';
import { concat, silence } from './fixtures/speech.ts';

const TIMING = { threshold: 0.5, minSpeechMs: 120, minSilenceMs: 300, prefixPaddingMs: 200 };

/** A speech model that takes every sound for speech (as Silero takes background voices). */
const hearsAllAsSpeech: FrameScorer = {
  frameSamples: 512,
  score: (frame) => (frame.some((s) => s !== 0) ? 0.9 : 0),
  reset: () => {},
  close: () => {},
};

/** A 16 kHz tone of `ms` at `amplitude`, standing for a voice at that level. */
function voice(ms: number, amplitude: number, hz = 220): Int16Array {
  return Int16Array.from({ length: ms * 16 }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 16_000)),
  );
}

/** Feeds `pcm` in 20 ms chunks: the VAD's events and its foreground start after each chunk in speech. */
function run(pcm: Int16Array) {
  const stream = new FrameVadStream(hearsAllAsSpeech, TIMING);
  const events: VadEvent[] = [];
  const foreground = new Set<number | undefined>();
  const ends = new Set<number | undefined>();
  let trailEnd: number | undefined;
  for (let i = 0; i < pcm.length; i += 320) {
    events.push(...stream.push(pcm.subarray(i, i + 320)));
    if (stream.speaking) foreground.add(stream.foregroundStartMs);
    if (stream.speaking) ends.add(stream.foregroundEndMs);
    if (stream.speaking) trailEnd = stream.foregroundTrailEndMs;
  }
  return { events, foreground: [...foreground], after: stream.foregroundStartMs, ends: [...ends], trailEnd };
}

describe('FrameVadStream foregroundStartMs/EndMs (where the caller is in speech that background voices hold open)', () => {
  it("is where the caller's louder voice began, not where the room's voices started the speech", () => {
    // background voices for 320 ms, then the caller 18 dB louder
    const { events, foreground } = run(
      concat(silence(1024), voice(320, 1000), voice(416, 8000), silence(600)),
    );
    expect(events[0]).toEqual({ type: 'speech_start', atMs: 1024 - 200 });
    // placed as speech_start is, with the prefix padding
    expect(foreground).toEqual([1024 - 200, 1024 + 320 - 200]);
  });

  it("ends where the caller's voice ended, though the room's voices hold the speech open after it", () => {
    const { events, ends } = run(
      concat(silence(1024), voice(320, 1000), voice(416, 8000), voice(320, 1000), silence(600)),
    );
    expect(events.find((e) => e.type === 'speech_end')?.atMs).toBe(1024 + 320 + 416 + 320);
    // unknown until the caller's voice rose over the room, then the end of its latest frame
    expect(ends[0]).toBeUndefined();
    expect(ends.at(-1)).toBe(1024 + 320 + 416);
  });

  it("ends the caller's trailing off over the room's level where only the room goes on", () => {
    // the caller 18 dB over the room, then trailing off 8 dB over it (under the 10 dB rise), then the room alone
    const { ends, trailEnd } = run(
      concat(
        silence(1024),
        voice(320, 1000),
        voice(416, 8000),
        voice(192, 2500),
        voice(320, 1000),
        silence(600),
      ),
    );
    expect(trailEnd).toBe(1024 + 320 + 416 + 192);
    // the voice itself (what barge-in judges) is where the rise ended
    expect(ends.at(-1)).toBe(1024 + 320 + 416);
  });

  it("is the speech start when the caller's voice rises after a short soft start (a word's first sound)", () => {
    const { events, foreground, ends } = run(
      concat(silence(1024), voice(32, 2500), voice(640, 8000), silence(600)),
    );
    expect(events[0]).toEqual({ type: 'speech_start', atMs: 1024 - 200 });
    expect(foreground).toEqual([1024 - 200]);
    // no room to rise over: the whole speech is the caller's
    expect(ends).toEqual([undefined]);
  });

  it('is unknown outside speech, and starts over with the next speech', () => {
    const { after } = run(concat(silence(1024), voice(320, 1000), voice(416, 8000), silence(600)));
    expect(after).toBeUndefined();
    const twice = run(
      concat(silence(1024), voice(320, 1000), voice(416, 8000), silence(640), voice(416, 8000), silence(600)),
    );
    expect(twice.foreground).toEqual([1024 - 200, 1024 + 320 - 200, 1024 + 320 + 416 + 640 - 200]);
  });
});
