import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

/** A call at the phone question. */
async function atPhone() {
  const s = session();
  await play(s, 'a large pepperoni pizza', "that's all", 'maria', '12 oak street');
  return s;
}

/** A phone answer the recogniser was unsure of: low confidence, hypotheses that differ in the digits. */
const UNSURE = {
  confidence: 0.01,
  alternatives: [
    'my number is six one seven five five nine one two three four',
    'my number is six one seven five five one two three four',
  ],
};

describe('ScriptedDialog phone number', () => {
  it('takes a phone number whose turn ended after the area code as one number, continued in the next turn', async () => {
    const s = session();
    const replies = await play(
      s,
      'a large pepperoni pizza',
      "that's all",
      'maria',
      '12 oak street',
      'my number is six one seven',
      'eight one five five nine five three',
    );
    expect(replies[4]).toBe(
      'I only caught six one seven. Could you say the whole phone number, with the area code?',
    );
    expect(s.tracker.customer.phone).toBe('617-815-5953');
    expect(replies[5]).toMatch(/^Let me read that back/);
  });

  it('reads an unsure phone number back in its digit groups, and a yes takes it on to the read-back', async () => {
    const s = await atPhone();
    const check = await turn(s, 'my number is six one seven five five five one two three four', UNSURE);
    expect(check.text).toBe('Did you say 6 1 7, 5 5 5, 1 2 3 4?');
    const yes = await turn(s, 'yes', { confidence: 0.5 });
    expect(yes.text).toMatch(/^Let me read that back/);
    expect(s.tracker.customer.phone).toBe('617-555-1234');
  });

  it('takes a phone number the hypotheses agree on, or typed without any, without reading it back', async () => {
    const agreed = await atPhone();
    const heard = await turn(agreed, 'my number is six one seven five five five one two three four', {
      confidence: 0.01,
      alternatives: ['my number is six one seven five five five one two three four please'],
    });
    expect(heard.text).toMatch(/^Let me read that back/);
    const typed = await atPhone();
    expect((await turn(typed, 'six one seven five five five one two three four')).text).toMatch(
      /^Let me read/,
    );
  });

  it('after a no asks for the number again and takes the next one as heard, without a second check', async () => {
    const s = await atPhone();
    await turn(s, 'my number is six one seven five five five one two three four', UNSURE);
    const no = await turn(s, 'no', { confidence: 0.5 });
    expect(no.text).toMatch(/^Sorry about that\. .*phone number/);
    expect(s.tracker.customer.phone).toBeNull();
    const again = await turn(s, 'my number is six one seven five five five four three two one', UNSURE);
    expect(again.text).toMatch(/^Let me read that back/);
    expect(s.tracker.customer.phone).toBe('617-555-4321');
  });

  it('takes a correction said with the no ("no, it is ...") at once', async () => {
    const s = await atPhone();
    await turn(s, 'my number is six one seven five five five one two three four', UNSURE);
    const corrected = await turn(s, 'no it is six one seven five five five nine eight seven six', UNSURE);
    expect(s.tracker.customer.phone).toBe('617-555-9876');
    expect(corrected.text).toMatch(/^Let me read that back/);
  });
});
