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
});
