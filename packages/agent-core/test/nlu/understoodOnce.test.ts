import { describe, expect, it, vi } from 'vitest';
import {
  CallTracker,
  Hypothesis,
  houseNumberDoubted,
  mostHeardAddress,
  Nlu,
  withoutRejectedAddress,
} from '../../src/nlu/index.ts';
import { play, session } from '../dialog/scriptedSession.ts';
import { pizzeria } from './pizzeria.ts';

describe("a turn's hypotheses are understood once for each expectation", () => {
  it('parses a hypothesis read again with the same expectation only once, and again for another', () => {
    const nlu = new Nlu({ menu: pizzeria().menu.items });
    const understand = vi.spyOn(nlu, 'understand');
    const hypothesis = new Hypothesis(nlu, "it's twelve oak street");
    const first = hypothesis.understood('address');
    expect(hypothesis.understood('address')).toBe(first);
    expect(first.address).toBe('12 Oak Street');
    hypothesis.understood('confirm');
    expect(understand.mock.calls).toEqual([
      ["it's twelve oak street", 'address'],
      ["it's twelve oak street", 'confirm'],
    ]);
  });

  it("reads the n-best list of an address answer once across the correction, the vote and the number's doubt", () => {
    const nlu = new Nlu({ menu: pizzeria().menu.items });
    const understand = vi.spyOn(nlu, 'understand');
    const hypotheses = Hypothesis.all(nlu, [
      'no the address is four thousand two poplar road',
      'no the address is four thousand six harbor road',
      'no the address is four thousand two harbor road',
    ]);
    const kept = withoutRejectedAddress(hypotheses, 'address', '4002 Poplar Road');
    const taken = mostHeardAddress(kept);
    expect(taken?.text).toBe('no the address is four thousand six harbor road');
    expect(houseNumberDoubted('4006 Harbor Road', hypotheses)).toBe(false);
    expect(understand).toHaveBeenCalledTimes(3);
  });

  it('hears a turn given as its hypothesis without parsing it again', () => {
    const tracker = new CallTracker({ menu: pizzeria().menu });
    const understand = vi.spyOn(tracker.nlu, 'understand');
    const chosen = new Hypothesis(tracker.nlu, 'two large pepperoni pizzas');
    chosen.understood('order');
    const { understanding } = tracker.hear(chosen, 'order');
    expect(understanding.ops).toEqual([expect.objectContaining({ name: 'pepperoni pizza', quantity: 2 })]);
    expect(understand).toHaveBeenCalledTimes(1);
  });

  it("parses the dialog's chosen turn once for the question it answers", async () => {
    const s = session();
    const understand = vi.spyOn(s.tracker.nlu, 'understand');
    await play(s, 'a large pepperoni pizza');
    const ofTurn = understand.mock.calls.filter(([text]) => text === 'a large pepperoni pizza');
    expect(ofTurn).toEqual([['a large pepperoni pizza', 'order']]);
  });
});
