import { describe, expect, it } from 'vitest';
import { wordErrorRate, wordErrors } from '../../src/stages/stt/wordErrorRate.ts';

describe('word error rate', () => {
  it('counts substitutions, insertions and deletions after normalisation', () => {
    expect(wordErrors('Two large pizzas.', 'two large pizzas')).toEqual({ errors: 0, words: 3 });
    expect(wordErrors('two large pizzas', 'to large pizzas please')).toEqual({ errors: 2, words: 3 });
    expect(wordErrors('two large pizzas', 'large')).toEqual({ errors: 2, words: 3 });
    expect(wordErrors('2 pizzas', 'two pizzas').errors).toBe(0);
  });

  it('pools errors over utterances', () => {
    expect(
      wordErrorRate([
        { reference: 'a b c d', hypothesis: 'a b c d' },
        { reference: 'e f', hypothesis: 'e x' },
      ]),
    ).toBeCloseTo(1 / 6);
    expect(wordErrorRate([])).toBe(0);
  });
});
