import { describe, expect, it } from 'vitest';
import { editDistance, MenuMatcher, matchWord, singular } from '../../src/nlu/index.ts';
import { pizzeria } from './pizzeria.ts';

const matcher = new MenuMatcher(pizzeria().menu.items);
const names = (text: string) => matcher.findItems(text.split(' ')).map((m) => m.item.name);

describe('MenuMatcher', () => {
  it('finds items by name, alias and the name without its category', () => {
    expect(names('a cheese pizza some wings and a coca cola')).toEqual([
      'margherita pizza',
      'chicken wings',
      'coke',
    ]);
    expect(names('hawaiian and veggie')).toEqual(['hawaiian pizza', 'veggie pizza']);
  });

  it('prefers the longest name ("caesar salad" over "salad")', () => {
    const [mention] = matcher.findItems('one caesar salad'.split(' '));
    expect(mention).toMatchObject({ start: 1, end: 3, fuzzy: false });
  });

  it('accepts plurals and small ASR slips but not ordinary words', () => {
    expect(names('two margaritas and three cokes')).toEqual(['margherita pizza', 'coke']);
    expect(names('pepper only')).toEqual(['pepperoni pizza']);
    expect(names('i would like to come and cook')).toEqual([]);
  });

  it('finds sizes and their synonyms, but not look-alike words', () => {
    expect(matcher.findSizes('a big one and a regular one'.split(' ')).map((s) => s.size)).toEqual([
      'large',
      'medium',
    ]);
    expect(matcher.findSizes('shall i'.split(' '))).toEqual([]);
  });

  it('prices an item by size, or by its single price', () => {
    const pepperoni = matcher.findItem('pepperoni pizza');
    const coke = matcher.findItem('coke');
    if (!pepperoni || !coke) throw new Error('the pizzeria menu changed');
    expect(matcher.unitPrice(pepperoni, 'large')).toBe(15.5);
    expect(matcher.unitPrice(pepperoni, null)).toBeNull();
    expect(matcher.unitPrice(coke, null)).toBe(2.5);
  });
});

describe('fuzzy words', () => {
  it('singularises', () => {
    expect(['pizzas', 'cokes', 'wings', 'berries', 'glass'].map(singular)).toEqual([
      'pizza',
      'coke',
      'wing',
      'berry',
      'glass',
    ]);
  });
  it('counts edits and gives up past the limit', () => {
    expect(editDistance('margarita', 'margherita')).toBe(2);
    expect(editDistance('abc', 'xyzxyz', 1)).toBe(2);
  });
  it('lets longer words have more slips', () => {
    expect(matchWord('margarita', 'margherita')).toBe('fuzzy');
    expect(matchWord('coke', 'cook')).toBe('none');
  });
});
