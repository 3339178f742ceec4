import { describe, expect, it } from 'vitest';
import { lines, orderAfter } from './trackerAfter.ts';

describe('CallTracker: answers to a detail question', () => {
  it('asked for the address, a change that names no item does not touch the order (a misheard "boulevard")', () => {
    const tracker = orderAfter('a medium pepperoni pizza', [
      'address',
      "it's three thousand two hundred forty nine market two large",
    ]);
    expect(lines(tracker)).toEqual([['pepperoni pizza', 'medium', 1]]);
    expect(lines(orderAfter('a medium pepperoni pizza', ['address', 'make the pepperoni two']))).toEqual([
      ['pepperoni pizza', 'medium', 2],
    ]);
  });

  it('a turn that names a detail takes no quantity without an item, whatever was asked', () => {
    for (const expecting of ['yesno', 'size', 'none'] as const)
      expect(
        lines(orderAfter('a medium pepperoni pizza', [expecting, 'no the number is five one two'])),
      ).toEqual([['pepperoni pizza', 'medium', 1]]);
  });
});

describe('CallTracker: items heard inside an answer to a detail question', () => {
  const pizza = [['pepperoni pizza', 'medium', 1]];

  it('are not ordered when nothing says them as an order (digits heard as "five cokes")', () => {
    const answers = [
      ['phone', 'my number is six one seven five five five cokes one two three four'],
      ['phone', 'six one seven five five five one two three four two cokes'],
      ['phone', "my number is three zero three i'd like five cokes oh three eight oh two three"],
      ['address', 'four six two two oak street five cokes'],
      ['name', 'my name is maria garcia two cokes'],
    ] as const;
    for (const answer of answers)
      expect(lines(orderAfter('a medium pepperoni pizza', [...answer])), answer[1]).toEqual(pizza);
  });

  it('are ordered, and the detail kept, when said as an order ("and add a coke", "can I also get")', () => {
    const answers = [
      ['phone', 'six one seven five five five one two three four and add a coke'],
      ['address', '12 oak street and can i also get a coke'],
      ['name', "my name is maria garcia and i'd like a coke"],
    ] as const;
    for (const answer of answers)
      expect(lines(orderAfter('a medium pepperoni pizza', [...answer])), answer[1]).toEqual([
        ...pizza,
        ['coke', null, 1],
      ]);
  });

  it('still change the order when the answer gives no detail ("no, remove the coke")', () => {
    expect(lines(orderAfter('a medium pepperoni pizza and a coke', ['phone', 'no remove the coke']))).toEqual(
      pizza,
    );
  });
});

