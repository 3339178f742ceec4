import type { Hypothesis, Understanding } from '../nlu/index.ts';
import type { RepairMove } from './RepairPolicy.ts';
import type { Pending } from './scriptedFacts.ts';

/** Below this recogniser confidence, a yes to a check asked in doubt that another hypothesis heard as a no is unsure. */
const SURE_YES_FROM = 0.5;

/** How a check's answer in doubt is taken: as understood, or the check asked once more (`askAgain`). */
export type DoubtedAnswer = { understanding: Understanding; askAgain?: undefined } | { askAgain: RepairMove };

/** The caller's turn as the recogniser heard it. */
export interface CheckAnswerTurn {
  /** The hypothesis the dialog took. */
  chosen: Hypothesis;
  confidence: number | undefined;
  /** Best first. */
  hypotheses: readonly Hypothesis[];
}

/**
 * The answers in doubt to the agent's checks of what it heard ("Did you say a coke?"; a Pending without heardAs): such
 * a check is asked once more, naming what it checks, and the same doubt the second time is taken as a no (the check
 * is never asked a third time in a row). In doubt are:
 * - an agreement alone ("sure", "okay", "go ahead"): a yes to a proposal, neither yes nor no to a check, and as
 *   often a "no" misheard in babble ("go ahead", bench:robustness seed 2 call 7) as a caller agreeing;
 * - a yes the recogniser was unsure of while one of its hypotheses heard a no, to a check asked because the recogniser
 *   doubted what it heard (Pending.askedInDoubt: an item new to the order that only a lower hypothesis named), a guess
 *   more often wrong than right (that call added the coke it asked about four times on a Scottish "no" heard as a yes
 *   over "no ahead"). After other checks an unsure yes is read as before: real yeses come with a no among their
 *   hypotheses too ("yes" at 0.26 over "no it's" to "Did you say a medium pepperoni pizza?", bench:dialog seed 6 call 3).
 */
export class DoubtedChecks {
  /** The check asked a second time. */
  #askedAgain: Pending | undefined;

  /** The answer `u` to `pending` (the question the caller answered, if it was one of the agent's own). */
  answer(pending: Pending | undefined, u: Understanding, turn: CheckAnswerTurn): DoubtedAnswer {
    if (pending === undefined || pending.heardAs !== undefined) return { understanding: u };
    const doubt =
      pending.askedInDoubt && unsureYes(u, turn)
        ? 'Sorry, I need a yes or a no.'
        : onlyAgrees(u, turn)
          ? 'Sorry, was that a yes?'
          : undefined;
    if (doubt === undefined) return { understanding: u };
    if (this.#askedAgain === pending) return { understanding: { ...u, yes: false, no: true } };
    this.#askedAgain = pending;
    return { askAgain: { say: [doubt], question: pending.question, pending } };
  }
}

function unsureYes(u: Understanding, { confidence, hypotheses }: CheckAnswerTurn): boolean {
  if (!u.yes || u.ops.length > 0 || confidence === undefined || confidence >= SURE_YES_FROM) return false;
  return hypotheses.some((h) => heardNo(h));
}

/** An agreement that says nothing else: read as a check's answer it is neither yes nor no, and no hypothesis heard a no. */
function onlyAgrees(u: Understanding, { chosen, hypotheses }: CheckAnswerTurn): boolean {
  if (u.yes || u.no || saysMore(u) || !chosen.understood('yesno').yes) return false;
  return !hypotheses.some((h) => heardNo(h));
}

/** A change, a detail, a question, a goodbye or a wish for a person: the turn is taken as it is. */
function saysMore(u: Understanding): boolean {
  const detail = u.name !== undefined || u.address !== undefined || u.phone !== undefined;
  return u.ops.length > 0 || detail || u.question || u.goodbye || u.wantsHuman;
}

function heardNo(h: Hypothesis): boolean {
  const heard = h.understood('check');
  return heard.no && heard.ops.length === 0;
}
