import { describe, expect, it } from 'vitest';
import { ParallelGrammar } from '../../src/stages/stt/pocketsphinx/ParallelGrammar.ts';
import { fakeDecoderPool } from './fixtures/fakeDecoders.ts';

/** A decoder with an 'open' and a 'phone' search that loads 'name' on demand (once `loaded` settles). */
function countingPool(loaded: Promise<void> = Promise.resolve()) {
  const { pool, frames, dropped } = fakeDecoderPool({
    searches: ['open', 'phone'],
    heard: (search) => (search === 'name' ? 'j o h n' : 'five five five one two one two'),
    loaded,
  });
  return { pool, decoded: frames, dropped };
}

const failOnError = (error: Error) => {
  throw error;
};

/** One utterance of `seconds` in 20 ms frames, its calls queued without waiting, as the stream queues them. */
function utterance(grammar: ParallelGrammar, slot: 'open' | 'phone' | 'name', seconds: number) {
  void grammar.start(slot);
  for (let i = 0; i < seconds * 50; i++) void grammar.process(new Int16Array(320));
  return grammar.end();
}

describe('ParallelGrammar', () => {
  it('listens to the first seconds of a call outside its slots, then rests until the agent asks for one', async () => {
    const { pool, decoded } = countingPool();
    const grammar = new ParallelGrammar(pool, failOnError);
    void grammar.prepare();
    expect(await utterance(grammar, 'open', 4)).toEqual({ search: 'open', reading: undefined });
    await utterance(grammar, 'open', 4);
    const listened = decoded.length;
    expect(listened).toBe(400);
    expect(await utterance(grammar, 'open', 4)).toBeUndefined();
    expect(decoded.length).toBe(listened);
    expect((await utterance(grammar, 'phone', 3))?.reading?.text).toBe('five five five one two one two');
    expect(decoded.length).toBe(listened + 150);
  });

  it('loads an on-demand grammar when the agent asks for its slot, and drops it once the utterance on it has its reading', async () => {
    const { pool, dropped } = countingPool();
    const grammar = new ParallelGrammar(pool, failOnError);
    void grammar.prepare();
    void grammar.expect('name');
    void grammar.start('name');
    void grammar.process(new Int16Array(320));
    // the agent's next question starts while the caller still spells
    await grammar.expect('phone');
    expect(dropped).toEqual([]);
    expect(await grammar.end()).toMatchObject({ search: 'name', reading: { text: 'j o h n' } });
    expect(dropped).toEqual(['name']);
  });

  it('decodes an utterance that began while its grammar was loading on that grammar, once loaded, in order', async () => {
    let load = () => {};
    const { pool, decoded } = countingPool(new Promise<void>((resolve) => (load = resolve)));
    const grammar = new ParallelGrammar(pool, failOnError);
    void grammar.prepare();
    void grammar.expect('name');
    const reading = utterance(grammar, 'name', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(decoded).toEqual([]);
    load();
    expect(await reading).toMatchObject({ search: 'name', reading: { text: 'j o h n' } });
    expect(decoded.length).toBe(50);
  });
});
