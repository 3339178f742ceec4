import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

/** Calls that went round the same questions until the caller gave up (bench:dialog's turn_cap calls). */

const TO_READ_BACK = ['a large pepperoni pizza', "that's all", 'maria', '12 oak street', '555 321 4567'];

describe('a read-back rejected with nothing to change', () => {
  it('is not read back again and again: a person is offered, and after a decline the call goes to one', async () => {
    const s = session();
    await play(s, ...TO_READ_BACK);
    const replies = await play(s, 'no', "no that's all", 'no thanks', 'no', "that's all");
    expect(replies).toEqual([
      'Sorry about that. What would you like to change?',
      "I'm sorry this is taking a while. Would you like me to get a person to help you?",
      expect.stringMatching(/^Okay, let's keep going\. Let me read that back: a large pepperoni pizza/),
      'Sorry about that. What would you like to change?',
      expect.stringContaining('Let me get a person'),
    ]);
  });

  it('counts afresh after a change made in the review: the changed order is read back and may be rejected', async () => {
    const s = session();
    await play(s, ...TO_READ_BACK);
    const replies = await play(s, 'no', 'add a coke', 'no');
    expect(replies.slice(1)).toEqual([
      expect.stringMatching(
        /^A coke, got it\. Let me read that back: a large pepperoni pizza and a coke for Maria/,
      ),
      'Sorry about that. What would you like to change?',
    ]);
  });
});

describe('an item the caller took off, heard added back while the recogniser was unsure', () => {
  it('is checked with the caller instead of taken, and a no leaves it off', async () => {
    const s = session();
    await play(s, 'three garlic breads', 'two cokes', 'remove the coke');
    const back = await turn(s, 'two cokes and', { confidence: 0.003 });
    expect(back.text).toBe('Did you say two cokes?');
    const no = await turn(s, 'no');
    expect(no.text).toMatch(/^Sorry about that\./);
    expect(s.tracker.order.lines).toEqual([{ name: 'garlic bread', size: null, quantity: 3 }]);
  });

  it('is taken on a yes, and taken at once when the recogniser was sure', async () => {
    const unsure = session();
    await play(unsure, 'a coke', 'remove the coke');
    await turn(unsure, 'two cokes', { confidence: 0.01 });
    expect((await turn(unsure, 'yes')).text).toBe('Two cokes, got it. Anything else?');
    const sure = session();
    await play(sure, 'a coke', 'remove the coke');
    expect((await turn(sure, 'two cokes', { confidence: 0.6 })).text).toBe(
      'Two cokes, got it. Anything else?',
    );
  });

  it('does not take the call round adding and removing it: a "that\'s it" heard as the item moves on', async () => {
    const s = session();
    await play(s, 'three garlic breads', 'two cokes', 'remove the coke');
    for (let round = 0; round < 3 && s.stage === 'order'; round++) {
      await turn(s, 'two cokes and', { confidence: 0.003 });
      await turn(s, 'no');
    }
    expect(s.stage).toBe('name');
    expect(s.tracker.order.lines).toEqual([{ name: 'garlic bread', size: null, quantity: 3 }]);
  });
});

describe('a change heard again after the caller refused its check', () => {
  it('is not checked again: the order is taken as it stands and the call moves on to the name', async () => {
    const s = session();
    await play(s, 'three garlic breads', 'two cokes', 'remove the coke');
    expect((await turn(s, 'two cokes and', { confidence: 0.003 })).text).toBe('Did you say two cokes?');
    await turn(s, 'no');
    const again = await turn(s, 'a coke', { confidence: 0.003 });
    expect(again.text).toBe("I'll take that as everything for now. Can I get a name for the order?");
    expect(s.tracker.order.lines).toEqual([{ name: 'garlic bread', size: null, quantity: 3 }]);
  });

  it('breaks the circle for an unusual count heard again with another number', async () => {
    const s = session();
    await play(s, 'a large margherita pizza');
    const check = await turn(s, 'eleven margherita pizzas', { confidence: 0.01 });
    expect(check.text).toBe('Did you say eleven large margherita pizzas?');
    await turn(s, 'no');
    const again = await turn(s, 'eight margherita pizzas', { confidence: 0.01 });
    expect(again.text).toMatch(/^I'll take that as everything for now\./);
    expect(s.tracker.order.lines).toEqual([{ name: 'margherita pizza', size: 'large', quantity: 1 }]);
  });

  it('with nothing left on the order, is a turn not understood: the repair ladder offers a person', async () => {
    const s = session();
    await play(s, 'a coke', 'remove the coke');
    await turn(s, 'a coke', { confidence: 0.003 });
    await turn(s, 'no');
    const again = await turn(s, 'a coke', { confidence: 0.003 });
    expect(again.text).toBe(
      "Sorry, I didn't get that. I'm sorry this is taking a while. Would you like me to get a person to help you?",
    );
    expect(s.tracker.order.isEmpty).toBe(true);
  });

  it('is checked again once the order was read back: a correction then is not dropped', async () => {
    const s = session();
    await play(s, 'three small hawaiian pizzas');
    await turn(s, 'fifteen orders of chicken wings', { confidence: 0.01 });
    await turn(s, 'no');
    await turn(s, 'fifteen orders of chicken wings', { confidence: 0.01 });
    await play(s, 'maria', '12 oak street', '555 321 4567');
    expect(s.stage).toBe('confirm');
    await turn(s, 'no add fifteen orders of chicken wings', { confidence: 0.01 });
    await turn(s, 'no');
    const correction = await turn(s, 'three orders of chicken wings', { confidence: 0.01 });
    expect(correction.text).toBe('Did you say three orders of chicken wings?');
    await turn(s, 'yes');
    expect(s.tracker.order.lines).toContainEqual({ name: 'chicken wings', size: null, quantity: 3 });
  });

  it('is checked as before when the caller said yes to the first check', async () => {
    const s = session();
    await play(s, 'a large margherita pizza');
    await turn(s, 'eleven margherita pizzas', { confidence: 0.01 });
    await turn(s, 'yes');
    const next = await turn(s, 'eight margherita pizzas', { confidence: 0.01 });
    expect(next.text).toBe('Did you say eight large margherita pizzas?');
  });
});

describe('a check of the order in the turn that gave the last detail', () => {
  it('is followed by the read-back when the caller says no (the order was never read back to reject)', async () => {
    const s = session();
    await play(s, 'two large pepperoni pizzas', 'two caesar salads', 'remove the caesar salad', "that's all");
    await play(s, 'my name is maria', '12 oak street');
    const check = await turn(s, 'a caesar salad my number is 555 321 4567', { confidence: 0.01 });
    expect(check.text).toBe('Did you say a caesar salad?');
    const no = await turn(s, 'no');
    expect(no.text).toMatch(
      /^Sorry about that\. Let me read that back: two large pepperoni pizzas for Maria/,
    );
  });
});

describe('"that\'s everything" with nothing ordered', () => {
  it('is told the order is empty and shown how to order, then offered a person, not asked the same again', async () => {
    const s = session();
    await play(s, 'a medium pepperoni pizza');
    const done = "no that's everything";
    const replies = await play(s, 'remove the pepperoni pizza', done, done);
    expect(replies).toEqual([
      "Okay, I've taken off the pepperoni pizza. What would you like to order?",
      expect.stringMatching(
        /^There's nothing on your order yet\. For example, you can say .+ What would you like\?$/,
      ),
      "I'm sorry this is taking a while. Would you like me to get a person to help you?",
    ]);
  });
});
