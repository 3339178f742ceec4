import { type CallTracker, type Hypothesis, houseNumberUnsure } from '../nlu/index.ts';

/**
 * The house number of an address the recogniser was unsure of (its best hypotheses give the same street with another
 * number, or its confidence in the answer was low: houseNumberUnsure), checked in the read-back the call makes
 * anyway: read there digit by digit ("delivered to four six two two Harbor Road"), which a caller hears apart far
 * better than "four thousand six hundred twenty two" from "four thousand eight hundred twenty two". The caller's yes
 * confirms it with the rest; "no, the address is ..." corrects it there. Asked as a question of its own ("Did you
 * say four six two two Harbor Road?"), the check cost a turn, and a no and the number asked again two more: calls
 * near their end ran out of turns on it. A number the recogniser was sure of is read back as usual.
 */
export class HouseNumberCheck {
  readonly #tracker: CallTracker;
  /** The address held whose house number was doubted when it was heard. */
  #doubted: string | undefined;

  constructor(tracker: CallTracker) {
    this.#tracker = tracker;
  }

  /**
   * After a caller turn (`before`: the address held before it; `hypotheses`: the recogniser's, best first;
   * `confidence`: its confidence in the best): an address the turn gave is doubted or not (houseNumberUnsure).
   */
  heard(before: string | null, hypotheses: readonly Hypothesis[], confidence: number | undefined): void {
    const address = this.#tracker.customer.address;
    if (!address || address === before) return;
    const doubted = houseNumberUnsure(address, hypotheses, confidence);
    this.#doubted = doubted ? address : undefined;
  }

  /** Whether the read-back says the house number of the address held digit by digit. */
  get readsByDigit(): boolean {
    return this.#doubted !== undefined && this.#doubted === this.#tracker.customer.address;
  }
}
