import type { CallTracker, CustomerDetails, Hypothesis } from '../nlu/index.ts';
import type { CallStage } from './CallStage.ts';
import { HouseNumberCheck } from './HouseNumberCheck.ts';
import { NameAnswers } from './NameAnswers.ts';
import type { NameRepair } from './NameRepair.ts';
import type { Pending, Stage } from './scriptedFacts.ts';

/** A caller's turn as the checks read it. */
export interface UnsureTurn {
  /** Where the call was when the turn began. */
  stage: Stage;
  /** The details held before the turn. */
  before: Pick<CustomerDetails, 'name' | 'address'>;
  /** The recogniser's confidence in its best hypothesis. */
  confidence: number | undefined;
  /** The recogniser's hypotheses of the turn, best first. */
  hypotheses: readonly Hypothesis[];
}

/**
 * The details a turn gave that the recogniser was unsure of: at the name slot a name heard with low confidence is
 * asked back before the call goes on (NameAnswers, as NameRepair has it); an address whose house number the
 * recogniser was unsure of (its best hypotheses disagree on it, or its confidence is low) is checked in the read-back,
 * its number read digit by digit, at no turn of its own (HouseNumberCheck). The answer to "Could you spell your
 * name?", which a wrong name leads to, is taken as heard.
 */
export class UnsureDetails {
  readonly #names: NameAnswers;
  readonly #nameRepair: NameRepair;
  readonly #houseNumbers: HouseNumberCheck;

  constructor(tracker: CallTracker, call: CallStage, names: NameRepair) {
    this.#names = new NameAnswers(tracker, call, names);
    this.#nameRepair = names;
    this.#houseNumbers = new HouseNumberCheck(tracker);
  }

  /** The question to ask about what `turn` gave, and what the answer does; undefined when it is taken as heard. */
  check(turn: UnsureTurn): { question: string; pending?: Pending } | undefined {
    this.#houseNumbers.heard(turn.before.address, turn.hypotheses, turn.confidence);
    return turn.stage === 'name'
      ? this.#names.check(turn.before.name, turn.confidence, turn.hypotheses)
      : undefined;
  }

  /** Whether the read-back says the house number held digit by digit (see HouseNumberCheck). */
  get readsHouseByDigit(): boolean {
    return this.#houseNumbers.readsByDigit;
  }

  /**
   * What the agent says of the answer to "Could you spell your name?" (see NameAnswers.spelled), when the turn at
   * `stage` answered it; nothing otherwise.
   */
  spelling(stage: Stage): string[] {
    return stage === 'name' && this.#nameRepair.awaitingSpelling ? this.#names.spelled() : [];
  }
}
