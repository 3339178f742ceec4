import type { SttEvent } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { PocketSphinxStream } from '../../src/stages/stt/pocketsphinx/PocketSphinxStream.ts';
import { fakeDecoderPool } from './fixtures/fakeDecoders.ts';

/** A stream whose own decoder hears "five five five one two one two" and whose grammar decoder hears 10 digits. */
function phoneStream(grammarLoaded: Promise<void>, waitMs?: number) {
  const own = fakeDecoderPool({ searches: ['open', 'phone'], heard: () => 'five five five one two one two' });
  const grammar = fakeDecoderPool({
    searches: ['open'],
    heard: () => 'five five five one two three one two one two',
    loaded: grammarLoaded,
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
  return { stream, own, grammar };
}

async function nextFinal(stream: PocketSphinxStream): Promise<Extract<SttEvent, { type: 'final' }>> {
  for await (const event of stream) if (event.type === 'final') return event;
  throw new Error('the stream ended without a final');
}

function say(stream: PocketSphinxStream, frames: number): void {
  for (let i = 0; i < frames; i++) stream.pushAudio(new Int16Array(320));
  stream.endUtterance();
}

describe('PocketSphinxStream', () => {
  it("keeps decoding the caller while the grammar decoder loads the slot's grammar, and gives the final without waiting longer than it may", async () => {
    const { stream, own, grammar } = phoneStream(new Promise<void>(() => {}), 50);
    stream.expect('phone');
    const started = performance.now();
    say(stream, 100);
    const final = await nextFinal(stream);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(own.frames.length).toBe(100);
    expect(grammar.frames.length).toBe(0);
    expect(final.text).toBe('five five five one two one two');
    stream.close();
  });

  it("waits for the grammar's reading when it may wait as long as it takes, and the final carries it", async () => {
    let load = () => {};
    const { stream, grammar } = phoneStream(new Promise<void>((resolve) => (load = resolve)));
    stream.expect('phone');
    say(stream, 100);
    setTimeout(load, 100);
    const final = await nextFinal(stream);
    expect(grammar.frames.length).toBe(100);
    expect(final.text).toBe('five five five one two three one two one two');
    expect(final.alternatives).toEqual(['five five five one two one two']);
    stream.close();
  });
});
