import { describe, expect, it } from 'vitest';
import { ReadBackHearing } from '../../src/dialog/ReadBackHearing.ts';
import type { ScriptedDialogSession } from '../../src/dialog/ScriptedDialogSession.ts';
import { turn } from './collect.ts';
import { session } from './scriptedSession.ts';

type History = Array<{ role: 'user' | 'assistant'; content: string }>;

const ANSWERS: [RegExp, string][] = [
  [/anything else/i, "no that's all"],
  [/did you say/i, 'yes'],
  [/name/i, 'my name is john smith'],
  [/address/i, 'twelve main street'],
  [/phone|number/i, 'five five five one two three four five six seven'],
];

/** A call answered question by question until the agent reads the order back. */
async function atReadBack(s: ScriptedDialogSession, history: History): Promise<string> {
  let { text } = await turn(s, 'a large pepperoni pizza', { history });
  for (let i = 0; i < 8 && !/read that back/i.test(text); i++) {
    const answer = ANSWERS.find(([asked]) => asked.test(text))?.[1] ?? "no that's all";
    ({ text } = await turn(s, answer, { history }));
  }
  expect(text).toMatch(/read that back/i);
  return text;
}

describe('ReadBackHearing (in the scripted dialog)', () => {
  it('reads the order back again when the caller cut the read-back off in its first words', async () => {
    const s = session();
    const history: History = [];
    await atReadBack(s, history);
    history[history.length - 1] = { role: 'assistant', content: 'Let me read' };
    const { text } = await turn(s, 'uh one oh', { history });
    expect(text).toMatch(/read that back: a large pepperoni pizza .*Shall I place the order\?$/i);
    expect(s.tracker.confirmed).toBe(false);
  });

  it('does not place the order on a yes to a read-back the caller never heard whole', async () => {
    const s = session();
    const history: History = [];
    await atReadBack(s, history);
    history[history.length - 1] = { role: 'assistant', content: 'Let me read that back: a large' };
    const { text } = await turn(s, 'yeah', { history });
    expect(text).not.toMatch(/placed/);
    expect(text).toMatch(/read that back: a large pepperoni pizza .*Shall I place the order\?$/i);
    expect(s.tracker.confirmed).toBe(false);
    expect((await turn(s, 'yes', { history })).text).toMatch(/your order is placed/);
  });

  it('asks only whether to place the order when the read-back was heard whole', async () => {
    const s = session();
    const history: History = [];
    await atReadBack(s, history);
    const { text } = await turn(s, 'uh one oh', { history });
    expect(text).not.toMatch(/read that back/i);
    expect(text).toMatch(/place the order\?$/);
  });
});

describe('ReadBackHearing', () => {
  const readBack = ['Let me read that back: a coke for John Smith.', 'Shall I place the order?'];
  const heardAs = (content: string) => [{ role: 'assistant' as const, content }];

  it('is missed when the history holds less of the reply than its read-back', () => {
    const hearing = new ReadBackHearing();
    hearing.said(readBack, true);
    hearing.heard(heardAs('Let me read that back: a coke'));
    expect(hearing.missed).toBe(true);
    hearing.heard(heardAs('Let me read that back: a coke for John Smith. Shall'));
    expect(hearing.missed).toBe(false);
  });

  it('is missed when the read-back left no trace (cut before a sound): the last agent words are older', () => {
    const hearing = new ReadBackHearing();
    hearing.said(readBack, true);
    hearing.heard(heardAs('And a phone number, in case the driver needs to reach you?'));
    expect(hearing.missed).toBe(true);
  });

  it('is never missed after a reply that read nothing back, one a human agent spoke over, or with no agent words known', () => {
    const hearing = new ReadBackHearing();
    hearing.said(['Anything else?'], false);
    hearing.heard(heardAs(''));
    expect(hearing.missed).toBe(false);
    hearing.said(readBack, true);
    hearing.heard([...heardAs(readBack.join(' ')), { role: 'assistant', content: 'Hi', speaker: 'human' }]);
    expect(hearing.missed).toBe(false);
    hearing.heard([{ role: 'user', content: 'yes' }]);
    expect(hearing.missed).toBe(false);
  });
});
