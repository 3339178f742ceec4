import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

describe('a call that converges with a recogniser that mishears', () => {
  it('does not take a number said on its own for a quantity when asked for anything else ("that\'s it" heard as "three")', async () => {
    const s = session();
    const [, reply] = await play(s, 'two caesar salads', 'three');
    expect(s.tracker.order.lines).toEqual([{ name: 'caesar salad', size: null, quantity: 2 }]);
    expect(reply).toContain("didn't get that");
    await play(s, 'make it three');
    expect(s.tracker.order.lines).toEqual([{ name: 'caesar salad', size: null, quantity: 3 }]);
  });

  it('with an order taken, moves on to the read-back after misunderstood turns instead of handing off', async () => {
    const s = session();
    const replies = await play(s, 'a coke', 'highland late in', 'highland late in', 'highland lake way');
    expect(replies[3]).toBe(
      "Sorry, I didn't get that. I'll take that as everything for now. Can I get a name for the order?",
    );
    const more = await play(s, 'my name is maria lopez', '12 oak street', 'skip');
    expect(more.at(-1)).toMatch(/^Let me read that back: a coke for Maria Lopez/);
  });

  it('reads the order back when the repair moves the call on to the confirmation', async () => {
    const s = session();
    await play(s, 'a coke', 'my name is ana diaz', 'twelve oak street');
    const [reply] = await play(s, 'four one five five five five one two three four');
    expect(reply).toMatch(/Let me read that back: a coke for Ana Diaz, delivered to 12 Oak Street\./);
  });
});

describe('an address that is not understood', () => {
  it('is asked in other words the second time, and not a third time', async () => {
    const s = session();
    const replies = await play(s, 'a coke', "that's all", 'my name is maria lopez', 'purple monkey', 'hmm');
    expect(replies.slice(3)).toEqual([
      "Sorry, I didn't get that. What's the street address, with the house number and the street name?",
      "Sorry, I didn't get that. I'm sorry this is taking a while. Would you like me to get a person to help you?",
    ]);
  });
});

describe('an unusual quantity heard while the recogniser was unsure', () => {
  it('is checked, and a no puts the order back as it was', async () => {
    const s = session();
    await turn(s, 'a large pepperoni pizza');
    const check = await turn(s, 'and sixteen colas', { confidence: 0.01 });
    expect(check.text).toBe('Did you say sixteen cokes?');
    const no = await turn(s, 'no');
    expect(no.text).toMatch(/^Sorry about that\./);
    expect(s.tracker.order.lines).toEqual([{ name: 'pepperoni pizza', size: 'large', quantity: 1 }]);
  });

  it('is not kept on an answer that is neither yes nor no ("actually"): the count was never agreed', async () => {
    const s = session();
    await turn(s, 'three garlic breads');
    await turn(s, "um i'd like six cokes", { confidence: 0.003 });
    const unclear = await turn(s, 'actually', { confidence: 0.04, alternatives: ['two old', 'to old'] });
    expect(unclear.text).toMatch(/^Sorry about that\./);
    expect(s.tracker.order.lines).toEqual([{ name: 'garlic bread', size: null, quantity: 3 }]);
  });

  it('is taken on a yes', async () => {
    const s = session();
    await turn(s, 'a large pepperoni pizza');
    await turn(s, 'and sixteen cokes', { confidence: 0.01 });
    const yes = await turn(s, 'yes');
    expect(yes.text).toBe('Sixteen cokes, got it. Anything else?');
    expect(s.tracker.order.lines.at(-1)).toEqual({ name: 'coke', size: null, quantity: 16 });
  });

  it('is not checked when the recogniser was sure, nor is a usual quantity', async () => {
    const sure = session();
    expect((await turn(sure, 'sixteen cokes', { confidence: 0.9 })).text).toBe(
      'Sixteen cokes, got it. Anything else?',
    );
    const usual = session();
    expect((await turn(usual, 'three cokes', { confidence: 0.01 })).text).toBe(
      'Three cokes, got it. Anything else?',
    );
  });
});

describe("a no to a yes/no question of the agent's own", () => {
  it('is not "nothing else": the order stays open', async () => {
    const s = session();
    await turn(s, 'a large pepperoni pizza');
    await turn(s, 'and fifteen wings', { confidence: 0.01 });
    const no = await turn(s, 'no');
    expect(no.text).toBe('Sorry about that. Would you like anything else?');
    expect(s.stage).toBe('order');
  });
});

describe('"Is that everything for your order?"', () => {
  it.each([['yes'], ['no'], ["no, that's all"]])('answered "%s" finishes the order', async (answer) => {
    const s = session();
    const replies = await play(s, 'a coke', 'hmm', 'purple', answer);
    expect(replies[2]).toBe("Sorry, I didn't get that. Is that everything for your order?");
    expect(replies[3]).toBe('Can I get a name for the order?');
  });

  it('answered with another item takes the item and asks on', async () => {
    const s = session();
    const replies = await play(s, 'a coke', 'hmm', 'purple', 'and a lemonade');
    expect(replies[3]).toBe('A lemonade, got it. Anything else?');
  });
});
