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
    const readBack = await atReadBack(s, history);
    history[history.length - 1] = { role: 'assistant', content: 'Let me read' };
    const { text } = await turn(s, 'uh one oh', { history, unheardAsk: readBack });
    expect(text).toMatch(/read that back: a large pepperoni pizza .*Shall I place the order\?$/i);
    expect(s.tracker.confirmed).toBe(false);
  });

  it('does not place the order on a yes to a read-back the caller never heard whole', async () => {
    const s = session();
    const history: History = [];
    const readBack = await atReadBack(s, history);
    history[history.length - 1] = { role: 'assistant', content: 'Let me read that back: a large' };
    const { text } = await turn(s, 'yeah', { history, unheardAsk: readBack });
    expect(text).not.toMatch(/placed/);
    expect(text).toMatch(/read that back: a large pepperoni pizza .*Shall I place the order\?$/i);
    expect(s.tracker.confirmed).toBe(false);
    expect((await turn(s, 'yes', { history })).text).toMatch(/your order is placed/);
  });

  it('asks only whether to place the order when the read-back was heard whole', async () => {
    const s = session();
    const history: History = [];
    await atReadBack(s, history);
    const { text } = await turn(s, 'uh one oh', { history, unheardAsk: 'Shall I place the order?' });
    expect(text).not.toMatch(/read that back/i);
    expect(text).toMatch(/place the order\?$/);
  });
});

describe('ReadBackHearing', () => {
  const readBack = ['Let me read that back: a coke for John Smith.', 'Shall I place the order?'];

  it('is missed when what went unheard starts before the read-back question', () => {
    const hearing = new ReadBackHearing();
    hearing.readsBack();
    hearing.said(readBack);
    hearing.heard(readBack.join(' '));
    expect(hearing.missed).toBe(true);
    hearing.heard('Shall I place the order?');
    expect(hearing.missed).toBe(false);
  });

  it('is never missed after a reply that read nothing back, or when nothing went unheard', () => {
    const hearing = new ReadBackHearing();
    hearing.said(['Anything else?']);
    hearing.heard('Anything else?');
    expect(hearing.missed).toBe(false);
    hearing.readsBack();
    hearing.said(readBack);
    hearing.heard(undefined);
    expect(hearing.missed).toBe(false);
  });

  it('holds a read-back only for the reply it was read in', () => {
    const hearing = new ReadBackHearing();
    hearing.readsBack();
    hearing.said(readBack);
    hearing.heard(undefined);
    hearing.said(["Sorry, I didn't get that.", 'Anything else?']);
    hearing.heard("Sorry, I didn't get that. Anything else?");
    expect(hearing.missed).toBe(false);
  });
});
