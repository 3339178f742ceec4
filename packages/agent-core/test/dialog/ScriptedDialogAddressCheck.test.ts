import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

/** A call at the address question. */
async function atAddress() {
  const s = session();
  await play(s, 'a large pepperoni pizza', "that's all", 'maria');
  return s;
}

/** An address answer the recogniser was unsure of: low confidence, hypotheses that differ in the house number. */
const UNSURE = {
  confidence: 0.01,
  alternatives: [
    "it's one thousand two hundred seventy nine kennedy lane",
    "it's twelve seventeen kennedy lane",
  ],
};

describe('ScriptedDialog address check', () => {
  it('reads an unsure address back, and a yes goes on to the phone number', async () => {
    const s = await atAddress();
    const check = await turn(s, "it's one thousand two hundred seventy eight kennedy lane", UNSURE);
    expect(check.text).toBe('Did you say 1278 Kennedy Lane?');
    expect((await turn(s, 'yes', { confidence: 0.5 })).text).toMatch(/phone number/);
    expect(s.tracker.customer.address).toBe('1278 Kennedy Lane');
  });

  it('after a no asks for the address again and takes the next one as heard', async () => {
    const s = await atAddress();
    await turn(s, "it's one thousand two hundred seventy eight kennedy lane", UNSURE);
    const no = await turn(s, 'no', { confidence: 0.5 });
    expect(no.text).toBe("Sorry about that. What's the delivery address?");
    expect(s.tracker.customer.address).toBeNull();
    const again = await turn(s, "it's twelve seventeen kennedy lane", UNSURE);
    expect(again.text).toMatch(/phone number/);
    expect(s.tracker.customer.address).toBe('1217 Kennedy Lane');
  });

  it('takes "no, it is ..." as the corrected address, and an address the hypotheses agree on unchecked', async () => {
    const s = await atAddress();
    await turn(s, "it's one thousand two hundred seventy eight kennedy lane", UNSURE);
    await turn(s, 'no it is twelve seventeen kennedy lane', UNSURE);
    expect(s.tracker.customer.address).toBe('1217 Kennedy Lane');
    const agreed = await atAddress();
    const heard = await turn(agreed, "it's twelve seventeen kennedy lane", {
      confidence: 0.01,
      alternatives: ['twelve seventeen kennedy lane', "it's twelve seventeen kennedy lane please"],
    });
    expect(heard.text).toMatch(/phone number/);
  });
});
