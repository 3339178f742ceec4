import { describe, expect, it } from 'vitest';
import type { ScriptedDialogSession } from '../../src/dialog/ScriptedDialogSession.ts';
import { chooseHypothesis } from '../../src/nlu/hypotheses.ts';
import { type Expectation, Hypothesis, Nlu } from '../../src/nlu/index.ts';
import { pizzeria } from '../nlu/pizzeria.ts';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

async function askedForName(): Promise<ScriptedDialogSession> {
  const s = session();
  await turn(s, 'a large pepperoni pizza');
  const { text } = await turn(s, "that's all");
  expect(text).toContain('name');
  return s;
}

describe('n-best rescoring by the NLU', () => {
  const nlu = new Nlu({ menu: pizzeria().menu.items });
  const choose = (best: string, alternatives: readonly string[], expecting: Expectation) =>
    chooseHypothesis(new Hypothesis(nlu, best), Hypothesis.all(nlu, alternatives), expecting).text;

  it('keeps the best hypothesis when it answers what the agent asked', () => {
    expect(choose('yes', ['us'], 'confirm')).toBe('yes');
    expect(choose('a large pepperoni pizza', ['a large pepperoni pizzas'], 'order')).toBe(
      'a large pepperoni pizza',
    );
  });

  it('takes a lower hypothesis that answers the question when the best one does not', () => {
    expect(choose('what', ['what yes', 'yes'], 'confirm')).toBe('what yes');
    expect(choose('the name is', ['the name is sarah miller'], 'name')).toBe('the name is sarah miller');
    expect(choose('medium', ['meet you'], 'size')).toBe('medium');
  });

  it('keeps the best hypothesis when no hypothesis answers, or nothing particular was asked', () => {
    expect(choose('what are your hours', ['what are you ours'], 'name')).toBe('what are your hours');
    expect(choose('what', ['yes'], 'none')).toBe('what');
  });
});

/** A call at the read-back, delivered to the address said. */
async function readBackTo(address: string): Promise<ScriptedDialogSession> {
  const s = session();
  await play(s, 'a large pepperoni pizza', "that's all", 'my name is maria lopez', `it's ${address}`, 'skip');
  return s;
}

async function atReadBack(): Promise<ScriptedDialogSession> {
  const s = session();
  for (const u of [
    'a large pepperoni pizza',
    "that's all",
    'my name is maria lopez',
    '12 oak street',
    'skip',
  ])
    await turn(s, u);
  return s;
}

describe('the scripted dialog uses the recogniser', () => {
  it('places the order on a yes that only the n-best list heard', async () => {
    expect((await turn(await atReadBack(), 'what')).text).not.toContain('your order is placed');
    const { text } = await turn(await atReadBack(), 'what', { alternatives: ['what yes', 'yes'] });
    expect(text).toContain('your order is placed');
  });

  it('asks again after a yes buried in other words, and places the order on a clear yes', async () => {
    const s = await atReadBack();
    const unsure = await turn(s, 'correct the lemon it to a lodge while');
    expect(unsure.text).not.toContain('your order is placed');
    expect((await turn(s, 'yes')).text).toContain('your order is placed');
  });

  it('confirms a name heard with low confidence instead of taking it, and asks to spell it after a no', async () => {
    const s = await askedForName();
    const unsure = await turn(s, 'my name is sarah miller', { confidence: 0.02 });
    expect(unsure.text).toBe('Did you say Sarah Miller?');
    const no = await turn(s, 'no');
    expect(no.text).toContain('spell your name');
    expect(s.tracker.customer.name).toBeNull();
    const spelled = await turn(s, 's a r a h m i l l e r', { confidence: 0.9 });
    expect(s.tracker.customer.name).toBe('Sarah Miller');
    expect(spelled.text).toContain('address');
  });

  it('keeps a name confirmed with a yes and moves on to the address', async () => {
    const s = await askedForName();
    await turn(s, 'my name is sarah miller', { confidence: 0.02 });
    const yes = await turn(s, 'yes');
    expect(s.tracker.customer.name).toBe('Sarah Miller');
    expect(yes.text).toContain('address');
  });

  it('a yes to "Did you say Margaret Hill?" is not a yes to the read-back, even when every detail came in that answer', async () => {
    const s = await askedForName();
    const check = await turn(
      s,
      'my name is margaret hill the address is twelve oak street my phone number is five five five three two one four five six seven',
      { confidence: 0.02 },
    );
    expect(check.text).toBe('Did you say Margaret Hill?');
    const yes = await turn(s, 'yes');
    expect(yes.chunks.some((c) => c.type === 'end_call')).toBe(false);
    expect(yes.text).toMatch(
      /^Let me read that back: a large pepperoni pizza for Margaret Hill, delivered to one two Oak Street\./,
    );
    const placed = await turn(s, 'yes');
    expect(placed.text).toContain('your order is placed');
  });

  it('takes the address most of the n-best list heard over a street misheard in the best one', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all", 'my name is maria lopez');
    await turn(s, "it's two hundred fifty four apple lane", {
      confidence: 0.2,
      alternatives: [
        'two hundred fifty four meadow lane',
        "it's two hundred fifty four meadow lane",
        "it's two hundred sixty four meadow lane",
      ],
    });
    expect(s.tracker.customer.address).toBe('254 Meadow Lane');
  });

  it('takes the address a correction at the read-back gives in a lower hypothesis when the best one repeats the held one', async () => {
    const s = await readBackTo('four thousand two poplar road');
    expect(s.tracker.customer.address).toBe('4002 Poplar Road');
    const corrected = await turn(s, 'no the address is four thousand two poplar road', {
      alternatives: [
        'no the address is four thousand one two poplar road',
        'no the address is four thousand two poplar rowe',
        'no the address is four thousand two harbor road',
      ],
    });
    expect(corrected.text).toContain('delivered to 4002 Harbor Road');
  });

  it('keeps the held address when the caller says it again with a yes at the read-back', async () => {
    const s = await readBackTo('four thousand two poplar road');
    await turn(s, "yes that's four thousand two poplar road", {
      alternatives: ['yes four thousand two harbor road'],
    });
    expect(s.tracker.customer.address).toBe('4002 Poplar Road');
  });

  it('takes a name heard with confidence as it is', async () => {
    const s = await askedForName();
    const sure = await turn(s, 'my name is sarah miller', { confidence: 0.8 });
    expect(sure.text).not.toContain('Did you say');
    expect(sure.text).toContain('address');
    expect(s.tracker.customer.name).toBe('Sarah Miller');
  });

  it('does not mend a change the caller repeated from a hypothesis that gives a detail and changes nothing', async () => {
    const s = await readBackTo('four thousand two poplar road');
    const repeated = await turn(s, 'let me get one large pepperoni pizza', {
      alternatives: ["i live at eight i'd like one large pepperoni pizza"],
    });
    expect(repeated.text).toMatch(/^Sorry, I didn't catch the change/);
    expect(s.tracker.customer.address).toBe('4002 Poplar Road');
  });
});
