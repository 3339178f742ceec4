import type { Expectation, Nlu, Understanding } from './understand.ts';

/** Whether an utterance answers what the agent asked for (a name for 'name', a yes or no for 'confirm', ...). */
export function answersExpectation(u: Understanding, expecting: Expectation): boolean {
  switch (expecting) {
    case 'name':
      return u.name !== undefined;
    case 'address':
      return u.address !== undefined;
    case 'phone':
      return u.phone !== undefined;
    case 'confirm':
    case 'yesno':
      return u.yes || u.no;
    case 'size':
      return u.ops.some((o) => o.kind === 'set_size' || (o.kind === 'add' && o.size !== null));
    case 'order':
      return u.ops.length > 0 || u.doneOrdering;
    case 'none':
      return true;
  }
}

/**
 * N-best rescoring by the NLU: the recogniser's best hypothesis, unless it does not answer what the agent asked
 * and one of the next ones does ("us" heard for "yes" after "Shall I place the order?").
 */
export function chooseHypothesis(
  nlu: Nlu,
  best: string,
  alternatives: readonly string[],
  expecting: Expectation,
): string {
  if (expecting === 'none' || alternatives.length === 0) return best;
  if (answersExpectation(nlu.understand(best, expecting), expecting)) return best;
  return alternatives.find((text) => answersExpectation(nlu.understand(text, expecting), expecting)) ?? best;
}
