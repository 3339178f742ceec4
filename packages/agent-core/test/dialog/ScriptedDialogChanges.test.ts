import { describe, expect, it } from 'vitest';
import type { ScriptedDialogSession } from '../../src/dialog/ScriptedDialogSession.ts';
import { Nlu, numberLost } from '../../src/nlu/index.ts';
import { pizzeria } from '../nlu/pizzeria.ts';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

async function atReadBack(...order: string[]): Promise<ScriptedDialogSession> {
  const s = session();
  for (const u of [...order, "that's all", 'my name is maria', '12 oak street', '555 321 4567'])
    await turn(s, u);
  return s;
}

describe('a change the best hypothesis lost, mended from the n-best list', () => {
  it('takes the quantity an alternative heard when the best one would leave the order as it is', async () => {
    const s = await atReadBack('a coke');
    const { text } = await turn(s, 'no make that a coke', {
      alternatives: ['uh make that a coke', 'no make that a two cokes'],
    });
    expect(s.tracker.order.lines).toEqual([{ name: 'coke', size: null, quantity: 2 }]);
    expect(text).toContain('Let me read that back: two cokes');
  });

  it('does not trust "a" before a plural ("make that a cokes": the number was lost) when an alternative has it', async () => {
    const s = await atReadBack('three cokes');
    await turn(s, 'no make that a cokes', {
      alternatives: ['nope make that a cokes', 'nope make that two cokes'],
    });
    expect(s.tracker.order.lines).toEqual([{ name: 'coke', size: null, quantity: 2 }]);
  });

  it('never takes another item from the alternatives (that would be a guess, not a mend)', async () => {
    const s = await atReadBack('a coke');
    const { text } = await turn(s, 'no make that a coke', { alternatives: ['no make that a lemonade'] });
    expect(s.tracker.order.lines).toEqual([{ name: 'coke', size: null, quantity: 1 }]);
    expect(text).toContain("didn't catch the change");
  });

  it('never takes an add from the alternatives for a removal of an item not ordered', async () => {
    const s = session();
    await play(s, 'a coke');
    await turn(s, 'take off the caesar salad', { alternatives: ['fifth off the caesar salad'] });
    expect(s.tracker.order.lines).toEqual([{ name: 'coke', size: null, quantity: 1 }]);
  });

  it('keeps the best hypothesis when its change takes', async () => {
    const s = await atReadBack('a coke');
    await turn(s, 'no make that three cokes', { alternatives: ['no make that two cokes'] });
    expect(s.tracker.order.lines).toEqual([{ name: 'coke', size: null, quantity: 3 }]);
  });
});

describe('a number lost by the recogniser', () => {
  const nlu = new Nlu({ menu: pizzeria().menu.items });

  it.each([
    ['make that a margherita pizzas', true],
    ['make that a large pepperoni pizzas', true],
    ['an orders of chicken wings', false],
    ['make that a margherita pizza', false],
    ['make that two margherita pizzas', false],
    ['a chicken wings', false],
  ])('"%s": %s', (text, lost) => {
    expect(numberLost(nlu, text)).toBe(lost);
  });
});

describe('a yes to the read-back that only a lower hypothesis heard', () => {
  it('places the order in a short answer ("us" over "yes")', async () => {
    const s = await atReadBack('a coke');
    const { text } = await turn(s, 'what', { alternatives: ['what yes', 'yes'] });
    expect(text).toContain('your order is placed');
  });

  it('does not place it over a best hypothesis that asks for a change', async () => {
    const s = await atReadBack('a coke');
    const { text } = await turn(s, 'remove the veggie', { alternatives: ['let one yes'] });
    expect(text).not.toContain('placed');
    expect(s.stage).toBe('confirm');
  });

  it('does not place it in a longer answer, where the caller was most likely saying something else', async () => {
    const s = await atReadBack('a coke');
    const { text } = await turn(s, 'that will be i want eleven and not really', {
      alternatives: ['absolutely i want eleven and a really'],
    });
    expect(text).not.toContain('placed');
    expect(s.stage).toBe('confirm');
  });
});

