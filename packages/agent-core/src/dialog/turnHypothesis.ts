import {
  type CallTracker,
  chooseHypothesis,
  commonestSpelling,
  type Expectation,
  mostHeardAddress,
  numberLost,
  withoutRejectedAddress,
} from '../nlu/index.ts';

/** Longer than this, a yes found only in a lower hypothesis is not taken as the caller's yes to the read-back. */
const SHORT_ANSWER_WORDS = 3;

/**
 * The text of the caller's turn the dialog acts on, from the recogniser's hypotheses (best first): the NLU's pick
 * of the one that answers the question (chooseHypothesis), mended by chooseChange. A yes to the read-back places the
 * order and cannot be taken back, so one that only a lower hypothesis heard counts only in a short answer ("us"
 * over "yes") whose best hypothesis asks for no change: in a longer one ("that will be i want eleven" over
 * "absolutely i want eleven"), or over a change ("remove the veggie" over "let one yes"), the caller was most likely
 * saying something else, and the read-back is asked again. An address correction that hears the address it corrects
 * again reads the other hypotheses (withoutRejectedAddress).
 */
export function chooseTurnText(
  tracker: CallTracker,
  recognised: readonly string[],
  expecting: Expectation,
): string {
  const hypotheses = withoutRejectedAddress(tracker.nlu, recognised, expecting, tracker.customer.address);
  const [best = '', ...alternatives] = hypotheses;
  const agreed = expecting === 'address' ? mostHeardAddress(tracker.nlu, hypotheses) : undefined;
  const chosen = agreed ?? chooseHypothesis(tracker.nlu, best, alternatives, expecting);
  if (expecting === 'confirm' && chosen !== best) {
    const u = tracker.nlu.understand(chosen, expecting);
    const changing = tracker.wouldChange(best, expecting) !== 'none';
    if (u.yes && (u.words.length > SHORT_ANSWER_WORDS || changing)) return best;
  }
  const text = chooseChange(tracker, chosen, hypotheses, expecting);
  return expecting === 'name' ? withCommonestName(tracker, text, hypotheses) : text;
}

/** The chosen text with the name it gives spelled as the commonest spelling of the hypotheses (commonestSpelling). */
function withCommonestName(tracker: CallTracker, chosen: string, hypotheses: readonly string[]): string {
  const nameIn = (text: string) => tracker.nlu.understand(text, 'name').name?.toLowerCase().split(' ');
  const name = nameIn(chosen);
  if (!name) return chosen;
  const spelled = commonestSpelling(
    name,
    hypotheses.flatMap((h) => (h === chosen ? [] : [nameIn(h) ?? []])),
  );
  return spelled.reduce(
    (text, word, i) => (word === name[i] ? text : text.replace(new RegExp(`\\b${name[i]}\\b`, 'i'), word)),
    chosen,
  );
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
  chosen: string,
  hypotheses: readonly string[],
  expecting: Expectation,
): string {
  if (!doubtful(tracker, chosen, expecting)) return chosen;
  const items = itemsNamed(tracker, chosen);
  const removing = removes(tracker, chosen);
  return (
    hypotheses.find(
      (h) =>
        h !== chosen &&
        itemsNamed(tracker, h) === items &&
        removes(tracker, h) === removing &&
        !doubtful(tracker, h, expecting),
    ) ?? chosen
  );
}

function doubtful(tracker: CallTracker, text: string, expecting: Expectation): boolean {
  const change = tracker.wouldChange(text, expecting);
  return change === 'unchanged' || (change === 'changes' && numberLost(tracker.nlu, text));
}

function removes(tracker: CallTracker, text: string): boolean {
  return tracker.nlu.understand(text, 'order').ops.some((o) => o.kind === 'remove');
}

function itemsNamed(tracker: CallTracker, text: string): string {
  const items = tracker.nlu.understand(text, 'order').items.map((i) => i.name);
  return [...new Set(items)].sort().join('|');
}
