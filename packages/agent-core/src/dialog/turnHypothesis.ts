import {
  asksYesOrNo,
  type CallTracker,
  chooseHypothesis,
  commonestSpelling,
  type Expectation,
  Hypothesis,
  lacksLastName,
  mostHeardAddress,
  numberLost,
  withoutRejectedAddress,
} from '../nlu/index.ts';
import { answersReadBackOtherwise, hypothesesLikeBest } from './answerKind.ts';

/** Longer than this, a yes found only in a lower hypothesis is not taken as the caller's yes to the read-back. */
const SHORT_ANSWER_WORDS = 3;

/**
 * The caller's turn the dialog acts on, from the recogniser's hypotheses (best first): the NLU's pick
 * of the one that answers the question (chooseHypothesis), mended by chooseChange. A yes to the read-back places the
 * order and cannot be taken back, so one that only a lower hypothesis heard counts only in a short answer ("us"
 * over "yes") whose best hypothesis asks for no change: in a longer one ("that will be i want eleven" over
 * "absolutely i want eleven"), or over a change ("remove the veggie" over "let one yes"), the caller was most likely
 * saying something else, and the read-back is asked again (see doubtedYes). An address correction that hears the address it corrects
 * again reads the other hypotheses (withoutRejectedAddress). All of these read only the hypotheses of the best one's
 * kind while the best makes sense for the question (hypothesesLikeBest): an answer is not swapped for a change of the
 * order found lower down, nor a change for an answer.
 */
export function chooseTurn(
  tracker: CallTracker,
  recognised: readonly Hypothesis[],
  expecting: Expectation,
): Hypothesis {
  const likeBest = hypothesesLikeBest(tracker, recognised, expecting);
  const hypotheses = withoutRejectedAddress(likeBest, expecting, tracker.customer.address);
  const [best = new Hypothesis(tracker.nlu, ''), ...alternatives] = hypotheses;
  const agreed = expecting === 'address' ? mostHeardAddress(hypotheses) : undefined;
  const bestStands =
    completesName(tracker, best, expecting) || answersReadBackOtherwise(tracker, best, expecting);
  const chosen = agreed ?? (bestStands ? best : chooseHypothesis(best, alternatives, expecting));
  if (asksYesOrNo(expecting) && chosen.understood(expecting).yes) {
    const doubted = doubtedYes(tracker, hypotheses, chosen, expecting);
    if (doubted) return doubted;
  }
  const mended = chooseChange(tracker, chosen, hypotheses, expecting);
  return expecting === 'name' ? withCommonestName(tracker, mended, hypotheses) : mended;
}

/**
 * What stands instead of a yes that only a lower hypothesis heard (`chosen`, after the agent's yes/no question or
 * read-back); undefined when the yes stands. A no heard in another hypothesis (that asks for no change) wins: the
 * recogniser hesitated between the two, and a yes taken wrongly keeps a misheard detail or places the order, where
 * a no only asks again ("er" over "sure" and "no"). At the read-back, the best hypothesis stands over a yes in a
 * longer answer, over a change, or under a longer hypothesis ("my name is lisa please" over "lisa please").
 */
function doubtedYes(
  tracker: CallTracker,
  hypotheses: readonly Hypothesis[],
  chosen: Hypothesis,
  expecting: Expectation,
): Hypothesis | undefined {
  const best = hypotheses[0];
  if (!best || chosen.text === best.text) return undefined;
  const no = hypotheses.find((h) => h.understood(expecting).no && h.understood(expecting).ops.length === 0);
  if (no) return no;
  if (expecting !== 'confirm') return undefined;
  const above = hypotheses.slice(0, hypotheses.indexOf(chosen) + 1);
  const long = above.some((h) => h.understood(expecting).words.length > SHORT_ANSWER_WORDS);
  return long || tracker.wouldChange(best, expecting) !== 'none' ? best : undefined;
}

/**
 * A first name is held alone and the best hypothesis gives a name: a one-word name is its last name, as well formed an
 * answer as a whole name only a lower hypothesis heard (which would replace the first name held).
 */
function completesName(tracker: CallTracker, best: Hypothesis, expecting: Expectation): boolean {
  const held = tracker.customer.name;
  return (
    expecting === 'name' && held !== null && lacksLastName(held) && best.understood('name').name !== undefined
  );
}

/** The chosen turn with the name it gives spelled as the commonest spelling of the hypotheses (commonestSpelling). */
function withCommonestName(
  tracker: CallTracker,
  chosen: Hypothesis,
  hypotheses: readonly Hypothesis[],
): Hypothesis {
  const nameIn = (h: Hypothesis) => h.understood('name').name?.toLowerCase().split(' ');
  const name = nameIn(chosen);
  if (!name) return chosen;
  const spelled = commonestSpelling(
    name,
    hypotheses.flatMap((h) => (h.text === chosen.text ? [] : [nameIn(h) ?? []])),
  );
  const text = spelled.reduce(
    (text, word, i) => (word === name[i] ? text : text.replace(new RegExp(`\\b${name[i]}\\b`, 'i'), word)),
    chosen.text,
  );
  return text === chosen.text ? chosen : new Hypothesis(tracker.nlu, text);
}

/**
 * Which of the recogniser's hypotheses the dialog takes for a change to the order. `chosen` (the NLU's pick: the
 * first that answers the question) stands unless the change it asks for is doubtful: it would leave the order as it
 * is ("make that a lemonade" with one lemonade ordered: the caller asked for something else), or it says "a" before
 * a plural ("make that a margherita pizzas": the number was lost). Then the first other hypothesis that names the
 * same items and whose change is not doubtful is taken: the n-best list mends what the best guess lost, without
 * asking the caller again. Another item, or another kind of change (an add for a removal: "fifth off the caesar
 * salad" for "take off the caesar salad" with no salad ordered), is never taken from it (that would be a guess, not a
 * mend).
 */
export function chooseChange(
  tracker: CallTracker,
  chosen: Hypothesis,
  hypotheses: readonly Hypothesis[],
  expecting: Expectation,
): Hypothesis {
  if (!doubtful(tracker, chosen, expecting)) return chosen;
  const items = itemsNamed(chosen);
  const removing = removes(chosen);
  return (
    hypotheses.find(
      (h) =>
        h.text !== chosen.text &&
        itemsNamed(h) === items &&
        removes(h) === removing &&
        mends(tracker, h, expecting),
    ) ?? chosen
  );
}

function doubtful(tracker: CallTracker, turn: Hypothesis, expecting: Expectation): boolean {
  const change = tracker.wouldChange(turn, expecting);
  return change === 'unchanged' || (change === 'changes' && numberLost(tracker.nlu, turn.text));
}

/** A change of the order that is not doubtful: one that asks for none ("no, I live at ...") mends nothing. */
function mends(tracker: CallTracker, turn: Hypothesis, expecting: Expectation): boolean {
  return tracker.wouldChange(turn, expecting) === 'changes' && !numberLost(tracker.nlu, turn.text);
}

function removes(hypothesis: Hypothesis): boolean {
  return hypothesis.understood('order').ops.some((o) => o.kind === 'remove');
}

function itemsNamed(hypothesis: Hypothesis): string {
  const items = hypothesis.understood('order').items.map((i) => i.name);
  return [...new Set(items)].sort().join('|');
}
