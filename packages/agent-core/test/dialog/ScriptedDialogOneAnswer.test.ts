import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

const ALL_IN_ONE =
  'my name is margaret sullivan and the address is four thousand seven hundred sixty center road my phone number is two one two five five five zero four five four';

describe('the name, address and phone given in one answer', () => {
  it('are all kept, and the order is read back at once', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const reply = await turn(s, ALL_IN_ONE);
    expect(reply.text).toMatch(
      /Let me read that back: .* for Margaret Sullivan, delivered to 4760 Center Road\./,
    );
    expect(s.tracker.customer).toMatchObject({
      name: 'Margaret Sullivan',
      address: '4760 Center Road',
      phone: '212-555-0454',
    });
  });

  it('with a house number the recogniser doubted, cost no extra turn: the read-back says it digit by digit', async () => {
    const s = session();
    await play(s, 'a large pepperoni pizza', "that's all");
    const reply = await turn(s, ALL_IN_ONE, {
      confidence: 0.3,
      alternatives: [ALL_IN_ONE.replace('sixty center', 'sixteen center')],
    });
    expect(reply.text).toMatch(/Let me read that back: .* delivered to four seven six zero Center Road\./);
    expect((await turn(s, 'yes')).text).toMatch(/^Great, your order is placed\./);
  });
});