describe('CallTracker: taking the order', () => {
  it('reads several items with sizes and quantities from one sentence', () => {
    expect(lines(orderAfter("Hi, I'd like two large pepperoni pizzas and a Coke, please."))).toEqual([
      ['pepperoni pizza', 'large', 2],
      ['coke', null, 1],
    ]);
  });

  it('understands ASR output: lowercase, number words, plurals and aliases', () => {
    expect(lines(orderAfter('can we get a couple of medium cheese pizzas and three cokes'))).toEqual([
      ['margherita pizza', 'medium', 2],
      ['coke', null, 3],
    ]);
  });

  it('tolerates misheard item names', () => {
    expect(lines(orderAfter('two large pepper only pizzas and a small margarita'))).toEqual([
      ['pepperoni pizza', 'large', 2],
      ['margherita pizza', 'small', 1],
    ]);
  });

  it('hears "to" before an item as "two"', () => {
    expect(lines(orderAfter('i want to large hawaiian pizzas'))).toEqual([['hawaiian pizza', 'large', 2]]);
  });

  it('attaches a size said after the item', () => {
    expect(lines(orderAfter('pepperoni pizza large and a hawaiian medium'))).toEqual([
      ['pepperoni pizza', 'large', 1],
      ['hawaiian pizza', 'medium', 1],
    ]);
  });

  it('fills in a missing size from a bare answer', () => {
    const tracker = orderAfter('a veggie pizza please');
    expect(tracker.order.lineMissingSize?.name).toBe('veggie pizza');
    tracker.hear('large', 'size');
    expect(lines(tracker)).toEqual([['veggie pizza', 'large', 1]]);
  });

  it('gives every unsized line the size said "for all of them"', () => {
    expect(
      lines(orderAfter('two hawaiian pizzas and two veggie pizzas', ['size', 'medium for all of them'])),
    ).toEqual([
      ['hawaiian pizza', 'medium', 2],
      ['veggie pizza', 'medium', 2],
    ]);
  });

  it('gives a size said "both large" to every item before it', () => {
    expect(lines(orderAfter('Could I do a pepperoni and a Hawaiian, both large?'))).toEqual([
      ['pepperoni pizza', 'large', 1],
      ['hawaiian pizza', 'large', 1],
    ]);
  });

  it('reads a count said after the item ("lemonades, three of them")', () => {
    expect(lines(orderAfter('lemonades three of them and a large veggie'))).toEqual([
      ['lemonade', null, 3],
      ['veggie pizza', 'large', 1],
    ]);
  });

  it('does not order an item the caller only asks about', () => {
    expect(orderAfter('how much is a large hawaiian?', 'do you have chicken wings').order.isEmpty).toBe(true);
  });

  it('keeps items ordered before a question in the same sentence', () => {
    expect(lines(orderAfter("i'll have a large pepperoni and do you have lemonade"))).toEqual([
      ['pepperoni pizza', 'large', 1],
    ]);
  });

  it('orders from a question that is a request', () => {
    expect(lines(orderAfter('Could I also get two lemonades?'))).toEqual([['lemonade', null, 2]]);
  });

  it('orders the item the agent just offered when the caller says "one of those"', () => {
    const tracker = orderAfter();
    tracker.noteAgentTurn('A large hawaiian pizza is sixteen dollars.');
    tracker.hear("ok i'll take two of those", 'order');
    expect(lines(tracker)).toEqual([['hawaiian pizza', 'large', 2]]);
  });

  it('does not double an item the caller repeats', () => {
    expect(
      lines(orderAfter('two large pepperoni pizzas', 'so the large pepperoni and nothing else')),
    ).toEqual([['pepperoni pizza', 'large', 2]]);
  });
});

