import {
  type CallTracker,
  type CustomerDetails,
  type Detail,
  houseNumberOf,
  isDialablePhoneNumber,
  phoneDigits,
  type Understanding,
} from '../nlu/index.ts';
import type { CallStage } from './CallStage.ts';
import type { NameRepair } from './NameRepair.ts';
import { HOUSE_NUMBER_BY_DIGIT, OFFER_HUMAN, REPAIR_QUESTIONS } from './replies.ts';

const DETAILS: readonly Detail[] = ['name', 'address', 'phone'];

/** What the agent says to a correction of a detail instead of reading the order back: `question` last, if any. */
export interface CorrectionReply {
  say: string[];
  /** Without it, the question of the detail the call went back to. */
  question?: string;
  /** The question offers a person (a yes hands the call over). */
  offerHuman?: boolean;
}

/**
 * The caller's corrections of the name, address and phone number the agent read back. A correction that names the
 * detail but whose new value was not caught ("no, the address is ..." misheard) drops the value the caller said was
 * wrong and asks that detail's question again, rather than "What would you like to change?". A name or number
 * corrected a second time (heard as the agent had it or not) was misheard twice: instead of reading a third hearing
 * back, the caller is asked once for it another way (spelled; digit by digit), then the read-back follows as usual.
 * A phone number corrected to one of a count no whole number has goes back to the phone question, which reads out
 * what was heard and asks for the whole number (afresh once a call; that question gives up on it as it does): a
 * number heard in part is never read back.
 */
export class DetailCorrections {
  readonly #tracker: CallTracker;
  readonly #call: CallStage;
  readonly #names: NameRepair;
  readonly #corrected: Record<Detail, number> = { name: 0, address: 0, phone: 0 };
  /** A correction's number of the wrong count was asked for afresh (once a call). */
  #countAsked = false;
  /** The house number was asked for digit by digit (once a call), then a person offered for the address. */
  #houseAsked = false;
  #personOffered = false;

  constructor(tracker: CallTracker, call: CallStage, names: NameRepair) {
    this.#tracker = tracker;
    this.#call = call;
    this.#names = names;
  }

  /** Whether the read-back says the house number digit by digit: the caller was asked for it so. */
  get readsHouseByDigit(): boolean {
    return this.#houseAsked && houseNumberOf(this.#tracker.customer.address ?? '') !== undefined;
  }

  /** A turn answering the read-back (`before`: the details it was read with); undefined when read back as usual. */
  heard(u: Understanding, before: Readonly<CustomerDetails>): CorrectionReply | undefined {
    const now = this.#tracker.customer;
    const changed = DETAILS.filter((d) => now[d] !== null && now[d] !== before[d]);
    // "no, my name is ..." heard as the name the agent has: misheard the same way again, a correction all the same
    const restated = u.no ? u.detail : undefined;
    const again = restated && u[restated] !== undefined && !changed.includes(restated) ? [restated] : [];
    const corrected = [...changed, ...again];
    for (const detail of corrected) this.#corrected[detail]++;
    if (corrected.includes('name') && this.#corrected.name === 2 && this.#names.askSpelling()) {
      this.#call.moveTo('name', false);
      return { say: ['Sorry about that.'], question: REPAIR_QUESTIONS.name };
    }
    // "no, the address is ... harbor road", the street held heard without its number: the number is what is wrong
    const numberLost = u.detail === 'address' && u.address !== undefined && !houseNumberOf(u.address);
    // a whole address heard again wrong (a number said alone is read back: it was just said the plainest way)
    const misheardAgain = this.#corrected.address === 2 || again.includes('address');
    const whole = u.address !== undefined && !numberLost;
    if (corrected.includes('address') && whole && this.#houseAsked && !this.#personOffered) {
      this.#personOffered = true;
      return { say: ['Sorry about that.'], question: OFFER_HUMAN, offerHuman: true };
    }
    if (corrected.includes('address') && misheardAgain && whole && !this.#houseAsked) {
      this.#houseAsked = true;
      this.#tracker.forgetHouseNumber();
      this.#call.reopen('address');
      return { say: ['Sorry about that.'], question: HOUSE_NUMBER_BY_DIGIT };
    }
    if (corrected.includes('phone') && this.#corrected.phone === 2) {
      this.#call.reopen('phone');
      return { say: ['Sorry about that.'], question: REPAIR_QUESTIONS.phone };
    }
    // a number corrected to one no number is (a digit lost or heard twice, or breaking the numbering plan) is asked for again, what was heard read
    // out in its groups, rather than read back with the order as if it were the caller's: afresh the first time,
    // then on from the phone question's tries, which leave it out when they run out
    if (changed.includes('phone') && !isDialablePhoneNumber(phoneDigits(now.phone))) {
      if (this.#countAsked) this.#call.moveTo('phone');
      else this.#call.reopen('phone');
      this.#countAsked = true;
      return { say: this.#call.takePhoneLeftOut() };
    }
    const named = changed.length === 0 && u.ops.length === 0 ? u.detail : undefined;
    const streetOnly = named === 'address' && numberLost;
    if (!named || (u[named] !== undefined && !streetOnly)) return undefined;
    if (streetOnly) this.#tracker.forgetHouseNumber();
    else this.#tracker.forget(named);
    this.#call.reopen(named);
    return { say: ['Sorry about that.'] };
  }
}
