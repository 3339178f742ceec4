import { describe, expect, it } from 'vitest';
import { ScriptedDialog } from '../../src/dialog/index.ts';
import { pizzeria } from '../nlu/pizzeria.ts';
import { turn } from './collect.ts';

const dialog = () => new ScriptedDialog({ config: pizzeria() });

type Line = { role: 'user' | 'assistant'; content: string };

/** Plays `utterances` on one session; returns the history as a resumed agent would get it. */
async function earlierCall(...utterances: string[]): Promise<Line[]> {
  const s = dialog().createSession();
  const history: Line[] = [
    { role: 'assistant', content: "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?" },
  ];
  for (const u of utterances) await turn(s, u, { history });
  s.close();
  return history;
}

describe('ScriptedDialog resuming a call from its history', () => {
  it('keeps the order taken before and asks for more, then finishes the call with it', async () => {
    const history = await earlierCall('two large pepperoni pizzas');
    const resumed = dialog().createSession();
    expect(resumed.resume?.(history)).toBe('Would you like anything else?');
    const rest = [];
    for (const u of [
      'and a coke',
      "no that's all",
      "it's maria lopez",
      'twelve oak street',
      'four one five five five five one two three four',
    ])
      rest.push(await turn(resumed, u, { history }));
    expect(rest.at(-1)?.text).toBe(
      'Let me read that back: two large pepperoni pizzas and a coke for Maria Lopez, delivered to 12 Oak Street. The driver can reach you on four one five, five five five, one two three four. Your total is thirty-three dollars fifty. Shall I place the order?',
    );
  });

  it('picks up at the slot the call had reached (the name) without asking for the order again', async () => {
    const history = await earlierCall('two large pepperoni pizzas', "no that's all");
    const resumed = dialog().createSession();
    expect(resumed.resume?.(history)).toBe('Can I get a name for the order?');
    const reply = await turn(resumed, "it's maria lopez", { history });
    expect(reply.text).toBe("Thanks, Maria Lopez. What's the delivery address?");
  });

  it('asks what to order when nothing was ordered yet', async () => {
    const history = await earlierCall();
    expect(dialog().createSession().resume?.(history)).toBe('What would you like to order?');
  });
});
