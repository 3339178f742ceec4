import { describe, expect, it } from 'vitest';
import { buildArpa } from '../../src/stages/stt/lm/arpa.ts';

interface Model {
  order: number;
  counts: number[];
  prob: Map<string, number>;
  bow: Map<string, number>;
}

function parseArpa(text: string): Model {
  const prob = new Map<string, number>();
  const bow = new Map<string, number>();
  const counts: number[] = [];
  let n = 0;
  for (const line of text.split('\n')) {
    const count = /^ngram (\d)=(\d+)$/.exec(line);
    if (count) counts.push(Number(count[2]));
    const section = /^\\(\d)-grams:$/.exec(line);
    if (section) n = Number(section[1]);
    else if (n > 0 && line.includes('\t')) {
      const [p, words, b] = line.split('\t');
      prob.set(words as string, 10 ** Number(p));
      if (b !== undefined) bow.set(words as string, 10 ** Number(b));
    }
  }
  return { order: counts.length, counts, prob, bow };
}

/** p(w | h) by the ARPA back-off rule. */
function p(model: Model, history: string[], word: string): number {
  const key = [...history, word].join(' ');
  const direct = model.prob.get(key);
  if (direct !== undefined) return direct;
  if (history.length === 0) return 0;
  return (model.bow.get(history.join(' ')) ?? 1) * p(model, history.slice(1), word);
}

const CORPUS = [
  ['i', 'want', 'a', 'large', 'pizza'],
  ['i', 'want', 'two', 'large', 'pizzas'],
  ['a', 'small', 'pizza', 'please'],
  ['yes', 'please'],
].map((s) => s);

describe('buildArpa', () => {
  it('writes a header whose n-gram counts match the sections', () => {
    const model = parseArpa(buildArpa(CORPUS));
    expect(model.order).toBe(3);
    expect(model.prob.size).toBe(model.counts.reduce((a, b) => a + b, 0));
    expect(model.prob.get('<s>')).toBeCloseTo(0, 10);
  });

  it('gives every history a conditional distribution that sums to one', () => {
    const model = parseArpa(buildArpa(CORPUS));
    const vocabulary = [...model.prob.keys()].filter((k) => !k.includes(' ') && k !== '<s>');
    for (const history of [[], ['<s>'], ['want'], ['i', 'want'], ['large'], ['a', 'small'], ['pizza']]) {
      const total = vocabulary.reduce((sum, w) => sum + p(model, history, w), 0);
      expect(total).toBeCloseTo(1, 4);
    }
  });

  it('prefers seen continuations and still allows unseen ones', () => {
    const model = parseArpa(buildArpa(CORPUS));
    expect(p(model, ['i', 'want'], 'a')).toBeGreaterThan(p(model, ['i', 'want'], 'please'));
    expect(p(model, ['i', 'want'], 'please')).toBeGreaterThan(0);
  });

  it('mixes in general words with the given weight', () => {
    const general = new Map([
      ['hello', 1],
      ['pizza', 1],
    ]);
    const model = parseArpa(buildArpa(CORPUS, { general, generalWeight: 0.1 }));
    expect(model.prob.get('hello')).toBeCloseTo(0.05, 6);
    const domainOnly = parseArpa(buildArpa(CORPUS));
    expect(model.prob.get('pizza')).toBeCloseTo(0.9 * (domainOnly.prob.get('pizza') as number) + 0.05, 6);
  });

  it('builds lower orders on request', () => {
    const model = parseArpa(buildArpa(CORPUS, { order: 2 }));
    expect(model.order).toBe(2);
    expect([...model.prob.keys()].some((k) => k.split(' ').length === 3)).toBe(false);
  });
});
