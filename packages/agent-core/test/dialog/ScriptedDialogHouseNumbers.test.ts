import { describe, expect, it } from 'vitest';
import { HOUSE_NUMBER_BY_DIGIT, OFFER_HUMAN } from '../../src/dialog/replies.ts';
import type { ScriptedDialogSession } from '../../src/dialog/ScriptedDialogSession.ts';
import { expectationFromAgent } from '../../src/nlu/index.ts';
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

  it('takes the number of an address said again whose street was lost, and reads it back digit by digit', async () => {
    const s = await askedForAddress();
    await play(s, "it's six hundred twenty eight hickory court", 'skip');
    const readBack = await turn(s, 'no i said eight hundred twenty eight get three colas', { confidence: 0 });
    expect(readBack.text).toMatch(/^Let me read that back: .* delivered to eight two eight Hickory Court\./);
    expect(s.tracker.order.lines).toEqual([
      expect.objectContaining({ name: 'pepperoni pizza', quantity: 1 }),
    ]);
  });

  it('asks for the address again when it is said again with the number held and its street lost', async () => {
    const s = await askedForAddress();
    await play(s, "it's six hundred twenty eight hickory court", 'skip');
    const again = await turn(s, 'no i said six hundred twenty eight get three colas');
    expect(again.text).toBe("Sorry about that. What's the delivery address?");
  });

  it('asks for the number when a correction of the address names only the street it has', async () => {
    const s = await askedForAddress();
    await play(s, "it's forty eight twenty two harbor road", 'skip');
    const again = await turn(s, 'no the address is harbor road');
    expect(again.text).toBe("Sorry about that. What's the house number on Harbor Road?");
  });
});

describe('an address correction misheard again asks for the house number alone, never a third read-back of it', () => {
  /** At the read-back with 2778 Mill Drive held (the caller lives at 2717 Monroe Drive). */
  async function readBackMisheard(): Promise<ScriptedDialogSession> {
    const s = await askedForAddress();
    await play(s, "it's twenty seven seventy eight mill drive", 'skip');
    return s;
  }

  it('asks for the number digit by digit after a second correction, and reads the answer back digit by digit', async () => {
    const s = await readBackMisheard();
    const first = await turn(s, 'no the address is twenty seven seventy eight willow drive');
    expect(first.text).toMatch(/^Let me read that back: .* delivered to 2778 Willow Drive\./);
    const second = await turn(s, 'no i said twenty seven seventy eight mill drive');
    expect(second.text).toBe(`Sorry about that. ${HOUSE_NUMBER_BY_DIGIT}`);
    expect(expectationFromAgent(second.text)).toBe('address');
    const readBack = await turn(s, 'two seven one seven');
    expect(readBack.text).toMatch(/^Let me read that back: .* delivered to two seven one seven Mill Drive\./);
    expect(s.tracker.customer.address).toBe('2717 Mill Drive');
  });

  it('asks at once when the correction is heard as the very address it corrects', async () => {
    const s = await readBackMisheard();
    const reply = await turn(s, 'no the address is twenty seven seventy eight mill drive');
    expect(reply.text).toBe(`Sorry about that. ${HOUSE_NUMBER_BY_DIGIT}`);
    const readBack = await turn(s, 'two seven one seven monroe drive');
    expect(readBack.text).toContain('delivered to two seven one seven Monroe Drive.');
    expect((await turn(s, 'yes')).text).toMatch(/^Great, your order is placed\./);
  });

  it('asks it once a call; an answer not understood is asked in other words, a further correction offers a person', async () => {
    const s = await readBackMisheard();
    await turn(s, 'no the address is twenty seven seventy eight mill drive');
    const unclear = await turn(s, 'the blue door');
    expect(unclear.text).not.toContain(HOUSE_NUMBER_BY_DIGIT);
    await turn(s, 'two seven one seven');
    const WRONG_AGAIN = 'no the address is three one one seven mill drive';
    expect((await turn(s, WRONG_AGAIN)).text).toBe(`Sorry about that. ${OFFER_HUMAN}`);
    const declined = await turn(s, "no thanks let's keep going");
    expect(declined.text).toMatch(/^Okay, let's keep going\. Let me read that back: .* Mill Drive\./);
    const again = await turn(s, 'no the address is two seven one seven mill drive');
    expect(again.text).toMatch(/^Let me read that back: .* delivered to two seven one seven Mill Drive\./);
  });

  it('hands the call to a person when the caller takes the offer', async () => {
    const s = await readBackMisheard();
    await play(s, 'no the address is twenty seven seventy eight mill drive', 'two seven one seven');
    await turn(s, 'no the address is three one one seven mill drive');
    const yes = await turn(s, 'yes please');
    expect(yes.chunks.some((c) => c.type === 'handoff')).toBe(true);
  });
});
