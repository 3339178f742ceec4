import { type CallTracker, type Hypothesis, houseNumberDoubted, houseNumberOf } from '../nlu/index.ts';
import type { CallStage } from './CallStage.ts';
import { spokenAddress, spokenDigits } from './replies.ts';
import type { Pending } from './scriptedFacts.ts';

/** A check costs the caller a turn, two or three after a no: one a call keeps the call inside its turns. */
const MAX_CHECKS = 1;

/**
 * The house number of an address just heard, checked when the recogniser doubted it: read digit by digit ("Did you
 * say four six two two Harbor Road?"), which a caller hears apart far better than "four thousand six hundred twenty
 * two" from "four thousand eight hundred twenty two". A yes keeps it; a no that says the number or the street
 * instead ("no, forty six twenty two") keeps what the caller said; a bare no drops the number and the address
 * question asks for it ("What's the house number on Harbor Road?"). An address given anew at the read-back ("no, the
 * address is ...") is checked the same way before the order is read again. One check a call (MAX_CHECKS): what is
 * heard after it is read back with the order, where the caller can still correct it. A number the recogniser agreed
 * on costs no turn.
 */
export class HouseNumberCheck {
  readonly #tracker: CallTracker;
  readonly #call: CallStage;
  #checks = 0;

  constructor(tracker: CallTracker, call: CallStage) {
    this.#tracker = tracker;
    this.#call = call;
  }

  /**
   * The check of the address the caller's turn gave (`before`: the address held before it; `hypotheses`: the
   * recogniser's, best first); undefined when the address is taken as heard.
   */
  check(
    before: string | null,
    hypotheses: readonly Hypothesis[],
  ): { question: string; pending: Pending } | undefined {
    const address = this.#tracker.customer.address;
    if (this.#checks >= MAX_CHECKS || !address || address === before) return undefined;
    const number = houseNumberOf(address);
    if (!number || !houseNumberDoubted(address, hypotheses)) return undefined;
    this.#checks++;
    // the answer answers the address question still: a no is not a no to the question the call would be at
    this.#call.reopen('address');
    const pending: Pending = {
      accept: () => [],
      reject: () => {
        // "no, forty six twenty two": the caller said what it is
        if (this.#tracker.customer.address !== address) return [];
        this.#tracker.forgetHouseNumber();
        this.#call.reopen('address');
        return ['Sorry about that.'];
      },
      heardAs: 'address',
    };
    return {
      question: `Did you say ${spokenDigits(number.house)} ${spokenAddress(number.street)}?`,
      pending,
    };
  }
}
