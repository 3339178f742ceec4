import { describe, expect, it } from 'vitest';
import type { ScriptedDialogSession } from '../../src/dialog/ScriptedDialogSession.ts';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

/** A call at the address question. */
async function askedForAddress(): Promise<ScriptedDialogSession> {
  const s = session();
  await play(s, 'a large pepperoni pizza', "that's all", 'my name is maria lopez');
  return s;
}

/** The recogniser agreed on Harbor Road but not on its number (4822 best, 4622 beside it). */
const DOUBTED = {
  confidence: 0.3,
  alternatives: [
    "it's four thousand six hundred twenty two harbor road",
    'four thousand eight hundred twenty two harbor road',
  ],
};
const ADDRESS = "it's four thousand eight hundred twenty two harbor road";
const PHONE_QUESTION = 'And a phone number, in case the driver needs to reach you?';

describe('a house number the recogniser doubted is checked in the read-back, digit by digit', () => {
  it('costs no turn of its own: the phone question follows, and the read-back says the number digit by digit', async () => {
    const s = await askedForAddress();
    expect((await turn(s, ADDRESS, DOUBTED)).text).toBe(PHONE_QUESTION);
    const readBack = await turn(s, 'skip');
    expect(readBack.text).toContain('delivered to four eight two two Harbor Road.');
    expect(s.tracker.customer.address).toBe('4822 Harbor Road');
    expect((await turn(s, 'yes')).text).toMatch(/^Great, your order is placed\./);
  });

  it('reads a number the hypotheses agree on as usual', async () => {
    const s = await askedForAddress();
    const reply = await turn(s, ADDRESS, {
      confidence: 0.3,
      alternatives: [
        'four thousand eight hundred twenty two harbor road',
        'four thousand eight hundred twenty two',
      ],
    });
    expect(reply.text).toBe(PHONE_QUESTION);
    expect((await turn(s, 'skip')).text).toContain('delivered to 4822 Harbor Road.');
  });

  it('reads a doubted correction at the read-back back at once, digit by digit, with no extra turn', async () => {
    const s = await askedForAddress();
    await play(s, "it's four thousand seven hundred six center road", 'skip');
    const readBack = await turn(s, 'no the address is four thousand seven hundred sixteen center road', {
      confidence: 0.2,
      alternatives: ['no first is four thousand seven hundred sixty center road'],
    });
    expect(readBack.text).toMatch(/^Let me read that back: .* delivered to four seven one six Center Road\./);
    const again = await turn(s, 'no the house number is forty seven sixty');
    expect(again.text).toContain('delivered to 4760 Center Road.');
  });

  it('reads the corrected number back with the order, the street as it was', async () => {
    const s = await askedForAddress();
    await play(s, "it's forty eight twenty two harbor road", 'skip');
    const readBack = await turn(s, 'no the house number is forty six twenty two');
    expect(readBack.text).toContain('delivered to 4622 Harbor Road.');
    expect(s.tracker.order.lines).toEqual([
      expect.objectContaining({ name: 'pepperoni pizza', quantity: 1 }),
    ]);
  });

  it('asks for the number when a correction of the address names only the street it has', async () => {
    const s = await askedForAddress();
    await play(s, "it's forty eight twenty two harbor road", 'skip');
    const again = await turn(s, 'no the address is harbor road');
    expect(again.text).toBe("Sorry about that. What's the house number on Harbor Road?");
  });
});
