import { describe, expect, it } from 'vitest';
import { lines, orderAfter } from './trackerAfter.ts';

describe('swapWithLostVerb: a change whose verb the recogniser lost', () => {
  it('reads an ordered item named again, then "to" or "for" another item, as a swap whose verb was lost', () => {
    expect(lines(orderAfter('two cokes', 'and a coke to a caesar salad'))).toEqual([
      ['caesar salad', null, 2],
    ]);
    expect(
      lines(orderAfter('a medium margherita pizza', 'i want the margherita for a large hawaiian')),
    ).toEqual([['hawaiian pizza', 'large', 1]]);
    expect(lines(orderAfter('a lemonade', 'take the lemonade for three orders of chicken wings'))).toEqual([
      ['chicken wings', null, 3],
    ]);
  });

  it('reads an ordered item named again with a count or a size, then "to" and another item, as a swap whose verb was lost', () => {
    expect(
      lines(
        orderAfter('a large margherita pizza', "i'd like a medium margherita pizza to a medium veggie pizza"),
      ),
    ).toEqual([['veggie pizza', 'medium', 1]]);
    expect(
      lines(
        orderAfter('a large margherita pizza', "i'd like eight margherita pizza to a medium veggie pizza"),
      ),
    ).toEqual([['veggie pizza', 'medium', 1]]);
    expect(lines(orderAfter('two cokes', 'eleven cokes into two lemonades'))).toEqual([
      ['lemonade', null, 2],
    ]);
  });

  it('keeps a count or a size before an ordered item as adds when other words join it to the next item', () => {
    expect(
      lines(orderAfter('a margherita pizza', 'two margheritas for me and a veggie for my wife')),
    ).toEqual([
      ['margherita pizza', null, 2],
      ['veggie pizza', null, 1],
    ]);
    expect(
      lines(orderAfter('a large margherita pizza', 'a medium margherita pizza for me and a veggie pizza')),
    ).toEqual([
      ['margherita pizza', 'large', 1],
      ['margherita pizza', 'medium', 1],
      ['veggie pizza', null, 1],
    ]);
    expect(lines(orderAfter('a coke', 'three cokes to go and a caesar salad'))).toEqual([
      ['coke', null, 3],
      ['caesar salad', null, 1],
    ]);
  });

  it('keeps both items when the first is not on the order or its line changes, or no "to" or "for" joins them', () => {
    expect(lines(orderAfter('a lemonade', 'a coke to a caesar salad'))).toEqual([
      ['lemonade', null, 1],
      ['coke', null, 1],
      ['caesar salad', null, 1],
    ]);
    expect(lines(orderAfter('a coke', 'three cokes for a caesar salad'))).toEqual([
      ['coke', null, 3],
      ['caesar salad', null, 1],
    ]);
    expect(lines(orderAfter('a coke', 'a coke and a caesar salad'))).toEqual([
      ['coke', null, 1],
      ['caesar salad', null, 1],
    ]);
  });
});
