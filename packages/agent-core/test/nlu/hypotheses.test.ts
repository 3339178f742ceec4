import { describe, expect, it } from 'vitest';
import {
  answerQuality,
  type Expectation,
  Hypothesis,
  mostHeardAddress,
  Nlu,
  rescoreHypotheses,
  withoutRejectedAddress,
} from '../../src/nlu/index.ts';
import { pizzeria } from './pizzeria.ts';

const nlu = new Nlu({ menu: pizzeria().menu.items });

const rescore = (best: string, alternatives: readonly string[], expecting: Expectation) =>
  rescoreHypotheses(new Hypothesis(nlu, best), Hypothesis.all(nlu, alternatives), expecting);

const mostHeard = (texts: readonly string[]) => mostHeardAddress(Hypothesis.all(nlu, texts))?.text;

/** The texts of the hypotheses kept; `texts` itself when all of them are. */
function withoutRejected(texts: readonly string[], expecting: Expectation, held: string | null) {
  const hypotheses = Hypothesis.all(nlu, texts);
  const kept = withoutRejectedAddress(hypotheses, expecting, held);
  return kept === hypotheses ? texts : kept.map((h) => h.text);
}

describe('answerQuality', () => {
  it.each([
    ['my number is five five five three two one four five six seven', 'phone', 2],
    ['five five five one two three four', 'phone', 1],
    ['my number is five five five three two one four five six seven eight', 'phone', 1],
    ['a large pepperoni pizza', 'phone', 0],
    ["it's twelve oak street", 'address', 2],
    ['oak street', 'address', 1],
    ['my name is sarah miller', 'name', 2],
    ['my name is sarah', 'name', 1],
    ['a l a r r y a', 'name', 1],
    ['yes please', 'confirm', 2],
  ] as const)('rates %j after a %s question %i', (text, expecting, quality) => {
    expect(answerQuality(nlu.understand(text, expecting), expecting)).toBe(quality);
  });
});

describe('rescoreHypotheses', () => {
  it('takes the hypothesis with a whole phone number over a best one with a digit too many', () => {
    const best = 'my number is two one two two five five five one two three four';
    const right = 'my number is two one two five five five one two three four';
    const r = rescore(best, ['my number is two one two two five', right], 'phone');
    expect(r.text).toBe(right);
  });

  it('takes a whole number in a later hypothesis over a best one of seven digits and a closing', () => {
    const best = 'my number is four one five five five five oh thank you';
    const whole = 'my number is four one five five five five oh one four two';
    const r = rescore(best, [whole], 'phone');
    expect(r.text).toBe(whole);
  });

  it('takes a first and last name over a first name alone', () => {
    const r = rescore('my name is sarah', ['my name is sarah miller'], 'name');
    expect(r.text).toBe('my name is sarah miller');
  });

  it('keeps the best spelled reading over a longer run of letters split into two names', () => {
    const r = rescore('h e n r y', ['h e n r y a r', 'h a n r y'], 'name');
    expect(r.text).toBe('h e n r y');
  });

  it('keeps a well-formed best hypothesis even when a later one is also well formed', () => {
    const r = rescore("it's twelve oak street", ["it's twenty oak street"], 'address');
    expect(r.text).toBe("it's twelve oak street");
  });

  it('keeps a "no" to "Anything else?" over later hypotheses that name items', () => {
    const r = rescore('no that all', ['five a coke', 'no that a coke'], 'order');
    expect(r.text).toBe('no that all');
  });

  it('keeps the best hypothesis over later ones that do not answer at all', () => {
    const r = rescore('my name is sarah', ['my name', 'a large pepperoni'], 'name');
    expect(r.text).toBe('my name is sarah');
  });

  it('reports how many hypotheses agree on the answer, so the dialog can confirm a doubtful one', () => {
    const agreed = rescore('yes', ['yes please', 'yeah'], 'confirm');
    expect(agreed.agreement).toBe(1);
    const split = rescore(
      'my name is sarah miller',
      ['my name is sarah miller', 'my name is sara mills', 'my name is farah miller'],
      'name',
    );
    expect(split.agreement).toBe(0.5);
  });

  it('fully trusts a lone hypothesis and anything said when nothing particular was asked', () => {
    expect(rescore('yes', [], 'confirm')).toEqual({ text: 'yes', agreement: 1 });
    expect(rescore('hello', ['hollow'], 'none')).toEqual({ text: 'hello', agreement: 1 });
  });
});

