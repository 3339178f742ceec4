import { describe, expect, it } from 'vitest';
import { play, session } from './scriptedSession.ts';

/** An order, a name and an address: the next question is the phone number's. */
const TO_PHONE = ['a large pepperoni pizza', "that's all", 'maria', '12 oak street'];

describe('ScriptedDialog phone number', () => {
  it('takes a phone number whose turn ended after the area code as one number, continued in the next turn', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_PHONE,
      'my number is six one seven',
      'eight one five five nine five three',
    );
    expect(replies[4]).toBe(
      'I only caught six one seven. Could you say the whole phone number, with the area code?',
    );
    expect(s.tracker.customer.phone).toBe('617-815-5953');
    expect(replies[5]).toMatch(/^Let me read that back/);
  });

  it('asks again for a phone number heard with a digit too many instead of taking it, reading it out in groups', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_PHONE,
      'my number is two zero one two five five five four four four seven',
      'two one two five five five four four four seven',
    );
    expect(replies[4]).toBe(
      'I heard eleven digits, two zero one, two five five, five four four four, seven. Could you say the phone number again, with the area code?',
    );
    expect(s.tracker.customer.phone).toBe('212-555-4447');
    expect(replies[5]).toContain(
      'The driver can reach you on two one two, five five five, four four four seven.',
    );
  });

  it('asks a number heard with a digit too many twice for digit by digit, then leaves it out rather than store it', async () => {
    const s = session();
    const eleven = 'two zero one two five five five four four four seven';
    const replies = await play(s, ...TO_PHONE, `my number is ${eleven}`, eleven, eleven);
    expect(replies[5]).toBe('Please say the phone number one digit at a time, or say skip.');
    expect(replies[6]).toMatch(
      /^Sorry, I still couldn't get the whole phone number, so I've left it out\. Let me read that back: [^.]*\. Your total/,
    );
    expect(s.tracker.customer.phone).toBeNull();
  });

  it('asks again for a whole number the numbering plan has not (an area code starting with 0), saying what it heard', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_PHONE,
      'my number is oh two one eight oh five five five oh nine',
      'two one two eight oh five five five oh nine',
    );
    expect(replies[4]).toBe(
      "I don't think I heard that right: zero two one, eight zero five, five five zero nine. Could you say the phone number again, with the area code?",
    );
    expect(replies[5]).toContain(
      'The driver can reach you on two one two, eight zero five, five five zero nine.',
    );
    expect(s.tracker.customer.phone).toBe('212-805-5509');
  });

  it('never reads back or keeps a number whose exchange starts with 1, heard so three times: it is left out', async () => {
    const s = session();
    const misheard = 'two one two one five five oh four five four';
    const replies = await play(s, ...TO_PHONE, `my number is ${misheard}`, misheard, misheard);
    expect(replies[5]).toBe('Please say the phone number one digit at a time, or say skip.');
    expect(replies[6]).toMatch(
      /^Sorry, I still couldn't get the whole phone number, so I've left it out\. Let me read/,
    );
    expect(replies[6]).not.toMatch(/reach you/);
    expect(s.tracker.customer.phone).toBeNull();
  });

  it('takes a number with the country code 1 as whole', async () => {
    const s = session();
    const replies = await play(s, ...TO_PHONE, 'one two one two five five five four four four seven');
    expect(replies[4]).toContain(
      'The driver can reach you on one, two one two, five five five, four four four seven.',
    );
  });

  it('reads the phone number back with the order, and takes a correction of it there before placing', async () => {
    const s = session();
    const replies = await play(
      s,
      ...TO_PHONE,
      'six one seven five five five one two three four',
      'no my number is six one seven five five five four three two one',
      'yes',
    );
    expect(replies[4]).toContain(
      'The driver can reach you on six one seven, five five five, one two three four.',
    );
    expect(replies[5]).toContain(
      'The driver can reach you on six one seven, five five five, four three two one.',
    );
    expect(replies[6]).toMatch(/^Great, your order is placed/);
    expect(s.tracker.customer.phone).toBe('617-555-4321');
  });

  it('does not order items heard inside the phone number: it asks for the number again, not "Did you say five cokes?"', async () => {
    const s = session();
    // a Scottish voice in babble, live (bench:robustness seed 2 call 7): "3 0 3, 5 5 5, 3 8 9 3"
    const heard = "my number is three zero three i'd like five cokes oh three eight oh two three";
    const replies = await play(s, ...TO_PHONE, heard);
    expect(s.tracker.order.lines).toEqual([{ name: 'pepperoni pizza', size: 'large', quantity: 1 }]);
    expect(replies[4]).not.toMatch(/coke/i);
  });

  it('still orders an item said as an order with the phone number', async () => {
    const s = session();
    await play(s, ...TO_PHONE, 'six one seven five five five one two three four and add a coke');
    expect(s.tracker.order.lines).toContainEqual({ name: 'coke', size: null, quantity: 1 });
    expect(s.tracker.customer.phone).toBe('617-555-1234');
  });
});
