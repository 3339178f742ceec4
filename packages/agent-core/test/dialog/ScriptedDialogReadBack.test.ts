import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

describe('ScriptedDialog read-back', () => {
  const toConfirm = [
    'a large pepperoni pizza and a coke',
    "that's all",
    'maria',
    '12 oak street',
    '5553214567',
  ];

  it('a read-back interrupted by the caller takes the correction and is read again', async () => {
    const s = session();
    await play(s, ...toConfirm.slice(0, -1));
    // The caller barges in during the read-back: the reply is cut after its first sentence.
    const controller = new AbortController();
    for await (const c of s.respond(
      { history: [], userText: toConfirm.at(-1) ?? '', hints: [] },
      controller.signal,
    )) {
      expect(c).toMatchObject({ type: 'text', text: expect.stringMatching(/^Let me read that back/) });
      controller.abort();
    }
    const [address, quantity] = await play(
      s,
      'no wait, the address is 20 elm street',
      'no, make it two cokes',
    );
    expect(address).toMatch(/^Let me read that back: .* delivered to 20 Elm Street\./);
    expect(quantity).toMatch(
      /^Two cokes, got it\. Let me read that back: a large pepperoni pizza and two cokes for Maria/,
    );
    expect(s.stage).toBe('confirm');
  });

  it.each([['us'], ["yeah that's right"], ['yes that is correct'], ['uh huh'], ['yep go ahead'], ['sure']])(
    'places the order on %j after the read-back',
    async (yes) => {
      const s = session();
      await play(s, ...toConfirm);
      const [reply] = await play(s, yes);
      expect(reply).toMatch(/^Great, your order is placed\./);
    },
  );

  it.each([['know'], ['nope'], ['no that is wrong']])('takes %j after the read-back as a no', async (no) => {
    const s = session();
    await play(s, ...toConfirm);
    const [reply] = await play(s, no);
    expect(reply).toBe('Sorry about that. What would you like to change?');
  });

  it('reads back at once a detail said after "What would you like to change?", not "Anything else?" first', async () => {
    const s = session();
    await play(s, ...toConfirm, 'no');
    const changed = await turn(s, 'the name is maria garcia');
    expect(changed.text).toMatch(/Let me read that back: .* for Maria Garcia, .*Shall I place the order\?$/);
    expect((await turn(s, 'yes')).text).toMatch(/^Great, your order is placed\./);
  });

  it('asks again briefly when unsure, not the whole read-back, and offers a person instead of a third ask', async () => {
    const s = session();
    await play(s, ...toConfirm);
    const replies = await play(s, 'purple', 'banana');
    expect(replies).toEqual([
      "Sorry, I didn't get that. Shall I place the order?",
      "Sorry, I didn't get that. I'm sorry this is taking a while. Would you like me to get a person to help you?",
    ]);
  });

  it('after the caller declined a person, a read-back still not agreed goes to a person', async () => {
    const s = session();
    await play(s, ...toConfirm, 'purple', 'banana');
    const replies = await play(s, 'no thanks', 'purple', 'banana');
    // the "no" answered the offer, not the read-back: the order is read back again
    expect(replies[0]).toMatch(/^Okay, let's keep going\. Let me read that back: a large pepperoni pizza/);
    expect(replies.at(-1)).toContain('Let me get a person');
  });

  it('does not read a misheard word as yes outside a yes/no question', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const [reply] = await play(s, 'us');
    expect(reply).not.toMatch(/placed/);
    expect(s.stage).toBe('name');
  });
});