describe('a change to the same line not caught twice', () => {
  it('asks "Did you say remove the ...?" instead of asking for the change a third time, and a yes removes it', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza and a coke', 'a garlic bread');
    const first = await turn(s, 'i will have a coke');
    expect(first.text).toContain("didn't catch the change");
    const second = await turn(s, 'i will have a coke');
    expect(second.text).toBe("Sorry, I didn't catch the change. I have a coke. Did you say remove the coke?");
    const yes = await turn(s, 'yes');
    expect(yes.text).toBe("Okay, I've taken off the coke. Anything else?");
    expect(s.tracker.order.lines.map((l) => l.name)).toEqual(['pepperoni pizza', 'garlic bread']);
  });

  it('does not guess a removal from a correction of the read-back that named the count already read back', async () => {
    const s = session();
    await play(s, 'three garlic breads', "that's all", 'maria', '12 oak street', '555 321 4567');
    const replies = await play(s, 'no i want three garlic breads', 'no i want three garlic breads');
    expect(replies[1]).toMatch(/^Sorry, I didn't catch the change\. I have three garlic breads\./);
    expect(replies[1]).not.toContain('remove');
    expect(s.tracker.order.lines).toEqual([{ name: 'garlic bread', size: null, quantity: 3 }]);
  });

  it('asks "Did you say remove the ...?" at once when the line named without a change was changed the turn before', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza and a coke');
    const changed = await turn(s, 'two cokes');
    expect(changed.text).toContain('Two cokes, got it.');
    const objection = await turn(s, 'only two cokes');
    expect(objection.text).toBe(
      "Sorry, I didn't catch the change. I have two cokes. Did you say remove the coke?",
    );
    await turn(s, 'yes');
    expect(s.tracker.order.lines.map((l) => l.name)).toEqual(['pepperoni pizza']);
  });

  it('asks "Did you say remove the lemonade?" for a removal of an item not ordered when the other hypotheses name one ordered line', async () => {
    const s = await atReadBack('two small margherita pizzas', 'two lemonades');
    const first = await turn(s, 'remove the veggie', { alternatives: ['we want a lemonade', 'a lemonade'] });
    expect(first.text).toBe('Did you say remove the lemonade?');
    const yes = await turn(s, 'yes');
    expect(yes.text).toContain("Okay, I've taken off the lemonade.");
    expect(s.tracker.order.lines.map((l) => l.name)).toEqual(['margherita pizza']);
  });

  it('does not guess which line to take off when the hypotheses name none or several ordered lines', async () => {
    const s = await atReadBack('a small margherita pizza', 'a lemonade');
    const none = await turn(s, 'remove the veggie', { alternatives: ['remove the wings'] });
    expect(none.text).not.toContain('Did you say remove');
    const several = await turn(s, 'remove the veggie', { alternatives: ['a lemonade', 'the margherita'] });
    expect(several.text).not.toContain('Did you say remove');
  });

  it('keeps the line on a no', async () => {
    const s = await atReadBack('a coke', 'a lemonade');
    await turn(s, 'i will have a coke');
    await turn(s, 'i will have a coke');
    await turn(s, 'no');
    expect(s.tracker.order.lines.map((l) => l.name)).toEqual(['coke', 'lemonade']);
  });
});

describe('a change at the read-back', () => {
  it('that adds a line without its size asks the size, then reads the order back again', async () => {
    const s = await atReadBack('a coke');
    const add = await turn(s, 'no add a hawaiian pizza');
    expect(add.text).toContain('What size would you like for the hawaiian pizza');
    expect(add.text).not.toContain('Let me read that back');
    const size = await turn(s, 'large');
    expect(size.text).toMatch(/Let me read that back: a coke and a large hawaiian pizza/);
  });

  it('lost to an unusual quantity the caller rejects asks what to change, not whether to place the order', async () => {
    const s = await atReadBack('a coke');
    await turn(s, 'no make that eleven cokes', { confidence: 0.01 });
    const no = await turn(s, 'no');
    expect(no.text).toBe('Sorry about that. What would you like to change?');
    expect(s.tracker.order.lines).toEqual([{ name: 'coke', size: null, quantity: 1 }]);
  });
});

describe('a size said with a kind of item but no item ("add a small pizza": the pepperoni was lost)', () => {
  it('does not resize the line in focus: it asks which one', async () => {
    const s = session();
    await turn(s, 'a medium hawaiian pizza');
    const { text } = await turn(s, 'also a large pizza');
    expect(text).toMatch(/^Sure, which pizza would you like\?/);
    expect(s.tracker.order.lines).toEqual([{ name: 'hawaiian pizza', size: 'medium', quantity: 1 }]);
  });

  it('at the read-back, leaves the order as it was', async () => {
    const s = await atReadBack('two medium hawaiian pizzas');
    await turn(s, 'no add a small pizza');
    expect(s.tracker.order.lines).toEqual([{ name: 'hawaiian pizza', size: 'medium', quantity: 2 }]);
  });

  it('still answers a size question, and still resizes when the caller says to change it', async () => {
    const asked = session();
    await play(asked, 'a hawaiian pizza', 'a large pizza please');
    expect(asked.tracker.order.lines).toEqual([{ name: 'hawaiian pizza', size: 'large', quantity: 1 }]);
    const changed = session();
    await play(changed, 'a medium hawaiian pizza', 'make it a large pizza');
    expect(changed.tracker.order.lines).toEqual([{ name: 'hawaiian pizza', size: 'large', quantity: 1 }]);
  });
});

describe('a size said alone after "Anything else?" (the item lost: "and a small")', () => {
  it('does not change the size the caller gave the line in focus', async () => {
    const s = session();
    await play(s, 'two large margherita pizzas', 'and a small');
    expect(s.tracker.order.lines).toEqual([{ name: 'margherita pizza', size: 'large', quantity: 2 }]);
  });

  it('still resizes it when said as a correction or on its own', async () => {
    for (const change of ['no, small', 'actually a small', 'small please']) {
      const s = session();
      await play(s, 'two large margherita pizzas', change);
      expect(s.tracker.order.lines, change).toEqual([
        { name: 'margherita pizza', size: 'small', quantity: 2 },
      ]);
    }
  });
});

describe('what a turn with a removal acknowledges', () => {
  it('does not say it took off an item the order never had, and acknowledges what the turn did add', async () => {
    const s = session();
    await play(s, 'a coke');
    const { text } = await turn(s, 'take off the hawaiian pizza and add a lemonade');
    expect(s.tracker.order.lines.map((l) => l.name)).toEqual(['coke', 'lemonade']);
    expect(text).not.toContain('taken off');
    expect(text).toContain('lemonade');
  });

  it('says it took off the item the order had', async () => {
    const s = session();
    await play(s, 'a coke and a lemonade');
    const { text } = await turn(s, 'take off the lemonade');
    expect(text).toContain("I've taken off the lemonade");
  });
});
