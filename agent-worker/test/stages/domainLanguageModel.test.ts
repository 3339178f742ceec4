import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { describe, expect, it } from 'vitest';
import { buildDomainCorpus } from '../../src/stages/stt/lm/domainCorpus.ts';
import { buildDomainLanguageModel } from '../../src/stages/stt/lm/domainLanguageModel.ts';
import { espeakToArpabet, pronounce } from '../../src/stages/stt/lm/espeakG2p.ts';
import { normalizeTranscript } from '../../src/stages/stt/lm/normalize.ts';
import { buildPronunciationDictionary } from '../../src/stages/stt/lm/pronunciationDictionary.ts';
import { spokenPriceVariants } from '../../src/stages/stt/lm/spokenPrices.ts';

const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);

describe('number words and normalisation', () => {
  it('says prices the ways callers and the agent say them', () => {
    expect(spokenPriceVariants(15.5)).toEqual([
      'fifteen fifty',
      'fifteen dollars fifty',
      'fifteen dollars and fifty cents',
    ]);
    expect(spokenPriceVariants(9)).toEqual(['nine dollars', 'nine']);
    expect(spokenPriceVariants(21.25)[0]).toBe('twenty one twenty five');
  });

  it('normalises transcripts to lower-case words with digits spelled out', () => {
    expect(normalizeTranscript('123 main st')).toEqual(['one', 'hundred', 'twenty', 'three', 'main', 'st']);
    expect(normalizeTranscript("I'd like 2 LARGE pizzas, at $15.50!")).toEqual([
      "i'd",
      'like',
      'two',
      'large',
      'pizzas',
      'at',
      'fifteen',
      'dollars',
      'fifty',
    ]);
  });
});

describe('domain corpus', () => {
  it('covers menu items with sizes and quantities, names, addresses, confirmations and knowledge', () => {
    const sentences = new Set(buildDomainCorpus(pizzeria).map((s) => s.join(' ')));
    expect(sentences).toContain("i'd like two large pepperoni pizzas");
    expect(sentences).toContain('can i get a small margherita pizza');
    expect(sentences).toContain('my name is john');
    expect(sentences).toContain("that's correct");
    expect(sentences).toContain('can i get three orders of chicken wings');
    expect(sentences).toContain('and an order of wings');
    expect(sentences).toContain('what are your opening hours');
    expect([...sentences].some((s) => s.startsWith('my address is') && s.endsWith('main street'))).toBe(true);
  });

  it('makes "a", "one" and "two" of an item far more common than "eight" or "eleven"', () => {
    const sentences = buildDomainCorpus(pizzeria);
    const count = (quantity: string) =>
      sentences.filter((s) => s.some((w, i) => w === quantity && s[i + 1] === 'caesar')).length;
    for (const rare of ['eight', 'eleven', 'seventeen']) {
      expect(count('a'), rare).toBeGreaterThan(4 * count(rare));
      expect(count('two'), rare).toBeGreaterThan(4 * count(rare));
    }
    expect(count('eleven')).toBeGreaterThan(0);
  });

  it('knows the ways callers take off, recount, resize and swap what they ordered', () => {
    const sentences = buildDomainCorpus(pizzeria).map((s) => s.join(' '));
    const has = (pattern: RegExp) => sentences.some((s) => pattern.test(s));
    expect(has(/\btake off the coke$/)).toBe(true);
    expect(has(/\bi don't want the (caesar salad|salad)$/)).toBe(true);
    expect(has(/\bmake (that|it) one (coke|lemonade)$/)).toBe(true);
    expect(has(/\bchange the \w+( \w+)? to two$/)).toBe(true);
    expect(has(/\b(swap|change|switch) the pepperoni( pizza)? (for|to) a /)).toBe(true);
    expect(has(/\bmake the hawaiian( pizza)? a (small|medium|large)$/)).toBe(true);
  });

  it("includes the config's extra ASR phrases", () => {
    const config = { ...pizzeria, asr: { ...pizzeria.asr, phrases: ['extra anchovies on the side'] } };
    expect(buildDomainCorpus(config).map((s) => s.join(' '))).toContain('extra anchovies on the side');
  });
});

describe('pronunciations for words missing from CMUdict', () => {
  it('maps espeak-ng phoneme mnemonics to ARPAbet', () => {
    expect(espeakToArpabet("m,A@g3r'i:t#@")).toBe('M AA R G ER R IY T AH');
    expect(espeakToArpabet("kl'aflIn")).toBe('K L AE F L IH N');
  });

  it('builds a dictionary restricted to the model vocabulary, guessing out-of-dictionary menu words', async () => {
    const lm = await buildDomainLanguageModel(pizzeria, { cmudictPath: CMUDICT, generalWeight: 0.05 });
    expect(lm.guessed).toContain('margherita');
    expect(lm.missing).toEqual([]);
    const words = new Set(lm.dictionary.split('\n').map((l) => l.split(' ')[0]?.replace(/\(\d+\)$/, '')));
    expect(words.has('pepperoni')).toBe(true);
    expect(words.has('margherita')).toBe(true);
    expect(words.size).toBeLessThan(1500);
    expect(lm.arpa).toContain('\tpepperoni pizza');
  });

  it("adds espeak-ng's pronunciation of the words asked for where CMUdict has others, and only theirs", async () => {
    const dict = await buildPronunciationDictionary(['boulevard', 'oak', 'pizza'], CMUDICT, [
      'boulevard',
      'oak',
    ]);
    expect(dict.text.split('\n')).toEqual([
      'boulevard B UH L AH V AA R D',
      'boulevard(2) B UW L IH V AA R D',
      'oak OW K',
      'pizza P IY T S AH',
      '',
    ]);
  });

  it('pronounces words asked for again the same as the first time, beside words new to it', async () => {
    const first = await pronounce(['margherita']);
    const again = await pronounce(['boulevard', 'margherita']);
    expect(first.get('margherita')).toBe('M AA R G ER R IY T AH');
    expect([...again]).toEqual([
      ['boulevard', 'B UW L IH V AA R D'],
      ['margherita', 'M AA R G ER R IY T AH'],
    ]);
  });

  it('gives the street words of the models the other way they are said', async () => {
    const lm = await buildDomainLanguageModel(pizzeria, { cmudictPath: CMUDICT, generalWeight: 0.05 });
    expect(lm.dictionary).toContain('boulevard(2) B UW L IH V AA R D');
  });
});