describe('CallTracker: corrections', () => {
  it('changes the quantity of the last item ("actually make that three")', () => {
    expect(lines(orderAfter('a large pepperoni pizza', 'actually make that three'))).toEqual([
      ['pepperoni pizza', 'large', 3],
    ]);
  });

  it('sets the quantity of the line when "make that" restates its item ("make that a coke")', () => {
    expect(lines(orderAfter('two cokes', 'make that a coke'))).toEqual([['coke', null, 1]]);
    expect(
      lines(orderAfter('a large pepperoni pizza and a coke', 'actually make that two pepperoni')),
    ).toEqual([
      ['pepperoni pizza', 'large', 2],
      ['coke', null, 1],
    ]);
  });

  it('swaps the line for another item of the same kind ("make it one lemonade" said of the coke)', () => {
    expect(lines(orderAfter('a large pepperoni pizza and two cokes', 'make it one lemonade'))).toEqual([
      ['pepperoni pizza', 'large', 1],
      ['lemonade', null, 1],
    ]);
    expect(
      lines(orderAfter('a large margherita pizza and a coke', 'actually make that two pepperoni')),
    ).toEqual([
      ['pepperoni pizza', 'large', 2],
      ['coke', null, 1],
    ]);
  });

  it('finds the line by its category ("make that two pizzas" after a drink)', () => {
    expect(
      lines(orderAfter('three large pepperoni pizzas and a coke', 'actually make that two pizzas')),
    ).toEqual([
      ['pepperoni pizza', 'large', 2],
      ['coke', null, 1],
    ]);
  });

  it('changes the size of the last sized item ("no, a medium")', () => {
    expect(lines(orderAfter('a large hawaiian and a coke', 'no, a medium'))).toEqual([
      ['hawaiian pizza', 'medium', 1],
      ['coke', null, 1],
    ]);
  });

  it('changes one size to another ("change the large to a medium")', () => {
    expect(
      lines(orderAfter('three large cheese pizzas and a small veggie', 'wait change the large to a medium')),
    ).toEqual([
      ['margherita pizza', 'medium', 3],
      ['veggie pizza', 'small', 1],
    ]);
  });

  it('reads a misrecognised "two" between the old and the new size as "to"', () => {
    expect(lines(orderAfter('three large cheese pizzas', 'wait change large two medium'))).toEqual([
      ['margherita pizza', 'medium', 3],
    ]);
  });

  it('reads a soundalike of a count where a change can only take a count ("make that want a small hawaiian")', () => {
    expect(
      lines(orderAfter('two small hawaiian pizzas', 'actually make that want a small hawaiian')),
    ).toEqual([['hawaiian pizza', 'small', 1]]);
    expect(lines(orderAfter('three cokes', 'no make that want a'))).toEqual([['coke', null, 1]]);
    expect(lines(orderAfter('a coke', 'change the coke to to'))).toEqual([['coke', null, 2]]);
    expect(lines(orderAfter('a coke', 'make it to cokes instead'))).toEqual([['coke', null, 2]]);
    expect(lines(orderAfter('a large pepperoni pizza', 'make that for'))).toEqual([
      ['pepperoni pizza', 'large', 4],
    ]);
  });

  it('reads "the X to N" ending a sentence as a new count for X, whatever the recogniser made of the verb', () => {
    expect(lines(orderAfter('three orders of chicken wings', 'suite eight a chicken wings to one'))).toEqual([
      ['chicken wings', null, 1],
    ]);
    expect(lines(orderAfter('a large pepperoni pizza and a coke', 'the coke to three please'))).toEqual([
      ['pepperoni pizza', 'large', 1],
      ['coke', null, 3],
    ]);
    expect(lines(orderAfter('a coke to go'))).toEqual([['coke', null, 1]]);
  });

  it('keeps "want", "to" and "for" words outside a change\'s count ("i want a coke", "change it to a lemonade")', () => {
    expect(lines(orderAfter('i want a coke for me'))).toEqual([['coke', null, 1]]);
    expect(lines(orderAfter('a coke', 'change it to a lemonade'))).toEqual([['lemonade', null, 1]]);
    expect(lines(orderAfter('a large hawaiian', 'make it for delivery'))).toEqual([
      ['hawaiian pizza', 'large', 1],
    ]);
  });

  it('removes an item ("remove the coke", "I don\'t want the salad")', () => {
    expect(
      lines(
        orderAfter(
          'a large veggie pizza a caesar salad and a coke',
          'remove the coke',
          "i don't want the salad",
        ),
      ),
    ).toEqual([['veggie pizza', 'large', 1]]);
  });

  it('takes off only as many as the caller says', () => {
    expect(lines(orderAfter('three cokes', 'take off one of the cokes'))).toEqual([['coke', null, 2]]);
  });

  it('swaps one item for another and keeps the rest of the line', () => {
    expect(
      lines(orderAfter('two medium hawaiian pizzas', 'actually change the hawaiian to a pepperoni')),
    ).toEqual([['pepperoni pizza', 'medium', 2]]);
    expect(lines(orderAfter('a coke', 'can i get a lemonade instead of the coke'))).toEqual([
      ['lemonade', null, 1],
    ]);
  });

  it('restates a quantity said in the same breath ("four cokes no wait make that five")', () => {
    expect(lines(orderAfter('four cokes no wait make that five cokes'))).toEqual([['coke', null, 5]]);
  });

  it('still orders the new item when the old one was removed first ("scratch the wings, make it a salad")', () => {
    expect(
      lines(
        orderAfter('a medium margherita and some wings', 'actually scratch the wings make it a caesar salad'),
      ),
    ).toEqual([
      ['margherita pizza', 'medium', 1],
      ['caesar salad', null, 1],
    ]);
  });

  it('adds one more of the last item ("add another one")', () => {
    expect(lines(orderAfter('a large pepperoni pizza', 'you know what add another one'))).toEqual([
      ['pepperoni pizza', 'large', 2],
    ]);
  });

  it('merges lines a change makes identical', () => {
    expect(
      lines(orderAfter('a small pepperoni and a large pepperoni', 'make the small pepperoni a large')),
    ).toEqual([['pepperoni pizza', 'large', 2]]);
  });

  it('does not take a house number for a quantity ("eighty eight river salad drive")', () => {
    expect(orderAfter('eighty eight river salad drive').order.isEmpty).toBe(true);
  });

  it('ignores a bare number when it is part of something else', () => {
    expect(lines(orderAfter('a large pepperoni pizza', ['address', 'calle mayor 10']))).toEqual([
      ['pepperoni pizza', 'large', 1],
    ]);
  });
});

