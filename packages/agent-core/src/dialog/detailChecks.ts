import { type CallTracker, type Expectation, rescoreHypotheses } from '../nlu/index.ts';
import type { CallStage } from './CallStage.ts';
import type { NameRepair } from './NameRepair.ts';
import { digitGroups } from './replies.ts';
import { CONFIRM_DETAIL_BELOW, isWholePhone, type Pending } from './scriptedFacts.ts';

/** The share of the n-best hypotheses saying the same phone number from which it is taken without a check. */
const DIGITS_AGREE_FROM = 0.6;

/** What a check of a detail just heard reads of the call. */
export interface HeardTurn {
  tracker: CallTracker;
  call: CallStage;
  /** The recogniser's hypotheses of the turn, best first. */
  hypotheses: readonly string[];
  confidence: number | undefined;
}

/** A detail read back as a question ("Did you say ...?"), and what the caller's yes or no to it does. */
export interface DetailCheck {
  question: string;
  pending: Pending;
}

/** The share of the turn's hypotheses that agree on what `expecting` asks for; undefined with only one. */
function agreementOn(turn: HeardTurn, expecting: Expectation): number | undefined {
  const [best = '', ...alternatives] = turn.hypotheses;
  if (alternatives.length === 0) return undefined;
  return rescoreHypotheses(turn.tracker.nlu, best, alternatives, expecting).agreement;
}

/** A name heard with low confidence is read back as a question instead of taken as heard (see NameRepair). */
export function unsureNameCheck(
  turn: HeardTurn,
  names: NameRepair,
  before: string | null,
): DetailCheck | undefined {
  const { tracker, call } = turn;
  const name = tracker.customer.name;
  if (!name || !names.shouldCheck(name, before, turn.confidence, () => agreementOn(turn, 'name')))
    return undefined;
  const reject = () => {
    tracker.forgetName();
    call.moveTo('name', false);
    if (names.askSpelling()) return ['Sorry about that.'];
    names.skip();
    call.skipFilled();
    return ["Sorry about that. Let's go on without the name for now."];
  };
  return { question: `Did you say ${name}?`, pending: { accept: () => [], reject } };
}

/**
 * A whole phone number just heard (`before`: the one held before the turn) with low confidence, whose digits the
 * recogniser's hypotheses do not agree on, is read back digit by digit in its groups ("Did you say 5 1 2, 5 5 5,
 * 0 1 2 3?") instead of taken: a digit misheard is a driver who cannot call. A no forgets it and asks for it again
 * (the answer then is taken as heard: a number misheard once is often misheard alike, and checking it again only
 * loops); "no, it's ..." corrects it at once. Without n-best hypotheses (typed text) nothing is checked.
 */
export function unsurePhoneCheck(turn: HeardTurn, before: string | null): DetailCheck | undefined {
  const { tracker, call } = turn;
  const phone = tracker.customer.phone;
  if (!phone || phone === before || !isWholePhone(phone)) return undefined;
  if (turn.confidence === undefined || turn.confidence >= CONFIRM_DETAIL_BELOW) return undefined;
  if ((agreementOn(turn, 'phone') ?? 1) >= DIGITS_AGREE_FROM) return undefined;
  const reject = () => {
    tracker.forgetPhone();
    call.moveTo('phone', false);
    return ['Sorry about that.'];
  };
  return { question: `Did you say ${digitGroups(phone)}?`, pending: { accept: () => [], reject } };
}
