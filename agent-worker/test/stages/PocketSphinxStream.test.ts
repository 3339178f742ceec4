import type { SttEvent } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { PocketSphinxStream } from '../../src/stages/stt/pocketsphinx/PocketSphinxStream.ts';
import { fakeDecoderPool } from './fixtures/fakeDecoders.ts';

/**
 * A stream whose own decoder hears "five five five one two one two" and whose grammar decoder hears 10 digits on the
 * phone grammar, which it loads once `grammarLoaded` settles; its events read one at a time with nextFinal.
 */
function phoneStream(grammarLoaded: Promise<void>, waitMs?: number) {
  const own = fakeDecoderPool({ searches: ['open', 'phone'], heard: () => 'five five five one two one two' });
  const grammar = fakeDecoderPool({
    searches: ['open'],
    heard: () => 'five five five one two three one two one two',
    loaded: grammarLoaded,
    onDemand: ['phone'],
  });
  const words = new Set(['five', 'one', 'two', 'three']);
  const stream = new PocketSphinxStream({
    decoders: own.pool,
    partialIntervalMs: 0,
    coldStartSecondPass: false,
    nbest: 2,
    grammars: {
      decoders: grammar.pool,
      words: { phone: words },
      ...(waitMs === undefined ? {} : { waitMs }),
    },
    onError: (error) => {
      throw error;
    },
  });
  return { stream, own, grammar, events: stream[Symbol.asyncIterator]() };
}

/** The next final of the stream's events (not a `for await`, whose break would end the stream). */
async function nextFinal(events: AsyncIterator<SttEvent>): Promise<Extract<SttEvent, { type: 'final' }>> {
  for (let event = await events.next(); !event.done; event = await events.next())
    if (event.value.type === 'final') return event.value;
  throw new Error('the stream ended without a final');
}

function say(stream: PocketSphinxStream, frames: number): void {
  for (let i = 0; i < frames; i++) stream.pushAudio(new Int16Array(320));
  stream.endUtterance();
}

describe('PocketSphinxStream', () => {
  it("keeps decoding the caller while the grammar decoder loads the slot's grammar, and gives the final without waiting longer than it may", async () => {
    const { stream, own, grammar, events } = phoneStream(new Promise<void>(() => {}), 50);
    stream.expect('phone');
    const started = performance.now();
    say(stream, 100);
    const final = await nextFinal(events);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(own.frames.length).toBe(100);
    expect(grammar.frames.length).toBe(0);
    expect(final.text).toBe('five five five one two one two');
    stream.close();
  });

  it("waits for the grammar's reading when it may wait as long as it takes, and the final carries it", async () => {
    let load = () => {};
    const { stream, grammar, events } = phoneStream(new Promise<void>((resolve) => (load = resolve)));
    stream.expect('phone');
    say(stream, 100);
    setTimeout(load, 100);
    const final = await nextFinal(events);
    expect(grammar.frames.length).toBe(100);
    expect(final.text).toBe('five five five one two three one two one two');
    expect(final.alternatives).toEqual(['five five five one two one two']);
    stream.close();
  });

  it('gives the final without waiting on a grammar decoder that rests, however busy it is', async () => {
    let load = () => {};
    const { stream, grammar, events } = phoneStream(new Promise<void>((resolve) => (load = resolve)));
    // past the grammar decoder's listening: it rests outside its slots from now on
    say(stream, 400);
    await nextFinal(events);
    // still loading the phone grammar (a loaded machine) when the agent has moved on to a slot without a grammar
    stream.expect('phone');
    stream.expect('order');
    say(stream, 10);
    const final = await Promise.race([
      nextFinal(events),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000)),
    ]);
    expect(final?.text).toBe('five five five one two one two');
    // once loaded, the grammar decoder still rests on the answer: it heard the first utterance only
    load();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(grammar.frames.length).toBe(400);
    stream.close();
  });
});
