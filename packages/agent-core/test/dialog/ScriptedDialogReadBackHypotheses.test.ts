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

const lines = (s: ScriptedDialogSession) => s.tracker.order.lines.map((l) => `${l.quantity} ${l.name}`);

describe('at the read-back, a lower hypothesis wins over the best only when the best makes no sense for it', () => {
  it('keeps an address correction heard best over an order change heard lower down, and asks the house number digit by digit', async () => {
    const s = await correctedOnceWrong();
    const reply = await turn(s, 'i said thirty nine fifteen birch lane', {
      confidence: 0.02,
      alternatives: ['no i said thirty nine caesar salads', 'i said thirty nine fifteen birch lane'],
    });
    expect(reply.text).toBe(`Sorry about that. ${HOUSE_NUMBER_BY_DIGIT}`);
    expect(lines(s)).toEqual(['1 pepperoni pizza', '1 coke']);
  });

  it('keeps an address correction heard best over a lower "no" whose rest was misheard', async () => {
    const s = await correctedOnceWrong();
    const reply = await turn(s, 'i said thirty nine fifteen birch lane', {
      confidence: 0.02,
      alternatives: ['no i said three hundred ninety five caesar salads'],
    });
    expect(reply.text).toBe(`Sorry about that. ${HOUSE_NUMBER_BY_DIGIT}`);
  });

  it('asks the house number digit by digit when the correction is heard as the very address it corrects, not the order change with another address heard lower down', async () => {
    const s = await correctedOnceWrong();
    const reply = await turn(s, 'no i said thirty nine fifty one birch lane', {
      confidence: 0.02,
      alternatives: ["no i'd like nine caesar salads at fifteen birch lane"],
    });
    expect(reply.text).toBe(`Sorry about that. ${HOUSE_NUMBER_BY_DIGIT}`);
    expect(lines(s)).toEqual(['1 pepperoni pizza', '1 coke']);
  });

  it('keeps a phone correction heard best over an order change heard lower down', async () => {
    const s = await correctedOnceWrong();
    const reply = await turn(s, 'i said five one two five five five zero one nine eight', {
      confidence: 0.02,
      alternatives: ['no i said five cokes'],
    });
    expect(reply.text).toContain(
      'The driver can reach you on five one two, five five five, zero one nine eight.',
    );
    expect(lines(s)).toEqual(['1 pepperoni pizza', '1 coke']);
  });

  it('takes an order change from a lower hypothesis when the best makes no sense for the read-back', async () => {
    const s = await correctedOnceWrong();
    const reply = await turn(s, 'oh bake that blue oaks', {
      confidence: 0.02,
      alternatives: ['no make that two cokes'],
    });
    expect(reply.text).toMatch(
      /^Two cokes, got it\. Let me read that back: a large pepperoni pizza and two cokes/,
    );
    expect(lines(s)).toEqual(['1 pepperoni pizza', '2 coke']);
  });

  it('keeps an order change heard best over a bare answer heard lower down', async () => {
    const s = await correctedOnceWrong();
    const reply = await turn(s, 'make that two cokes', {
      confidence: 0.02,
      alternatives: ['no thanks', 'yes make that two cokes'],
    });
    expect(reply.text).toMatch(/^Two cokes, got it\./);
    expect(lines(s)).toEqual(['1 pepperoni pizza', '2 coke']);
  });
});
