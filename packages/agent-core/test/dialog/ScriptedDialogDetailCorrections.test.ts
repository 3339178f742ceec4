import { describe, expect, it } from 'vitest';
import { PHONE_LEFT_OUT, REPAIR_QUESTIONS } from '../../src/dialog/replies.ts';
import { play, session } from './scriptedSession.ts';

/** An order, a name, an address and a phone number: the next reply reads them back. */
const TO_READ_BACK = [
  'a large pepperoni pizza',
  "that's all",
  'my name is sarah miller',
  '12 oak street',
  'six one seven five five five one two three four',
];

/** The order TO_READ_BACK gives, as the tracker holds it. */
const PEPPERONI = { name: 'pepperoni pizza', size: 'large', quantity: 1 };

describe('ScriptedDialog details corrected at the read-back', () => {
  it('replaces the name on "no, the name is ..." and reads the order back with it', async () => {
    const s = session();
    const replies = await play(s, ...TO_READ_BACK, 'no the name is sara millar', 'yes');
    expect(replies[5]).toMatch(/^Let me read that back: a large pepperoni pizza for Sara Millar,/);
    expect(replies[6]).toMatch(/^Great, your order is placed/);
    expect(s.tracker.customer.name).toBe('Sara Millar');
  });

  it('keeps the last name read back when the correction was heard as a first name alone', async () => {
    const s = session();
    const replies = await play(s, ...TO_READ_BACK, 'no my name is laura');
    expect(replies[5]).toMatch(/^Let me read that back: a large pepperoni pizza for Laura Miller,/);
    expect(s.tracker.customer.name).toBe('Laura Miller');
  });

  it('replaces only the group of the phone number the caller names, not the order', async () => {
    const s = session();
    const replies = await play(s, ...TO_READ_BACK, 'no the last four digits are four three two one');
    expect(replies[5]).toContain(
      'a large pepperoni pizza for Sarah Miller, delivered to 12 Oak Street. The driver can reach you on six one seven, five five five, four three two one.',
    );
    expect(s.tracker.order.lines).toEqual([
      expect.objectContaining({ name: 'pepperoni pizza', quantity: 1 }),
    ]);
    const areaCode = await play(session(), ...TO_READ_BACK, 'no the area code is five one two');
    expect(areaCode[5]).toContain(
      'The driver can reach you on five one two, five five five, one two three four.',
    );
  });

  it('asks for the phone number again when its correction was heard short, instead of taking its digits as a quantity', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_READ_BACK,
      'no the number is six one seven five five five',
      'six one seven five five five four three two one',
    );
    expect(replies[5]).toBe('Sorry about that. And a phone number, in case the driver needs to reach you?');
    expect(replies[6]).toContain('a large pepperoni pizza for Sarah Miller');
    expect(replies[6]).toContain('reach you on six one seven, five five five, four three two one.');
  });

  /** A correction of the number read back, heard with a digit lost. */
  const NINE_DIGITS = 'no the number is six one seven five five five four three two';

  it('asks once more for a number corrected to a count no number has, reading out what it heard in groups', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_READ_BACK,
      NINE_DIGITS,
      'six one seven five five five four three two one',
    );
    expect(replies[5]).toBe(
      'I only caught six one seven, five five five, four three two. Could you say the whole phone number, with the area code?',
    );
    expect(replies[6]).toContain('reach you on six one seven, five five five, four three two one.');
    expect(s.tracker.customer.phone).toBe('617-555-4321');
  });

  it('never reads back a number corrected to a wrong count: asked again whole, then digit by digit, then left out', async () => {
    const s = session();
    const nine = 'six one seven five five five four three two';
    const replies = await play(s, ...TO_READ_BACK, NINE_DIGITS, nine, nine);
    expect(replies[5]).toMatch(/^I only caught/);
    expect(replies[6]).toBe(REPAIR_QUESTIONS.phone);
    expect(replies[7]).toContain(`${PHONE_LEFT_OUT} Let me read that back`);
    expect(replies.join(' ')).not.toContain('reach you on six one seven, five five five, four three two.');
    expect(s.tracker.customer.phone).toBeNull();
  });

  it('asks digit by digit, not reads back, a number corrected short a second time after the first was put right', async () => {
    const s = session();
    const whole = 'six one seven five five five four three two one';
    const replies = await play(s, ...TO_READ_BACK, NINE_DIGITS, whole, NINE_DIGITS);
    expect(replies[6]).toContain('reach you on six one seven, five five five, four three two one.');
    expect(replies[7]).toBe(`Sorry about that. ${REPAIR_QUESTIONS.phone}`);
    expect(s.tracker.customer.phone).toBe('617555432');
  });

  it('asks for the address again when its correction was heard without a house number', async () => {
    const s = session();
    const replies = await play(s, ...TO_READ_BACK, 'no the address is for tea oak street', '14 oak street');
    expect(replies[5]).toBe("Sorry about that. What's the delivery address?");
    expect(replies[6]).toContain('delivered to 14 Oak Street.');
  });

  it('takes no quantity from an address correction heard without its street kind: asks for the address again', async () => {
    const s = session();
    const replies = await play(s, ...TO_READ_BACK, 'no the address is two hundred forty nine market our');
    expect(replies[5]).toBe("Sorry about that. What's the delivery address?");
    expect(s.tracker.order.lines).toEqual([
      expect.objectContaining({ name: 'pepperoni pizza', quantity: 1 }),
    ]);
  });

  it('takes no quantity from an address said again without its street kind ("no, I said ..."): asks for it again', async () => {
    const s = session();
    const replies = await play(s, ...TO_READ_BACK, 'no i said two hundred forty nine market');
    expect(replies[5]).toBe("Sorry about that. What's the delivery address?");
    expect(s.tracker.order.lines).toEqual([
      expect.objectContaining({ name: 'pepperoni pizza', quantity: 1 }),
    ]);
    const order = session();
    await play(order, ...TO_READ_BACK, 'no i said two pepperoni pizzas');
    expect(order.tracker.order.lines).toEqual([
      expect.objectContaining({ name: 'pepperoni pizza', quantity: 2 }),
    ]);
  });

  it('asks for the address again when the change the caller was asked for names it but was not caught', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_READ_BACK,
      'no',
      'the address is three thousand two hundred forty nine',
    );
    expect(replies[5]).toBe('Sorry about that. What would you like to change?');
    expect(replies[6]).toBe("Sorry about that. What's the delivery address?");
  });

  it('does not take a misheard address correction for a street without its kind', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_READ_BACK,
      'no the address is eight hundred twenty make it three colas',
    );
    expect(replies[5]).not.toContain('Colas');
    expect(s.tracker.customer.address).not.toBe('3 Colas');
    expect(s.tracker.order.lines).toEqual([PEPPERONI]);
  });

  it('asks the caller to spell a name corrected twice, once, then reads back what was spelled', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_READ_BACK,
      'no the name is sara millar',
      'no my name is sarah mellor',
      's a r a h m i l l e r',
      'no my name is sarah millard',
    );
    expect(replies[6]).toBe('Sorry about that. Could you spell your name for me, letter by letter?');
    expect(replies[7]).toContain('for Sarah Miller,');
    // a third correction is taken and read back: the spelling is not asked for again
    expect(replies[8]).toMatch(/^Let me read that back: a large pepperoni pizza for Sarah Millard,/);
  });

  it('asks the caller to spell a name whose correction was heard as the name it has', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_READ_BACK,
      'no my name is sarah millar',
      'no my name is sarah millar',
    );
    expect(replies[6]).toBe('Sorry about that. Could you spell your name for me, letter by letter?');
  });

  it('asks for a phone number corrected twice digit by digit, once', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_READ_BACK,
      'no the number is six one seven five five five four three two one',
      'no the number is six one seven five five five four three two two',
      'six one seven five five five four three three three',
    );
    expect(replies[5]).toMatch(/^Let me read that back/);
    expect(replies[6]).toBe(
      'Sorry about that. Please say the phone number one digit at a time, or say skip.',
    );
    expect(replies[7]).toContain('reach you on six one seven, five five five, four three three three.');
  });

  it('never asks the same question three times in a row while the caller corrects the read-back', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_READ_BACK,
      'no the name is sara millar',
      'no my name is sarah mellor',
      'sarah',
      'no the name is sarah miller',
    );
    const questions = replies.map((r) => r.split(/(?<=[.?!]) /).at(-1));
    for (let i = 2; i < questions.length; i++)
      expect([questions[i - 2], questions[i - 1]]).not.toEqual([questions[i], questions[i]]);
  });
});

