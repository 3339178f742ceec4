import { describe, expect, it } from 'vitest';
import { turn } from './collect.ts';
import { play, session } from './scriptedSession.ts';

/** "that's it" as the live recogniser heard it from a Scottish voice in babble (bench:robustness seed 2 call 7). */
const THATS_IT = {
  confidence: 0.011,
  alternatives: ['plus a coke', 'plus an cola', 'plus an coke', 'plus an small'],
};

describe('an item new to the order that only a lower hypothesis named, the recogniser unsure', () => {
  it('is checked with the caller instead of added, and a no leaves the order as it was', async () => {
    const s = session();
    await play(s, 'two garlic breads');
    expect((await turn(s, 'plus a small', THATS_IT)).text).toBe('Did you say a coke?');
    expect(s.tracker.order.lines).toContainEqual({ name: 'coke', size: null, quantity: 1 });
    expect((await turn(s, 'no')).text).toBe('Sorry about that. Would you like anything else?');
    expect(s.tracker.order.lines).toEqual([{ name: 'garlic bread', size: null, quantity: 2 }]);
  });

  it('is added on a yes', async () => {
    const s = session();
    await play(s, 'two garlic breads');
    await turn(s, 'plus a small', THATS_IT);
    expect((await turn(s, 'yes')).text).toBe('A coke, got it. Anything else?');
    expect(s.tracker.order.lines).toContainEqual({ name: 'coke', size: null, quantity: 1 });
  });

  it('heard again after the caller refused its check, moves the call on with the order as it stands', async () => {
    const s = session();
    await play(s, 'two garlic breads');
    await turn(s, 'plus a small', THATS_IT);
    await turn(s, 'no');
    const again = await turn(s, 'plus a small', THATS_IT);
    expect(again.text).toBe("I'll take that as everything for now. Can I get a name for the order?");
    expect(s.tracker.order.lines).toEqual([{ name: 'garlic bread', size: null, quantity: 2 }]);
  });

  it('is added at once when the recogniser was sure of what it heard', async () => {
    const s = session();
    await play(s, 'two garlic breads');
    const sure = await turn(s, 'plus a small', { ...THATS_IT, confidence: 0.6 });
    expect(sure.text).toBe('A coke, got it. Anything else?');
  });
});

describe('an item the best hypothesis named, the recogniser unsure', () => {
  it('is added at once: the best guess and the change agree', async () => {
    const s = session();
    await play(s, 'two garlic breads');
    const added = await turn(s, 'plus a coke', { confidence: 0.011, alternatives: ['plus a small'] });
    expect(added.text).toBe('A coke, got it. Anything else?');
  });
});
