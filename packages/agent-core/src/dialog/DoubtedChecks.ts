import type { Hypothesis, Understanding } from '../nlu/index.ts';
import type { RepairMove } from './RepairPolicy.ts';
import type { Pending } from './scriptedFacts.ts';

/** Below this recogniser confidence, a yes to a check asked in doubt that another hypothesis heard as a no is unsure. */
const SURE_YES_FROM = 0.5;

/** How a doubted check's answer is taken: as understood, or the check asked once more (`askAgain`). */
export type DoubtedAnswer = { understanding: Understanding; askAgain?: undefined } | { askAgain: RepairMove };

/**
 * The answers to the checks the agent asks because the recogniser doubted what it heard (Pending.askedInDoubt: an
 * item new to the order that only a lower hypothesis named while it was unsure). Such a guess is more often wrong
 * than right, so its check stands only on a sure yes: a yes the recogniser was unsure of while one of its hypotheses
 * heard a no (bench:robustness seed 2 call 7 added the coke it asked about four times on a Scottish "no" in babble
 * heard as a yes over "no ahead") is asked once more, saying that a yes or a no is wanted, and taken as a no the
 * second time. After other questions an unsure yes is read as before: real yeses come with a no among their hypotheses too
 * ("yes" at 0.26 over "no it's" to "Did you say a medium pepperoni pizza?", bench:dialog seed 6 call 3).
 */
export class DoubtedChecks {
  /** The check asked a second time. */
  #askedAgain: Pending | undefined;

  /** The answer `u` to `pending` (the question the caller answered, if it was one of the agent's own). */
  answer(
    pending: Pending | undefined,
    u: Understanding,
    confidence: number | undefined,
    hypotheses: readonly Hypothesis[],
  ): DoubtedAnswer {
    const question = pending?.askedInDoubt;
    if (question === undefined || !unsureYes(u, confidence, hypotheses)) return { understanding: u };
    if (this.#askedAgain === pending) return { understanding: { ...u, yes: false, no: true } };
    this.#askedAgain = pending;
    return { askAgain: { say: ['Sorry, I need a yes or a no.'], question, pending } };
  }
}

function unsureYes(
  u: Understanding,
  confidence: number | undefined,
  hypotheses: readonly Hypothesis[],
): boolean {
  if (!u.yes || u.ops.length > 0 || confidence === undefined || confidence >= SURE_YES_FROM) return false;
  return hypotheses.some((h) => {
    const heard = h.understood('check');
    return heard.no && heard.ops.length === 0;
  });
}
