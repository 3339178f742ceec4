import { describe, expect, it } from 'vitest';
import { HOUSE_NUMBER_BY_DIGIT } from '../../src/dialog/replies.ts';
import type { ScriptedDialogSession } from '../../src/dialog/ScriptedDialogSession.ts';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

/** At the read-back of 3951 Birch Lane, a first correction misheard (the caller lives at 3915 Birch Lane). */
async function correctedOnceWrong(): Promise<ScriptedDialogSession> {
  const s = session();
  await play(
    s,
    'a large pepperoni pizza and a coke',
    "that's all",
    'my name is maria lopez',
    "it's thirty nine fifty birch lane",
    'my number is five one two five five five zero one nine nine',
    'no the address is thirty nine fifty one birch lane',
  );
  return s;
}

/** The reply to a turn at that read-back whose best hypothesis is `best`, and the order lines after it. */
async function heardAtReadBack(
  best: string,
  alternatives: string[],
): Promise<{ reply: string; order: string[] }> {
  const s = await correctedOnceWrong();
  const { text } = await turn(s, best, { confidence: 0.02, alternatives });
  return { reply: text, order: s.tracker.order.lines.map((l) => `${l.quantity} ${l.name}`) };
}

const ORDERED = ['1 pepperoni pizza', '1 coke'];
const HOUSE_NUMBER_ASKED = `Sorry about that. ${HOUSE_NUMBER_BY_DIGIT}`;

describe('at the read-back, a lower hypothesis wins over the best only when the best makes no sense for it', () => {
  it('keeps an address correction heard best over an order change heard lower down, and asks the house number digit by digit', async () => {
    const heard = await heardAtReadBack('i said thirty nine fifteen birch lane', [
      'no i said thirty nine caesar salads',
      'i said thirty nine fifteen birch lane',
    ]);
    expect(heard).toEqual({ reply: HOUSE_NUMBER_ASKED, order: ORDERED });
  });

  it('keeps an address correction heard best over a lower "no" whose rest was misheard', async () => {
    const heard = await heardAtReadBack('i said thirty nine fifteen birch lane', [
      'no i said three hundred ninety five caesar salads',
    ]);
    expect(heard.reply).toBe(HOUSE_NUMBER_ASKED);
  });

  it('asks the house number digit by digit when the correction is heard as the very address it corrects, not the order change with another address heard lower down', async () => {
    const heard = await heardAtReadBack('no i said thirty nine fifty one birch lane', [
      "no i'd like nine caesar salads at fifteen birch lane",
    ]);
    expect(heard).toEqual({ reply: HOUSE_NUMBER_ASKED, order: ORDERED });
  });

  it('keeps a phone correction heard best over an order change heard lower down', async () => {
    const heard = await heardAtReadBack('i said five one two five five five zero one nine eight', [
      'no i said five cokes',
    ]);
    expect(heard.reply).toContain(
      'The driver can reach you on five one two, five five five, zero one nine eight.',
    );
    expect(heard.order).toEqual(ORDERED);
  });

  it('takes an order change from a lower hypothesis when the best makes no sense for the read-back', async () => {
    const heard = await heardAtReadBack('oh bake that blue oaks', ['no make that two cokes']);
    expect(heard.reply).toMatch(
      /^Two cokes, got it\. Let me read that back: a large pepperoni pizza and two cokes/,
    );
    expect(heard.order).toEqual(['1 pepperoni pizza', '2 coke']);
  });

  it('keeps an order change heard best over a bare answer heard lower down', async () => {
    const heard = await heardAtReadBack('make that two cokes', ['no thanks', 'yes make that two cokes']);
    expect(heard.reply).toMatch(/^Two cokes, got it\./);
    expect(heard.order).toEqual(['1 pepperoni pizza', '2 coke']);
  });
});

describe('asked for a detail, a change of the order heard in the best hypothesis does not keep out a better answer', () => {
  it('takes the whole name a lower hypothesis gives over a best whose last name was heard as an item', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const reply = await turn(s, 'my name is olivia wings', {
      confidence: 0.02,
      alternatives: ['my name is olivia wade'],
    });
    expect(reply.text).not.toContain('chicken wings');
    expect(s.tracker.order.lines.map((l) => l.name)).toEqual(['pepperoni pizza']);
  });
});
