import { describe, expect, it } from 'vitest';
import { CallStage } from '../../src/dialog/CallStage.ts';
import { NameRepair } from '../../src/dialog/NameRepair.ts';
import type { Stage } from '../../src/dialog/scriptedFacts.ts';
import { UnsureDetails } from '../../src/dialog/UnsureDetails.ts';
import { CallTracker, type Expectation, Hypothesis } from '../../src/nlu/index.ts';
import { pizzeria } from '../nlu/pizzeria.ts';

const NAME = 'my name is sarah miller';
const NAMES_HEARD = [NAME, 'my name is sara mills', 'my name is farah miller'];
const ADDRESS = "it's four thousand eight hundred twenty two harbor road";
const ADDRESSES_HEARD = [ADDRESS, "it's four thousand six hundred twenty two harbor road"];
const NAME_AND_ADDRESS = `${NAME} ${ADDRESS}`;

/** A call whose caller said `said` (heard as `expecting`) with nothing held before, and its checks. */
function heard(said: string, expecting: Expectation) {
  const tracker = new CallTracker({ menu: pizzeria().menu });
  const names = new NameRepair();
  const call = new CallStage(tracker, names);
  tracker.hear(said, expecting);
  const unsure = new UnsureDetails(tracker, call, names);
  const check = (stage: Stage, confidence: number, hypotheses: readonly string[]) =>
    unsure.check({
      stage,
      before: { name: null, address: null },
      confidence,
      hypotheses: Hypothesis.all(tracker.nlu, hypotheses),
    });
  return { tracker, names, unsure, check };
}

describe('details the recogniser was unsure of: a name asked back, a house number checked in the read-back', () => {
  it('asks back a name heard with low confidence the hypotheses disagree on, at the name slot', () => {
    const { check } = heard(NAME, 'name');
    expect(check('name', 0.01, NAMES_HEARD)?.question).toBe('Did you say Sarah Miller?');
  });

  it('takes a name heard with confidence, or heard outside the name slot', () => {
    const { check } = heard(NAME, 'name');
    expect(check('name', 0.9, NAMES_HEARD)).toBeUndefined();
    expect(check('order', 0.01, NAMES_HEARD)).toBeUndefined();
  });

  it('checks a house number the best two hypotheses disagree on in the read-back, with no question of its own', () => {
    const doubted = heard(ADDRESS, 'address');
    expect(doubted.check('address', 0.3, ADDRESSES_HEARD)).toBeUndefined();
    expect(doubted.unsure.readsHouseByDigit).toBe(true);
    const agreed = heard(ADDRESS, 'address');
    expect(agreed.check('address', 0.3, [ADDRESS, ADDRESS])).toBeUndefined();
    expect(agreed.unsure.readsHouseByDigit).toBe(false);
  });

  it('asks about the name alone when one turn gave a doubtful name and a doubted house number', () => {
    const { check, unsure } = heard(NAME_AND_ADDRESS, 'name');
    const hypotheses = [NAME_AND_ADDRESS, `my name is sara mills ${ADDRESSES_HEARD[1]}`];
    expect(check('name', 0.01, hypotheses)?.question).toBe('Did you say Sarah Miller?');
    expect(unsure.readsHouseByDigit).toBe(true);
    expect(check('name', 0.9, hypotheses)).toBeUndefined();
  });

  it('takes the answer to "Could you spell your name?" as heard, and goes on without a name when it gave none', () => {
    const spelled = heard('s a r a h', 'name');
    spelled.names.askSpelling();
    expect(spelled.unsure.spelling('order')).toEqual([]);
    expect(spelled.names.awaitingSpelling).toBe(true);
    expect(spelled.unsure.spelling('name')).toEqual([]);
    expect(spelled.names.awaitingSpelling).toBe(false);
    const none = heard('um', 'name');
    none.names.askSpelling();
    expect(none.unsure.spelling('name')).toEqual(["Let's go on without the name for now."]);
    expect(none.names.skipped).toBe(true);
  });
});
