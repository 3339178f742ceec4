import type { Stt, SttEvent, SttStream } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordErrors } from '../../src/stages/stt/wordErrorRate.ts';
import { chunked, concat, silence, synthesizeSpeech } from '../stages/fixtures/speech.ts';

export interface SttConformanceOptions {
  /** Highest word error rate accepted on a synthesized in-domain sentence. */
  maxWer: number;
  /** Whether the provider emits partial hypotheses while audio arrives. */
  streaming: boolean;
}

/** Collects events from a stream until `count` finals arrived (or the timeout passes). */
async function collectFinals(stream: SttStream, count: number, timeoutMs = 20_000): Promise<SttEvent[]> {
  const events: SttEvent[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (events.filter((e) => e.type === 'final').length < count) {
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())),
      ),
    ]);
    if (next === 'timeout' || next.done) break;
    events.push(next.value);
  }
  return events;
}

function feed(stream: SttStream, pcm: Int16Array): void {
  for (const chunk of chunked(pcm, [320])) stream.pushAudio(chunk);
}

const ORDER = "I'd like two large pepperoni pizzas please";
const ADDRESS = 'my address is one twenty three main street';

/** The behaviour every speech recogniser must show. */
export function describeSttConformance(
  name: string,
  makeStt: () => Promise<Stt>,
  options: SttConformanceOptions,
  skipReason?: string,
): void {
  describe.skipIf(skipReason !== undefined)(
    `${name} STT conformance${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    () => {
      let stt: Stt;
      let order: Int16Array;
      let address: Int16Array;
      beforeAll(async () => {
        [stt, order, address] = await Promise.all([
          makeStt(),
          synthesizeSpeech(ORDER, 'flite'),
          synthesizeSpeech(ADDRESS, 'flite'),
        ]);
      });
      afterAll(() => (stt as { close?: () => void } | undefined)?.close?.());

      it('recognises a known utterance within the error bound, after its partials', async () => {
        const stream = stt.createStream();
        feed(stream, concat(silence(200), order, silence(300)));
        stream.endUtterance();
        const events = await collectFinals(stream, 1);
        stream.close();
        const final = events.at(-1);
        expect(final?.type).toBe('final');
        if (final?.type !== 'final') return;
        expect(
          wordErrors(ORDER, final.text).errors / wordErrors(ORDER, final.text).words,
        ).toBeLessThanOrEqual(options.maxWer);
        expect(final.latencyMs).toBeGreaterThanOrEqual(0);
        expect(final.confidence).toBeGreaterThanOrEqual(0);
        expect(final.confidence).toBeLessThanOrEqual(1);
        if (options.streaming) expect(events.filter((e) => e.type === 'partial').length).toBeGreaterThan(0);
      });

      it('gives an empty final for an utterance of silence, and for one with no audio', async () => {
        const stream = stt.createStream();
        feed(stream, silence(1000));
        stream.endUtterance();
        stream.endUtterance();
        const events = await collectFinals(stream, 2);
        stream.close();
        expect(events.filter((e) => e.type === 'final').map((e) => e.text)).toEqual(['', '']);
      });

      it('drops a cancelled utterance and recognises the next one', async () => {
        const stream = stt.createStream();
        feed(stream, order);
        stream.cancelUtterance();
        feed(stream, concat(silence(200), address, silence(300)));
        stream.endUtterance();
        const finals = (await collectFinals(stream, 1)).filter((e) => e.type === 'final');
        stream.close();
        expect(finals).toHaveLength(1);
        const text = finals[0]?.text ?? '';
        expect(text).not.toMatch(/pepperoni|pizza/);
        const { errors, words } = wordErrors(ADDRESS, text);
        expect(errors / words).toBeLessThanOrEqual(options.maxWer + 0.1);
      });

      it('recognises two utterances in a row on one stream, in order', async () => {
        const stream = stt.createStream();
        feed(stream, concat(silence(200), order, silence(300)));
        stream.endUtterance();
        feed(stream, concat(silence(200), address, silence(300)));
        stream.endUtterance();
        const finals = (await collectFinals(stream, 2)).filter((e) => e.type === 'final');
        stream.close();
        expect(finals).toHaveLength(2);
        expect(finals[0]?.text).toMatch(/pepperoni/);
        expect(finals[1]?.text).toMatch(/main street/);
      });

      it('ends the iteration on close', async () => {
        const stream = stt.createStream();
        const iterator = stream[Symbol.asyncIterator]();
        const pending = iterator.next();
        stream.close();
        expect((await pending).done).toBe(true);
        stream.pushAudio(order.subarray(0, 3200));
        stream.endUtterance();
      });

      it('keeps streams independent', async () => {
        const a = stt.createStream();
        const b = stt.createStream();
        feed(a, concat(silence(200), order, silence(300)));
        feed(b, concat(silence(200), address, silence(300)));
        b.endUtterance();
        a.endUtterance();
        const [fa, fb] = await Promise.all([collectFinals(a, 1), collectFinals(b, 1)]);
        a.close();
        b.close();
        expect(fa.at(-1)?.text).toMatch(/pepperoni/);
        expect(fb.at(-1)?.text).toMatch(/main street/);
      });
    },
  );
}