describe('mostHeardAddress', () => {
  it('takes the house number and the street most hypotheses give over the best one', () => {
    const hypotheses = [
      "it's two hundred fifty four apple lane",
      'two hundred fifty four meadow lane',
      "it's two hundred fifty four meadow lane",
      "it's two hundred sixty four meadow lane",
      'two hundred sixty four meadow lane',
    ];
    expect(mostHeard(hypotheses)).toBe('two hundred fifty four meadow lane');
  });

  it('keeps the best hypothesis where no other reading has more than half of them', () => {
    const hypotheses = [
      'four thousand eight hundred twenty two orchard drive',
      'forty thousand eight hundred twenty two orchard drive',
      'forty thousand eight hundred twenty two orchard drive',
      'four thousand six hundred twenty two orchard drive',
    ];
    expect(mostHeard(hypotheses)).toBe(hypotheses[0]);
    expect(mostHeard(['oak street', 'a large pepperoni pizza'])).toBeUndefined();
  });

  it('takes the street with its kind when the other hypotheses heard the same street without one', () => {
    const hypotheses = [
      "it's four thousand two hundred eleven washington thousand i'd i i",
      "it's four thousand two hundred eleven washington avenue",
      "it's four thousand two hundred eleven washington thousand i'd i a",
      "it's four thousand two hundred eleven washington boulevard",
      "it's four thousand two hundred eleven washington avenue please",
    ];
    expect(mostHeard(hypotheses)).toBe(hypotheses[1]);
  });

  it('lets a street heard whole outvote the same number with a street cut short or not a street', () => {
    const hypotheses = [
      "it's two thousand one hundred ridge road my phone number is four one five",
      "it's two thousand one hundred river my phone number is four one eight",
      "it's two thousand one hundred richard my phone number is four one five",
      "it's two thousand one hundred river my phone number is four one five eight",
      "it's two thousand one hundred river my phone number is four one eight five",
    ];
    expect(mostHeard(hypotheses)).toBe(hypotheses[0]);
  });

  it('takes the street most hypotheses end with, though a word misheard ahead of it leaves them ill formed', () => {
    const hypotheses = [
      "okay it's six hundred seventy green road suite four please",
      "it's six hundred seventy three madison place",
      "it's six hundred seventy great madison place",
      "it's six hundred seventy creek madison place",
      "it's six hundred seventy green madison place",
    ];
    expect(mostHeard(hypotheses)).toBe(hypotheses[1]);
  });

  it('still takes the house number most hypotheses give with the street heard whole', () => {
    const hypotheses = [
      'one thousand two hundred fifteen maple way',
      'one thousand two hundred fifty maple way',
      'one i thousand two hundred fifty maple way',
      'uh one i thousand two hundred fifty maple',
    ];
    expect(mostHeard(hypotheses)).toBe(hypotheses[1]);
  });

  it('takes the address without an apartment most hypotheses give over one heard with an apartment', () => {
    const hypotheses = [
      'six forty six market avenue apartment eleven',
      'six forty six market avenue',
      'six forty six market avenue',
    ];
    expect(mostHeard(hypotheses)).toBe(hypotheses[1]);
  });
});

describe('withoutRejectedAddress', () => {
  const correction = [
    'no the address is four thousand two poplar road',
    'no the address is four thousand two poplar road please',
    'no the address is four thousand two poplar rowe',
    'no the address is four thousand two harbor road',
  ];

  it('keeps the hypotheses that hear another address than the held one in a correction', () => {
    expect(withoutRejected(correction, 'confirm', '4002 Poplar Road')).toEqual([correction[3]]);
    // asked for the address, a street heard without its kind is an address too ("4002 Poplar Rowe")
    expect(withoutRejected(correction, 'address', '4002 Poplar Road')).toEqual(correction.slice(2));
  });

  it('keeps them all after a yes, another address, no other address heard, or another question', () => {
    const yes = ["yes that's four thousand two poplar road", 'yes four thousand two harbor road'];
    expect(withoutRejected(yes, 'confirm', '4002 Poplar Road')).toBe(yes);
    expect(withoutRejected(correction, 'confirm', '12 Oak Street')).toBe(correction);
    expect(withoutRejected(correction.slice(0, 3), 'confirm', '4002 Poplar Road')).toEqual(
      correction.slice(0, 3),
    );
    expect(withoutRejected(correction, 'phone', '4002 Poplar Road')).toBe(correction);
    expect(withoutRejected(correction, 'confirm', null)).toBe(correction);
  });
});
