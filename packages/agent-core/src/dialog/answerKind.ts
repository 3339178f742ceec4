import { answersExpectation, type CallTracker, type Expectation, type Hypothesis } from '../nlu/index.ts';

/** The questions a change of the order answers: the order itself, an item's size, the read-back. */
const CHANGE_ANSWERS: ReadonlySet<Expectation> = new Set(['order', 'size', 'confirm']);

/**
 * The recogniser's hypotheses (best first) a lower one may be chosen from over the best. A lower hypothesis stands in
 * for the best one only to say the same kind of thing better heard ("yes" for "us", a whole phone number, a street
 * most of them agree on), not to turn an answer into a change of the order or a change into an answer: while the
 * best makes sense for the question asked (sensible), the hypotheses that would change the order are read only when
 * the best would too, and, where a change answers the question, the others only when it would not. "i said twenty
 * seven seventeen monroe drive" after the read-back keeps its address over "no i'd like ... caesar salads" heard lower
 * down (bench:robustness seed 2 call 11 looped on it); a best the question makes nothing of ("the blue door" at the
 * read-back, a change while the address was asked for) still reads them all. Asked for a detail, a change in the best
 * is a word of the answer misheard ("my name is olivia wings"): the lower hypotheses that give the detail without it
 * are read as before (bench:dialog seed 6 call 12).
 */
export function hypothesesLikeBest(
  tracker: CallTracker,
  hypotheses: readonly Hypothesis[],
  expecting: Expectation,
): readonly Hypothesis[] {
  const [best] = hypotheses;
  if (!best || !sensible(tracker, best, expecting)) return hypotheses;
  const bestChanges = changesOrder(tracker, best, expecting);
  if (bestChanges && !CHANGE_ANSWERS.has(expecting)) return hypotheses;
  return hypotheses.filter((h) => changesOrder(tracker, h, expecting) === bestChanges);
}

/**
 * Whether the best hypothesis answers the read-back without a yes or a no: a correction of a detail or of the order
 * ("i said twenty seven seventeen monroe drive"). It is taken as it is: a lower hypothesis with a no in it ("no i
 * said ...", the rest misheard) answers the question only in form. (Asked for a detail, a lower hypothesis that gives
 * it still wins over a best that gives another: the question is what the caller answered.)
 */
export function answersReadBackOtherwise(
  tracker: CallTracker,
  best: Hypothesis,
  expecting: Expectation,
): boolean {
  return (
    expecting === 'confirm' &&
    sensible(tracker, best, expecting) &&
    !answersExpectation(best.understood(expecting), expecting)
  );
}

/**
 * Whether a hypothesis is a coherent answer to the question asked: it answers it (answersExpectation), or it gives
 * or names a detail (a correction of the name, address or phone number is in place after any question), or, at the
 * read-back, it asks for a change of the order.
 */
function sensible(tracker: CallTracker, hypothesis: Hypothesis, expecting: Expectation): boolean {
  const u = hypothesis.understood(expecting);
  const detail =
    u.name !== undefined ||
    u.address !== undefined ||
    u.phone !== undefined ||
    u.houseNumber !== undefined ||
    u.detail !== undefined;
  return (
    answersExpectation(u, expecting) ||
    detail ||
    (expecting === 'confirm' && changesOrder(tracker, hypothesis, expecting))
  );
}

function changesOrder(tracker: CallTracker, hypothesis: Hypothesis, expecting: Expectation): boolean {
  return tracker.wouldChange(hypothesis, expecting) !== 'none';
}