describe('CallTracker: customer details and totals', () => {
  it('takes a name spelled across two segments as first and last name', () => {
    const tracker = orderAfter(
      'a large pepperoni pizza',
      ['name', 'w i l l i a m'],
      ['address', 'r o g e r s'],
    );
    expect(tracker.customer.name).toBe('William Rogers');
  });

  it('takes a name spelled again with a letter changed as the corrected name, not as a last name', () => {
    const tracker = orderAfter('a large pepperoni pizza', ['name', 'w i l l a m'], ['name', 'w i l l i a m']);
    expect(tracker.customer.name).toBe('William');
  });

  it('collects name, address and phone and prices the order from the menu', () => {
    const tracker = orderAfter(
      'two large pepperoni pizzas and a coke',
      ['name', 'my name is john smith'],
      ['address', 'one twenty three maple street apartment four b'],
      ['phone', 'five five five one two three four five six seven'],
    );
    expect(tracker.customer).toEqual({
      name: 'John Smith',
      address: '123 Maple Street, Apt 4B',
      phone: '555-123-4567',
      email: null,
    });
    expect(tracker.order.total()).toBe(33.5);
  });

  it('joins a phone number said in groups over two turns at the phone question', () => {
    const tracker = orderAfter(
      'a coke',
      ['phone', 'my number is five one two five five five'],
      ['phone', 'five three five four'],
    );
    expect(tracker.customer.phone).toBe('512-555-5354');
  });

  it('keeps the digits it holds when a group would make the number too long', () => {
    const tracker = orderAfter(
      'a coke',
      ['phone', 'my number is five one two five five five five'],
      ['phone', 'three five four four'],
    );
    expect(tracker.customer.phone).toBe('512-5555');
  });

  it('is confirmed only by a yes to the read-back', () => {
    const tracker = orderAfter('a coke', ['confirm', 'yes that is right']);
    expect(tracker.confirmed).toBe(true);
    expect(orderAfter('a coke', ['order', 'yes']).confirmed).toBe(false);
  });

  it('is not confirmed by a yes heard in a correction that lost its change', () => {
    for (const heard of ["absolutely i'll have one hundred coke", 'remove the yes', 'yes make it a large']) {
      expect(orderAfter('a coke', ['confirm', heard]).confirmed, heard).toBe(false);
    }
    for (const heard of ['yes please place the order', "yeah that's right", 'correct go ahead']) {
      expect(orderAfter('a coke', ['confirm', heard]).confirmed, heard).toBe(true);
    }
  });

  // a yes with a no, or among words that are mostly something else, is a correction half lost; a chatty yes is a yes
  it.each([
    ['yeah so no the lemon one', false],
    ['correct the lemon it to a lodge while', false],
    ['okay let me think about it', false],
    ['right um what was the total again', false],
    ["yes that's right thank you very much", true],
    ['yeah that sounds good go ahead and place it', true],
    ['okay great', true],
    ['sure thats all thanks', true],
  ])('heard %j at the read-back, confirmed is %s', (heard, confirmed) => {
    expect(orderAfter('a coke', ['confirm', heard]).confirmed).toBe(confirmed);
  });
});
