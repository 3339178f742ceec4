import { describe, expect, it } from 'vitest';
import type { DecoderPool } from '../../src/stages/stt/pocketsphinx/DecoderPool.ts';
import { ParallelGrammar } from '../../src/stages/stt/pocketsphinx/ParallelGrammar.ts';

/** A decoder pool whose one decoder has an 'open' and a 'phone' search and counts the audio it decodes. */
function countingPool() {
  const decoded: number[] = [];
  let search = 'open';
  const lib = {
    search: () => search,
    setSearch: (_handle: unknown, name: string) => {
      search = name;
    },
    startUtt: () => {},
    endUtt: async () => {},
    processRaw: async (_handle: unknown, pcm: Int16Array) => {
      decoded.push(pcm.length);
    },
    hypothesis: () => ({ text: 'five five five one two one two' }),
    probability: () => 0.5,
  };
  const decoder = { handle: {}, searches: new Set(['open', 'phone']) };
  const pool = {
    lib,
    acquire: () => decoder,
    loadMissingSearches: async () => {},
    release: () => {},
  } as unknown as DecoderPool;
  return { pool, decoded };
}

async function utterance(grammar: ParallelGrammar, slot: 'open' | 'phone', seconds: number) {
  const reading = grammar.start(slot);
  for (let i = 0; i < seconds * 50; i++) await grammar.process(new Int16Array(320));
  await grammar.end();
  return reading;
}

describe('ParallelGrammar', () => {
  it('listens to the first seconds of a call outside its slots, then rests until the agent asks for one', async () => {
    const { pool, decoded } = countingPool();
    const grammar = new ParallelGrammar(pool, (error) => {
      throw error;
    });
    await grammar.prepare();
    await utterance(grammar, 'open', 4);
    await utterance(grammar, 'open', 4);
    const listened = decoded.length;
    expect(listened).toBe(400);
    expect(await utterance(grammar, 'open', 4)).toBe(false);
    expect(decoded.length).toBe(listened);
    expect(await utterance(grammar, 'phone', 3)).toBe(true);
    expect(decoded.length).toBe(listened + 150);
  });
});
