import { type CallTracker, type Expectation, numberLost } from '../nlu/index.ts';

/**
 * Which of the recogniser's hypotheses the dialog takes for a change to the order. `chosen` (the NLU's pick: the
 * first that answers the question) stands unless the change it asks for is doubtful: it would leave the order as it
 * is ("make that a lemonade" with one lemonade ordered: the caller asked for something else), or it says "a" before
 * a plural ("make that a margherita pizzas": the number was lost). Then the first other hypothesis that names the
 * same items and whose change is not doubtful is taken: the n-best list mends what the best guess lost, without
 * asking the caller again. Another item is never taken from it (that would be a guess, not a mend).
 */
export function chooseChange(
  tracker: CallTracker,
  chosen: string,
  hypotheses: readonly string[],
  expecting: Expectation,
): string {
  if (!doubtful(tracker, chosen, expecting)) return chosen;
  const items = itemsNamed(tracker, chosen);
  return (
    hypotheses.find(
      (h) => h !== chosen && itemsNamed(tracker, h) === items && !doubtful(tracker, h, expecting),
    ) ?? chosen
  );
}

function doubtful(tracker: CallTracker, text: string, expecting: Expectation): boolean {
  const change = tracker.wouldChange(text, expecting);
  return change === 'unchanged' || (change === 'changes' && numberLost(tracker.nlu, text));
}

function itemsNamed(tracker: CallTracker, text: string): string {
  const items = tracker.nlu.understand(text, 'order').items.map((i) => i.name);
  return [...new Set(items)].sort().join('|');
}
