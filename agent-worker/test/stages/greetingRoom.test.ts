import type { VadEvent, VadStream } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { ForegroundGate } from '../../src/stages/vad/ForegroundGate.ts';
import { FrameVadStream } from '../../src/stages/vad/FrameVadStream.ts';
import { SileroVad } from '../../src/stages/vad/SileroVad.ts';
import { babble, events, hearsAllAsSpeech, lastSound, mix, noise, scaled } from './fixtures/rooms.ts';
import { concat, silence, synthesizeSpeech } from './fixtures/speech.ts';

const TIMING = { threshold: 0.5, minSpeechMs: 120, minSilenceMs: 300, prefixPaddingMs: 0 };
const SAMPLES_PER_MS = 16;

/** A gated stream as the pipeline opens it: the agent greets from its first frame. */
function greetedStream(): VadStream {
  const stream: VadStream = new FrameVadStream(hearsAllAsSpeech, TIMING, new ForegroundGate());
  stream.setAgentTurn?.(true);
  return stream;
}

/** The room alone for `greetingMs` as the agent greets, then the caller's answer over the rest of it. */
function greetThenAnswer(stream: VadStream, room: Int16Array, greetingMs: number, caller: Int16Array) {
  const greeting = events(stream, room.subarray(0, greetingMs * SAMPLES_PER_MS));
  stream.setAgentTurn?.(false);
  const line = events(stream, mix(caller, room.subarray(greetingMs * SAMPLES_PER_MS)));
  return { greeting, line };
}

const times = (list: VadEvent[], type: VadEvent['type']) =>
  list.filter((e) => e.type === type).map((e) => e.atMs);

