import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vad, VadEvent } from '@voiceroom/agent-core/stages';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VadTiming } from '../../src/stages/vad/VadStateMachine.ts';
import {
  chunked,
  concat,
  parseWav,
  REAL_SPEECH_DIR,
  silence,
  synthesizeSpeech,
} from '../stages/fixtures/speech.ts';

export const CONFORMANCE_TIMING: VadTiming = {
  threshold: 0.5,
  prefixPaddingMs: 200,
  minSpeechMs: 120,
  minSilenceMs: 300,
};

function pushAll(vad: Vad, pcm: Int16Array, sizes: readonly number[] = [320]): VadEvent[] {
  const stream = vad.createStream();
  const events = [...chunked(pcm, sizes)].flatMap((chunk) => stream.push(chunk));
  stream.close();
  return events;
}

/** Where the voiced part of synthetic speech starts and ends (first/last 10 ms window above -40 dBFS). */
function voicedSpan(pcm: Int16Array): { startMs: number; endMs: number } {
  const window = 160;
  const loud: number[] = [];
  for (let i = 0; i + window <= pcm.length; i += window) {
    let sum = 0;
    for (let j = i; j < i + window; j++) sum += (pcm[j] as number) ** 2;
    if (Math.sqrt(sum / window) / 32768 > 0.01) loud.push(i);
  }
  return {
    startMs: ((loud[0] ?? 0) / 16_000) * 1000,
    endMs: (((loud.at(-1) ?? 0) + window) / 16_000) * 1000,
  };
}

/**
 * The behaviour every VAD provider must show. `makeVad` builds the provider with the given timing.
 */
export function describeVadConformance(name: string, makeVad: (timing: VadTiming) => Vad): void {
  describe(`${name} VAD conformance`, () => {
    let speech: Int16Array;
    let utterance: Int16Array;
    const leadMs = 600;
    beforeAll(async () => {
      speech = await synthesizeSpeech('I would like two large pepperoni pizzas please', 'flite');
      utterance = concat(silence(leadMs), speech, silence(1000));
    });

    it('reports no speech in digital silence or faint noise', () => {
      const vad = makeVad(CONFORMANCE_TIMING);
      expect(pushAll(vad, silence(3000))).toEqual([]);
      const noise = Int16Array.from(
        { length: 48_000 },
        (_, i) => Math.round(Math.sin(i * 12.9898) * 43758.5453) % 30,
      );
      expect(pushAll(vad, noise)).toEqual([]);
    });

    it('emits speech_start before speech_end around the spoken part, with padding', () => {
      const events = pushAll(makeVad(CONFORMANCE_TIMING), utterance);
      expect(events.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
      const [start, end] = events as [VadEvent, Extract<VadEvent, { type: 'speech_end' }>];
      const voiced = voicedSpan(utterance);
      expect(start.atMs).toBeGreaterThanOrEqual(voiced.startMs - CONFORMANCE_TIMING.prefixPaddingMs - 100);
      expect(start.atMs).toBeLessThanOrEqual(voiced.startMs + 150);
      expect(end.atMs).toBeGreaterThan(voiced.endMs - 350);
      expect(end.atMs).toBeLessThan(voiced.endMs + 350);
      expect(end.durationMs).toBeCloseTo(end.atMs - start.atMs, 5);
    });

    it('gives the same events whatever the chunk sizes', () => {
      const vad = makeVad(CONFORMANCE_TIMING);
      const reference = pushAll(vad, utterance, [512]);
      expect(reference.length).toBe(2);
      for (const sizes of [[160], [4000, 17, 1023], [utterance.length]]) {
        expect(pushAll(vad, utterance, sizes)).toEqual(reference);
      }
    });

    it('tracks speaking and probability while speech runs', () => {
      const stream = makeVad(CONFORMANCE_TIMING).createStream();
      stream.push(silence(leadMs));
      expect(stream.speaking).toBe(false);
      expect(stream.probability).toBeLessThan(CONFORMANCE_TIMING.threshold);
      stream.push(speech.subarray(0, Math.floor(speech.length / 2)));
      expect(stream.speaking).toBe(true);
      expect(stream.probability).toBeGreaterThanOrEqual(0);
      expect(stream.probability).toBeLessThanOrEqual(1);
      stream.close();
    });

    it('forgets the current speech on reset and starts again at time zero', () => {
      const vad = makeVad(CONFORMANCE_TIMING);
      const stream = vad.createStream();
      stream.push(concat(silence(leadMs), speech.subarray(0, Math.floor(speech.length / 2))));
      expect(stream.speaking).toBe(true);
      stream.reset();
      expect(stream.speaking).toBe(false);
      expect(stream.push(silence(1000))).toEqual([]);
      stream.reset();
      const again = [...chunked(utterance, [320])].flatMap((c) => stream.push(c));
      expect(again).toEqual(pushAll(vad, utterance));
      stream.close();
    });

    it('ignores a burst shorter than minSpeechMs', () => {
      const burst = Int16Array.from({ length: 960 }, (_, i) =>
        Math.round(12_000 * Math.sin((2 * Math.PI * 220 * i) / 16_000)),
      );
      expect(
        pushAll(
          makeVad({ ...CONFORMANCE_TIMING, minSpeechMs: 250 }),
          concat(silence(500), burst, silence(1000)),
        ),
      ).toEqual([]);
    });

    it('splits two utterances separated by a pause longer than minSilenceMs', () => {
      const events = pushAll(makeVad(CONFORMANCE_TIMING), concat(utterance, speech, silence(1000)));
      expect(events.map((e) => e.type)).toEqual(['speech_start', 'speech_end', 'speech_start', 'speech_end']);
      expect(events[2]?.atMs).toBeGreaterThan(events[1]?.atMs as number);
    });

    it('finds the speech in every real human recording (and fails when the recordings are missing)', () => {
      expect(existsSync(REAL_SPEECH_DIR), `the real recordings belong in ${REAL_SPEECH_DIR}`).toBe(true);
      const clips = readdirSync(REAL_SPEECH_DIR).filter((f) => f.endsWith('.wav'));
      expect(clips.length, `no .wav recordings in ${REAL_SPEECH_DIR}`).toBeGreaterThan(0);
      for (const clip of clips) {
        const { sampleRate, samples } = parseWav(readFileSync(join(REAL_SPEECH_DIR, clip)));
        // the recordings are the VAD's input rate; one that is not would be skipped silently otherwise
        expect(sampleRate, clip).toBe(16_000);
        const events = pushAll(makeVad(CONFORMANCE_TIMING), concat(samples, silence(1000)));
        expect(events[0]?.type, clip).toBe('speech_start');
        expect(events.at(-1)?.type, clip).toBe('speech_end');
        const speechMs = events.reduce((ms, e) => ms + (e.type === 'speech_end' ? e.durationMs : 0), 0);
        expect(speechMs, clip).toBeGreaterThan(((samples.length / 16_000) * 1000) / 3);
      }
    });

    it('rejects audio after close', () => {
      const stream = makeVad(CONFORMANCE_TIMING).createStream();
      stream.close();
      expect(() => stream.push(silence(100))).toThrow(/closed/);
    });
  });
}
