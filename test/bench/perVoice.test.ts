import { describe, expect, it } from 'vitest';
import { finalLatency, rotation, werByVoice } from '../../bench/perVoice.ts';

describe('per-voice benchmark figures', () => {
  it('pools the word error rate over every voice by words and names the worst voice', () => {
    const figures = werByVoice(
      new Map([
        ['flite:kal16', [{ reference: 'one large pepperoni', hypothesis: 'one large pepperoni' }]],
        [
          'espeak-ng:en-us',
          [
            { reference: 'two medium margherita pizzas', hypothesis: 'two medium pizzas' },
            { reference: 'a coke', hypothesis: 'a cake' },
          ],
        ],
      ]),
    );
    expect(figures.per_voice).toEqual({ 'flite:kal16': 0, 'espeak-ng:en-us': 0.333 });
    // 2 errors over 9 words, not the mean of the two voices' rates (0.167)
    expect(figures.wer).toBe(0.222);
    expect(figures.worst_voice).toEqual({ voice: 'espeak-ng:en-us', wer: 0.333 });
  });

  it("keeps each call's first utterance apart from its later ones in final latency", () => {
    const figures = finalLatency([
      [900, 100, 120],
      [700, 140],
    ]);
    expect(figures).toMatchObject({
      calls: 2,
      first_utterance_p50: 700,
      first_utterance_max: 900,
      later_n: 3,
      later_p50: 120,
      later_max: 140,
    });
  });

  it('rotates voices so every voice speaks equally often and each item hears distinct voices', () => {
    const voices = ['a', 'b', 'c', 'd', 'e'];
    const spoken = Array.from({ length: 10 }, (_, i) => rotation(i, voices, 3));
    for (const item of spoken) expect(new Set(item).size).toBe(3);
    const counts = new Map<string, number>();
    for (const v of spoken.flat()) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.values()]).toEqual([6, 6, 6, 6, 6]);
    expect(rotation(4, voices, 99)).toHaveLength(5);
    expect(() => rotation(0, [], 3)).toThrow(/no caller voices/);
  });
});