describe('ForegroundGate while the agent greets', () => {
  it('a stream that begins on 1 s of the room starts speech at the caller and ends it at their end', () => {
    // the room's voices 15 dB under the caller from the stream's first frame to its last; the greeting ends at 1 s
    const caller = concat(noise(1000, 8000), silence(1500));
    const { greeting, line } = greetThenAnswer(greetedStream(), noise(3500, 1400, 5), 1000, caller);
    expect(greeting).toEqual([]);
    expect(times(line, 'speech_start')).toHaveLength(1);
    expect(times(line, 'speech_start')[0]).toBeGreaterThanOrEqual(950);
    expect(times(line, 'speech_end')).toHaveLength(1);
    expect(times(line, 'speech_end')[0]).toBeGreaterThanOrEqual(2000);
    expect(times(line, 'speech_end')[0]).toBeLessThanOrEqual(2200);
  });

  it('a caller who speaks over the greeting, in a room of voices, starts speech and ends it at their end', () => {
    const room = noise(3000, 1400, 5);
    const caller = concat(silence(800), noise(1000, 8000), silence(1200));
    const heard = events(greetedStream(), mix(caller, room));
    expect(times(heard, 'speech_start')).toHaveLength(1);
    expect(times(heard, 'speech_start')[0]).toBeGreaterThanOrEqual(750);
    expect(times(heard, 'speech_start')[0]).toBeLessThanOrEqual(900);
    expect(times(heard, 'speech_end')[0]).toBeGreaterThanOrEqual(1800);
    expect(times(heard, 'speech_end')[0]).toBeLessThanOrEqual(2000);
  });

  it("a caller's word at the stream's first frame, over the greeting in a quiet room, starts speech there", () => {
    // "hello?" as the call connects: judged once the gate knows the room (the silence after it), placed where it began
    const heard = events(greetedStream(), concat(noise(400, 8000), silence(1000)));
    expect(times(heard, 'speech_start')).toEqual([0]);
    expect(times(heard, 'speech_end')[0]).toBeGreaterThanOrEqual(400);
    expect(times(heard, 'speech_end')[0]).toBeLessThanOrEqual(550);
  });

  it('frames held for the room are judged as soon as the greeting ends', () => {
    // the greeting ends 128 ms (four frames) into the stream, before the gate knows the room: the caller then speaks at once
    const stream = greetedStream();
    const before = events(stream, silence(128));
    stream.setAgentTurn?.(false);
    const heard = events(stream, noise(300, 8000));
    expect(before).toEqual([]);
    expect(times(heard, 'speech_start')).toEqual([128]);
  });

  it("ends the caller's line in a room whose louder syllables come within 16 dB of them: the room heard as they listened", () => {
    // a room of voices 18 dB under the caller, its louder syllables 12 dB under them (100 ms of each in turn), from the
    // greeting's first frame on; the caller answers after 1.5 s of greeting
    const room = concat(
      ...Array.from({ length: 30 }, (_, i) => concat(noise(100, 1000, 3 + i), noise(100, 2000, 40 + i))),
    );
    const caller = concat(noise(1000, 8000), silence(3500));
    const { greeting, line } = greetThenAnswer(greetedStream(), room, 1500, caller);
    expect(greeting).toEqual([]);
    expect(times(line, 'speech_start')).toHaveLength(1);
    expect(times(line, 'speech_end')).toHaveLength(1);
    expect(times(line, 'speech_end')[0]).toBeGreaterThanOrEqual(2500);
    expect(times(line, 'speech_end')[0]).toBeLessThanOrEqual(2700);
  });

  it('a caller who talks over the greeting from its first frame is heard at their next words after a pause', () => {
    // as flat as a room from the first frame for 2 s: the gate cannot tell them from one; 1 s of quiet, and it can
    const stream = greetedStream();
    const greeting = events(stream, noise(2000, 8000));
    stream.setAgentTurn?.(false);
    const heard = events(stream, concat(silence(1000), noise(1000, 8000, 9), silence(600)));
    expect(greeting).toEqual([]);
    expect(times(heard, 'speech_start')).toHaveLength(1);
    expect(times(heard, 'speech_start')[0]).toBeLessThanOrEqual(3150);
    expect(times(heard, 'speech_end')[0]).toBeGreaterThanOrEqual(4000);
  });

  it("with Silero, a looping microphone's voice from the stream's first frame, over the greeting, starts speech", async () => {
    // a browser's fake microphone looping a sentence (the e2e tests' customer), heard from the first frame on
    const sentence = await synthesizeSpeech(
      'Hi, I would like to order a pizza for delivery.',
      'flite',
      'kal',
    );
    const vad = new SileroVad(TIMING, { foregroundGate: true });
    try {
      const stream = vad.createStream();
      stream.setAgentTurn?.(true);
      const starts = times(events(stream, concat(sentence, sentence, sentence)), 'speech_start');
      // its louder syllables stand above the room learnt from it: speech starts at its first words
      expect(starts[0]).toBeLessThanOrEqual(1000);
    } finally {
      vad.close();
    }
  }, 30_000);

  it('with Silero, babble from the first frame of the greeting starts no speech; the caller over it does', async () => {
    const caller = await synthesizeSpeech('two large pepperoni pizzas and a coke please', 'flite', 'slt');
    const babbling = scaled(await babble(), -18);
    // the room alone for 1 s as the agent greets, then the caller answers over it; the room stops 700 ms after them
    const leadMs = 1000;
    const room = concat(babbling, babbling).subarray(0, (leadMs + 700) * SAMPLES_PER_MS + caller.length);
    const callerStartMs = leadMs + firstSound(caller) / SAMPLES_PER_MS;
    const callerEndMs = leadMs + lastSound(caller) / SAMPLES_PER_MS;
    const vad = new SileroVad(TIMING, { foregroundGate: true });
    try {
      const stream = vad.createStream();
      stream.setAgentTurn?.(true);
      const { greeting, line } = greetThenAnswer(stream, room, leadMs, concat(caller, silence(1300)));
      expect(greeting).toEqual([]);
      expect(times(line, 'speech_start')).toHaveLength(1);
      expect(times(line, 'speech_start')[0]).toBeGreaterThanOrEqual(callerStartMs - 150);
      expect(times(line, 'speech_end')[0]).toBeLessThanOrEqual(callerEndMs + 150);
    } finally {
      vad.close();
    }
  }, 30_000);
});

/** Index of the first sample above 1% of full scale. */
function firstSound(pcm: Int16Array): number {
  const at = pcm.findIndex((s) => Math.abs(s) > 328);
  return at < 0 ? pcm.length : at;
}
