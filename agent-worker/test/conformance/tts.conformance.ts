import type { Stt, Tts } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PocketSphinxStt } from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { wordErrors } from '../../src/stages/stt/wordErrorRate.ts';
import { concat, resampleTo16k, silence } from '../stages/fixtures/speech.ts';

/**
 * The recogniser with a small order-phrase model, loaded once. The general en-us model cannot hold espeak-ng's
 * robotic voice on a cold stream; a narrow model still only yields "pepperoni" for audio that says it.
 */
let sharedRecogniser: Promise<Stt> | undefined;
function recogniser(): Promise<Stt> {
  sharedRecogniser ??= PocketSphinxStt.create({
    domain: {
      menu: {
        currency: 'USD',
        items: [{ name: 'pepperoni pizza', aliases: ['pepperoni'], sizes: { small: 1, large: 2 } }],
      },
      knowledge: [],
      asr: { provider: 'pocketsphinx', phrases: [], noiseSuppression: false },
      handoff: { keywords: [], maxMisunderstandings: 3, timeoutS: 30 },
    },
  });
  return sharedRecogniser;
}

/** The behaviour every speech synthesiser must show. */
export function describeTtsConformance(name: string, makeTts: () => Promise<Tts>, skipReason?: string): void {
  describe.skipIf(skipReason !== undefined)(
    `${name} TTS conformance${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    () => {
      let tts: Tts;
      beforeAll(async () => {
        tts = await makeTts();
      });
      afterAll(() => tts?.close());

      async function synthesize(text: string, signal = new AbortController().signal): Promise<Int16Array[]> {
        const chunks: Int16Array[] = [];
        for await (const chunk of tts.synthesize(text, signal)) chunks.push(chunk);
        return chunks;
      }

      it('produces audible speech of plausible length at its declared sample rate', async () => {
        expect([8000, 16_000, 22_050, 24_000, 44_100, 48_000]).toContain(tts.sampleRate);
        const chunks = await synthesize('Hello, thanks for calling. What can I get for you today?');
        const samples = chunks.reduce((n, c) => n + c.length, 0);
        const seconds = samples / tts.sampleRate;
        expect(seconds).toBeGreaterThan(1.5);
        expect(seconds).toBeLessThan(8);
        const peak = Math.max(...chunks.map((c) => c.reduce((m, s) => Math.max(m, Math.abs(s)), 0)));
        expect(peak).toBeGreaterThan(1000);
      });

      it('says the words it was given (recognised back by the speech recogniser)', async () => {
        const text = 'I would like two large pepperoni pizzas please';
        const audio = await resampleTo16k(concat(...(await synthesize(`${text}.`))), tts.sampleRate);
        const stream = (await recogniser()).createStream();
        stream.pushAudio(concat(silence(200), audio, silence(300)));
        stream.endUtterance();
        let heard = '';
        for await (const event of stream) {
          if (event.type === 'final') {
            heard = event.text;
            break;
          }
        }
        stream.close();
        const { errors, words } = wordErrors(text, heard);
        expect(errors / words, `heard "${heard}"`).toBeLessThanOrEqual(0.34);
        expect(heard).toContain('pepperoni');
      });

      it('stops promptly when aborted mid-way and yields nothing after', async () => {
        const long = Array.from(
          { length: 40 },
          (_, i) => `This is sentence number ${i + 1} of a long answer.`,
        ).join(' ');
        const controller = new AbortController();
        let chunksAfterAbort = 0;
        let abortedAt = 0;
        for await (const _chunk of tts.synthesize(long, controller.signal)) {
          if (abortedAt > 0) chunksAfterAbort++;
          else {
            controller.abort();
            abortedAt = performance.now();
          }
        }
        expect(performance.now() - abortedAt).toBeLessThan(500);
        expect(chunksAfterAbort).toBe(0);
      });

      it('yields nothing for an already aborted signal', async () => {
        expect(await synthesize('Hello there.', AbortSignal.abort())).toEqual([]);
      });

      it('handles empty and whitespace-only text without audio or error', async () => {
        expect(await synthesize('')).toEqual([]);
        expect(await synthesize('  \n\t ')).toEqual([]);
      });

      it('reads prices, numbers and abbreviations', async () => {
        const chunks = await synthesize(
          'Your total is $15.50 for 2 pizzas, delivered to 123 Main St. in 30 minutes.',
        );
        expect(chunks.reduce((n, c) => n + c.length, 0) / tts.sampleRate).toBeGreaterThan(2);
      });

      it('synthesises very long text, first audio early', async () => {
        const long = Array.from(
          { length: 60 },
          () => 'We deliver within five miles, and delivery is free on big orders.',
        ).join(' ');
        const started = performance.now();
        let firstAt = 0;
        let samples = 0;
        for await (const chunk of tts.synthesize(long, new AbortController().signal)) {
          if (firstAt === 0) firstAt = performance.now() - started;
          samples += chunk.length;
        }
        expect(firstAt).toBeLessThan(1500);
        expect(samples / tts.sampleRate).toBeGreaterThan(60 * 2);
      });
    },
  );
}
