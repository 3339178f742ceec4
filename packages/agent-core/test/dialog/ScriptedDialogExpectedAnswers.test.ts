import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

/** What the agent just asked shapes how a short, doubtful answer is read (bench:dialog's failed calls). */

const TO_READ_BACK = ['a large pepperoni pizza', "that's all", 'maria', '12 oak street', '555 321 4567'];
const DELIVERY_ANSWER = 'we deliver within five miles';

describe('a detour question needs a question when the agent asked for an answer', () => {
  it('does not take a keyword heard at the read-back for the delivery question', async () => {
    const s = session();
    await play(s, ...TO_READ_BACK);
    const [reply] = await play(s, 'the area');
    expect(reply).not.toContain(DELIVERY_ANSWER);
    expect(reply).toContain('Shall I place the order?');
  });

  it('does not take it for the question when the agent checks what it heard', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    await turn(s, 'my name is sarah miller', { confidence: 0.02 });
    const [reply] = await play(s, 'the area');
    expect(reply).not.toContain(DELIVERY_ANSWER);
  });

  it('still answers the keyword after an open question, and a real question anywhere', async () => {
    const open = session();
    expect((await play(open, 'a large pepperoni pizza', 'delivery area'))[1]).toContain(DELIVERY_ANSWER);
    const asked = session();
    await play(asked, ...TO_READ_BACK);
    expect((await play(asked, 'are you open on sundays'))[0]).toContain("We're open from eleven");
  });
});

describe('a yes that only a lower hypothesis heard', () => {
  it('gives way to a no another hypothesis heard: the name checked is asked to be spelled', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    await turn(s, 'my name is rita hill', { confidence: 0.02 });
    const unsure = await turn(s, 'er', { confidence: 0.17, alternatives: ['um', 'sure', 'no'] });
    expect(unsure.text).toContain('spell your name');
    expect(s.tracker.customer.name).toBeNull();
  });

  it('still stands when no hypothesis heard a no', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    await turn(s, 'my name is rita hill', { confidence: 0.02 });
    const yes = await turn(s, 'er', { confidence: 0.17, alternatives: ['um', 'sure'] });
    expect(yes.text).toContain('address');
    expect(s.tracker.customer.name).toBe('Rita Hill');
  });

  it('does not place the order when a longer hypothesis above it says something else', async () => {
    const s = session();
    await play(s, ...TO_READ_BACK);
    const correction = await turn(s, "it's lisa please", {
      confidence: 0.001,
      alternatives: ["my name it's lisa please", 'my name is lisa please', 'lisa please'],
    });
    expect(correction.text).not.toContain('your order is placed');
    expect(s.tracker.confirmed).toBe(false);
  });
});

describe('"that\'s all" heard with a change that changes nothing', () => {
  it('finishes the order: a removal of an item never ordered does not hide it', async () => {
    const s = session();
    const [, done] = await play(s, 'a large pepperoni pizza', "i don't want the wings that's all");
    expect(done).toBe('Can I get a name for the order?');
  });

  it('is still a turn not understood with nothing ordered yet: the repair ladder gives an example', async () => {
    const [reply] = await play(session(), "i don't want the wings that's all");
    expect(reply).toMatch(/^Sorry, I didn't get that\. For example/);
  });

  it('is still a change when the change takes', async () => {
    const s = session();
    const [, removed] = await play(s, 'a large pepperoni pizza and a coke', "no coke that's all");
    expect(removed).toContain("I've taken off the coke");
  });
});

describe('the agent\'s own "which pizza?" question', () => {
  it('is not asked a third time in a row: the turn is one not understood, and the order question moves on', async () => {
    const s = session();
    const replies = await play(s, 'two garlic breads', ...Array<string>(3).fill('also get a pizza'));
    expect(replies[1]).toMatch(/^Sure, which pizza would you like\?/);
    expect(replies[2]).toMatch(/^Sure, which pizza would you like\?/);
    expect(replies[3]).toMatch(/^Sorry, I didn't get that\./);
    expect(replies[3]).not.toContain('which pizza');
  });
});