describe('ScriptedDialog corrections at the read-back that name their detail', () => {
  it('takes items heard in an address correction for misheard words of it, not an order change', async () => {
    const s = session();
    const replies = await play(s, ...TO_READ_BACK, 'no the address is fourteen oak street five colas');
    expect(replies[5]).toMatch(
      /^Let me read that back: a large pepperoni pizza for Sarah Miller, delivered to 14 Oak/,
    );
    expect(s.tracker.order.lines).toEqual([PEPPERONI]);
    expect(s.tracker.customer.address).toBe('14 Oak Street');
  });

  it('asks for the address again when all its correction gave was a number and items', async () => {
    const s = session();
    const replies = await play(s, ...TO_READ_BACK, 'no the address is eight hundred twenty three five colas');
    expect(replies[5]).toBe("Sorry about that. What's the delivery address?");
    expect(s.tracker.order.lines).toEqual([PEPPERONI]);
  });

  it('corrects the name and the phone number without ordering the items heard after them', async () => {
    const name = session();
    await play(name, ...TO_READ_BACK, 'no my name is sara millar two cokes');
    expect(name.tracker.order.lines).toEqual([PEPPERONI]);
    expect(name.tracker.customer.name).toBe('Sara Millar');
    const phone = session();
    await play(
      phone,
      ...TO_READ_BACK,
      'no the number is six one seven five five five four three two one and a coke',
    );
    expect(phone.tracker.order.lines).toEqual([PEPPERONI]);
    expect(phone.tracker.customer.phone).toBe('617-555-4321');
  });

  it('still applies an order change the correction says in a clause of its own', async () => {
    const resized = session();
    const replies = await play(
      resized,
      ...TO_READ_BACK,
      'no the address is fourteen oak street and change the pepperoni to medium',
    );
    expect(replies[5]).toContain('a medium pepperoni pizza for Sarah Miller, delivered to 14 Oak Street.');
    expect(resized.tracker.order.lines).toEqual([{ ...PEPPERONI, size: 'medium' }]);
    const added = session();
    await play(added, ...TO_READ_BACK, 'no my name is sara millar and add a coke');
    expect(added.tracker.customer.name).toBe('Sara Millar');
    expect(added.tracker.order.lines).toEqual([PEPPERONI, { name: 'coke', size: null, quantity: 1 }]);
  });

  it('still orders an item said with a detail before the order is read back', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all", 'my name is sarah miller and a coke please');
    expect(s.tracker.order.lines).toEqual([PEPPERONI, { name: 'coke', size: null, quantity: 1 }]);
  });

  it('keeps the phone number when the caller corrects "the number of" an item', async () => {
    const s = session();
    await play(s, ...TO_READ_BACK, 'no the number of pepperoni pizzas is two');
    expect(s.tracker.customer.phone).toBe('617-555-1234');
  });
});
