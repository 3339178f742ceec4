import { describe, expect, it } from 'vitest';
import {
  isNumberPart,
  numberToWords,
  parseCardinal,
  parseDigitRun,
  parseQuantity,
  priceToWords,
} from '../../src/nlu/numbers.ts';

const words = (s: string) => s.split(' ');

describe('parseQuantity', () => {
  it.each([
    ['2 pizzas', 2, 1],
    ['two pizzas', 2, 1],
    ['twenty two cokes', 22, 2],
    ['a coke', 1, 1],
    ['an order', 1, 1],
    ['a couple of wings', 2, 3],
    ['couple of wings', 2, 2],
    ['a pair of cokes', 2, 3],
    ['half a dozen cokes', 6, 3],
    ['a dozen wings', 12, 2],
    ['one hundred and five', 105, 4],
  ])('reads %j as %i (%i words)', (text, value, length) => {
    expect(parseQuantity(words(text), 0)).toEqual({ value, length });
  });

  it('finds no quantity in a word that is not a number', () => {
    expect(parseQuantity(words('large pizza'), 0)).toBeUndefined();
    expect(parseQuantity(words('zero'), 0)).toBeUndefined();
  });
});

describe('parseCardinal', () => {
  it('stops where the number ends', () => {
    expect(parseCardinal(words('thirty three dollars'), 0)).toEqual({ value: 33, length: 2 });
  });
  it('does not join two units into one number', () => {
    expect(parseCardinal(words('two three'), 0)).toEqual({ value: 2, length: 1 });
  });
});

describe('parseDigitRun', () => {
  it.each([
    ['five five five one two three four', '5551234'],
    ['five five five oh one nine nine', '5550199'],
    ['one twenty three', '123'],
    ['double two three', '223'],
    ['triple five', '555'],
    ['555 867 5309', '5558675309'],
    ['twelve thirty four', '1234'],
    ['nine hundred', '900'],
    ['two oh five', '205'],
  ])('reads %j as %s', (text, digits) => {
    expect(parseDigitRun(words(text), 0)?.digits).toBe(digits);
  });

  it('stops at the first word that is not a digit', () => {
    expect(parseDigitRun(words('forty two baker street'), 0)).toEqual({ digits: '42', length: 2 });
  });
});

describe('isNumberPart', () => {
  it('takes every word a digit run or a cardinal is made of', () => {
    const parts = words('555 five twelve twenty hundred thousand oh zero double triple');
    expect(parts.filter(isNumberPart)).toEqual(parts);
  });

  it('leaves out words that only sound like digits and the letter o', () => {
    expect(words('to for won o and pizza').filter(isNumberPart)).toEqual([]);
  });
});

describe('numbers for speech', () => {
  it.each([
    [0, 'zero'],
    [13, 'thirteen'],
    [33, 'thirty-three'],
    [100, 'one hundred'],
    [245, 'two hundred forty-five'],
    [1200, 'one thousand two hundred'],
  ])('says %i as %s', (n, text) => {
    expect(numberToWords(n)).toBe(text);
  });

  it.each([
    [15.5, 'fifteen dollars fifty'],
    [33, 'thirty-three dollars'],
    [1, 'one dollar'],
    [0.5, 'fifty cents'],
    [12.05, 'twelve dollars five'],
  ])('says the price %d as %s', (amount, text) => {
    expect(priceToWords(amount)).toBe(text);
  });
});
