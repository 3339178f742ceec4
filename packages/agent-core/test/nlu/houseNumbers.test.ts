import { describe, expect, it } from 'vitest';
import { Hypothesis, houseNumberDoubted, houseNumberUnsure, Nlu } from '../../src/nlu/index.ts';
import { namedDetail } from '../../src/nlu/namedDetail.ts';
import { pizzeria } from './pizzeria.ts';
import { lines, orderAfter } from './trackerAfter.ts';

const nlu = new Nlu({ menu: pizzeria().menu.items });

const SAID = {
  4622: "it's four thousand six hundred twenty two harbor road",
  4822: "it's four thousand eight hundred twenty two harbor road",
  4716: 'four thousand seven hundred sixteen harbor road',
};

describe('houseNumberDoubted: the n-best list on the house number', () => {
  it.each([
    ['another number for the same street', '4822 Harbor Road', [SAID[4822], SAID[4622]], true],
    [
      'number words that make no house number on the same street',
      '4716 Harbor Road',
      [SAID[4716], 'four thousand seven hundred sixty sixteen harbor road'],
      true,
    ],
    [
      'the same number with the kind lost, another number on another street',
      '4622 Harbor Road',
      [SAID[4622], 'four thousand six hundred twenty two harbor', "it's forty eight twenty two harper road"],
      false,
    ],
    ['no house number held', 'Harbor Road', [SAID[4622], SAID[4822]], false],
  ] as const)('beside %s: %s doubted %s', (_, address, hypotheses, doubted) => {
    expect(houseNumberDoubted(address, Hypothesis.all(nlu, hypotheses))).toBe(doubted);
  });
});

describe('houseNumberUnsure: the n-best list or the confidence', () => {
  const agreed = Hypothesis.all(nlu, [SAID[4822], SAID[4822]]);
  it('is unsure of a number the hypotheses agree on when the confidence is below the threshold', () => {
    expect(houseNumberUnsure('4822 Harbor Road', agreed, 0.05, 0.1)).toBe(true);
    expect(houseNumberUnsure('4822 Harbor Road', agreed, 0.2, 0.1)).toBe(false);
    expect(houseNumberUnsure('4822 Harbor Road', agreed, undefined, 0.1)).toBe(false);
  });

  it('is unsure of a number the hypotheses doubt, however confident, and never of a street without one', () => {
    expect(houseNumberUnsure('4822 Harbor Road', Hypothesis.all(nlu, [SAID[4822], SAID[4622]]), 0.9)).toBe(
      true,
    );
    expect(houseNumberUnsure('Harbor Road', agreed, 0, 0.1)).toBe(false);
  });
});

describe('correcting part of the address', () => {
  const HARBOR = "it's four thousand eight hundred twenty two harbor road";
  it.each([
    [
      'the number said alone, asked about it',
      `${HARBOR} apartment six`,
      'address',
      'no forty six twenty two',
      '4622 Harbor Road, Apt 6',
    ],
    [
      'the number named at the read-back',
      HARBOR,
      'confirm',
      'no the house number is forty six twenty two',
      '4622 Harbor Road',
    ],
    ['the street said alone, asked about it', HARBOR, 'address', "no it's harbor lane", '4822 Harbor Lane'],
    [
      'the street named at the read-back',
      HARBOR,
      'confirm',
      'no the street is harbor lane',
      '4822 Harbor Lane',
    ],
    [
      'the address said again at the read-back, its street lost',
      HARBOR,
      'confirm',
      'no i said four thousand six hundred twenty two harper rude',
      '4622 Harbor Road',
    ],
    [
      'the address named again at the read-back, its street lost',
      HARBOR,
      'confirm',
      'no the address is four thousand six hundred twenty two hard rude',
      '4622 Harbor Road',
    ],
    [
      'a number among other words, none (a yes misheard)',
      HARBOR,
      'address',
      "i'd like six",
      '4822 Harbor Road',
    ],
  ] as const)('keeps the other part: %s', (_, given, expecting, correction, address) => {
    const tracker = orderAfter('a large pepperoni pizza', ['address', given], [expecting, correction]);
    expect(tracker.customer.address).toBe(address);
    expect(lines(tracker)).toEqual([['pepperoni pizza', 'large', 1]]);
  });

  it('hears "the house number is" as the address, not the phone number', () => {
    expect(namedDetail('no the house number is forty six'.split(' '))).toBe('address');
    expect(namedDetail('no the number is six one seven'.split(' '))).toBe('phone');
  });
});
