import { type CallTracker, type Expectation, rescoreHypotheses } from '../nlu/index.ts';
import type { CallStage } from './CallStage.ts';
import type { NameRepair } from './NameRepair.ts';
import { digitGroups, spokenAddress } from './replies.ts';
import { CONFIRM_DETAIL_BELOW, isWholePhone, type Pending } from './scriptedFacts.ts';

/** The share of the n-best hypotheses saying the same address or phone number from which it is taken unchecked. */
const AGREE_FROM = 0.6;

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

export type CheckedDetail = 'address' | 'phone';

/** Which details are whole enough to check, and how each is read back. */
const DETAILS: Readonly<
  Record<CheckedDetail, { whole(value: string): boolean; said(value: string): string }>
> = {
  // "Did you say 5 1 2, 5 5 5, 0 1 2 3?": digit by digit, in its groups
  phone: { whole: isWholePhone, said: digitGroups },
  // a street without its house number is asked about anyway (CallStage)
  address: { whole: (address) => /^\d/.test(address), said: spokenAddress },
};

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
    tracker.forget('name');
    call.moveTo('name', false);
    if (names.askSpelling()) return ['Sorry about that.'];
    names.skip();
    call.skipFilled();
    return ["Sorry about that. Let's go on without the name for now."];
  };
  return { question: `Did you say ${name}?`, pending: { accept: () => [], reject } };
}

/**
 * A whole address or phone number just heard (`before`: the one held before the turn) with low confidence, that
 * the recogniser's hypotheses do not agree on, is read back as a question instead of taken: a digit misheard is a
 * driver at the wrong door or who cannot call. A no forgets it and asks for it again (the session checks each
 * detail once a call: the answer then is taken as heard, as one misheard once is often misheard alike and checking
 * it again only loops); "no, it's ..." corrects it at once. Without n-best hypotheses (typed text) nothing is checked.
 */
export function unsureDetailCheck(
  turn: HeardTurn,
  detail: CheckedDetail,
  before: string | null,
): DetailCheck | undefined {
  const { tracker, call } = turn;
  const value = tracker.customer[detail];
  const { whole, said } = DETAILS[detail];
  if (!value || value === before || !whole(value)) return undefined;
  if (turn.confidence === undefined || turn.confidence >= CONFIRM_DETAIL_BELOW) return undefined;
  if ((agreementOn(turn, detail) ?? 1) >= AGREE_FROM) return undefined;
  const reject = () => {
    tracker.forget(detail);
    call.moveTo(detail, false);
    return ['Sorry about that.'];
  };
  return { question: `Did you say ${said(value)}?`, pending: { accept: () => [], reject } };
}
