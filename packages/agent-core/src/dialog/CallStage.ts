import {
  type CallTracker,
  type Detail,
  type Expectation,
  isDialablePhoneNumber,
  phoneDigits,
  type Understanding,
} from '../nlu/index.ts';
import type { NameRepair } from './NameRepair.ts';
import { PHONE_LEFT_OUT } from './replies.ts';
import { declinesPhone, type Stage } from './scriptedFacts.ts';

/**
 * Where a scripted call is: the slot being filled (order, name, address, phone, the read-back, done), moved on when
 * the caller finished ordering and past every slot already filled or given up on (a name that could not be had, an
 * address left to confirm, a phone declined), and back to the order when the caller rejects the read-back.
 */
export class CallStage {
  readonly #tracker: CallTracker;
  readonly #names: NameRepair;
  #stage: Stage = 'order';
  /** The caller said the read-back was wrong: the next prompt asks what to change. */
  #reviewing = false;
  #askedWhatToChange = false;
  #phoneDeclined = false;
  #askedHouseNumber = false;
  /** How often a phone number heard in part or too long was asked for again: whole, then digit by digit. */
  #phoneAsks = 0;
  /** The phone number was not whole even said digit by digit: left out (said once, see takePhoneLeftOut). */
  #phoneLeftOut = false;
  /** The address could not be had: left for the restaurant to confirm (the caller can still give it). */
  #addressLeft = false;
  /**
   * The caller said the read-back was wrong and has changed nothing since: the question on the table is still
   * whether the read-back is right, so a return to it unchanged counts as asking it again (see slotKey).
   */
  #readBackInDoubt = false;

  constructor(tracker: CallTracker, names: NameRepair) {
    this.#tracker = tracker;
    this.#names = names;
  }

  get current(): Stage {
    return this.#stage;
  }

  /** The last prompt asked what to change in a rejected read-back: the answer still answers the read-back. */
  get askedWhatToChange(): boolean {
    return this.#askedWhatToChange;
  }

  /** Goes to `stage`; with `skipFilled`, on past the slots already filled. */
  moveTo(stage: Stage, skipFilled = true): void {
    this.#stage = stage;
    if (skipFilled) this.skipFilled();
  }

  /** The caller was correcting the read-back and the change was lost: back to the order, to ask what to change. */
  reopenReadBack(): boolean {
    if (this.#stage !== 'confirm') return false;
    this.#stage = 'order';
    this.#reviewing = true;
    return true;
  }

  /** A detail the caller corrected is asked for afresh, its question's earlier tries forgotten; on after it as usual. */
  reopen(detail: Detail): void {
    this.#stage = detail;
    this.#reviewing = false;
    this.#readBackInDoubt = false;
    if (detail === 'address') this.#askedHouseNumber = false;
    if (detail === 'phone') {
      this.#phoneAsks = 0;
      this.#phoneDeclined = false;
    }
  }

  leaveAddress(): void {
    this.#addressLeft = true;
    this.skipFilled();
  }

  declinePhone(): void {
    this.#phoneDeclined = true;
    this.skipFilled();
  }

  /** What the agent's question at this stage asks for (`yesNo`: the agent asked a yes/no question of its own). */
  expectation(yesNo: boolean): Expectation {
    if (yesNo) return 'yesno';
    if (this.#stage === 'order') return this.#tracker.order.lineMissingSize ? 'size' : 'order';
    return this.#stage === 'done' ? 'none' : this.#stage;
  }

  /**
   * The question's key for the repair ladder: the stage, or "size:<item>", "order" and "more" in the order stage;
   * "confirm" while the caller has rejected the read-back without changing anything yet ("What would you like to
   * change?" answered "nothing" is the read-back failing again, not a new question).
   */
  slotKey(): string {
    // asked again digit by digit: another question, not the same one failing a third time
    if (this.#stage === 'phone' && this.#phoneAsks >= 1 && !dialableOrNone(this.#tracker.customer.phone))
      return 'phone:digits';
    if (this.#stage !== 'order') return this.#stage;
    const missing = this.#tracker.order.lineMissingSize;
    if (missing) return `size:${missing.name}`;
    if (this.#readBackInDoubt) return 'confirm';
    return this.#tracker.order.isEmpty ? 'order' : 'more';
  }

  /** The first prompt after progress on a rejected read-back asks what to change (once; a size missing first). */
  takeReviewPrompt(afterProgress: boolean): boolean {
    if (this.#stage !== 'order' || !this.#reviewing || !afterProgress) return false;
    if (this.#tracker.order.lineMissingSize) return false;
    this.#reviewing = false;
    this.#askedWhatToChange = true;
    return true;
  }

  /**
   * The slot question is about to be asked again about a detail heard in part: the last name of a first name heard
   * alone, the house number of a street heard without one, or the whole of a phone number heard short or too long.
   */
  notePartialDetailPrompt(): void {
    if (this.#stage === 'address' && this.#tracker.customer.address) this.#askedHouseNumber = true;
    const name = this.#tracker.customer.name;
    if (this.#stage === 'name' && name && this.#names.wantsLastName(name)) this.#names.askLastName();
    if (this.#stage === 'phone' && this.#tracker.customer.phone) this.#phoneAsks++;
  }

  /** The phone question about to be asked is the digit-by-digit one (see skipFilled). */
  get asksPhoneByDigit(): boolean {
    return this.#stage === 'phone' && this.#phoneAsks >= 2;
  }

  /** What the agent says when the phone number was just left out for too many digits (once). */
  takePhoneLeftOut(): string[] {
    const leftOut = this.#phoneLeftOut;
    this.#phoneLeftOut = false;
    return leftOut ? [PHONE_LEFT_OUT] : [];
  }

  /**
   * Moves past the order stage when the caller is done, and past slots the caller already filled. `expecting`:
   * what the answer answered; a no to a yes/no question of the agent's own ("Would you like a person?") said at
   * the read-back is not a no to the read-back.
   */
  advance(u: Understanding, expecting?: Expectation): void {
    const from = this.#stage;
    const answersWhatToChange = this.#askedWhatToChange;
    this.#askedWhatToChange = false;
    const order = this.#tracker.order;
    const detail =
      u.name !== undefined || u.address !== undefined || u.houseNumber !== undefined || u.phone !== undefined;
    const rejectsReadBack = u.no && u.ops.length === 0 && !detail && !asksOfItsOwn(expecting);
    if (this.#stage === 'confirm' && rejectsReadBack) {
      this.#stage = 'order';
      this.#reviewing = true;
      this.#readBackInDoubt = true;
      return;
    }
    if (detail || u.ops.length > 0) this.#readBackInDoubt = false;
    // "no, the address is ..." after a rejected read-back, or the change said after "What would you like to
    // change?": straight back to the read-back once complete, as a change said with the no is (an "Anything else?"
    // there costs the caller a turn, and the read-back asks for any other change anyway).
    const changing = this.#reviewing || answersWhatToChange;
    if (changing && (detail || u.ops.length > 0) && !order.isEmpty && !order.lineMissingSize) {
      this.#reviewing = false;
      this.#stage = 'name';
    }
    // A line added at the read-back without its size ("no, add a hawaiian pizza"): its size is asked, then the
    // order is read back again; an order is never read back or placed with a size missing.
    if (this.#stage === 'confirm' && order.lineMissingSize) {
      this.#stage = 'order';
      this.#reviewing = true;
    }
    // A bare "no" is "nothing else" only as an answer to "anything else?", not to a yes/no question of the agent's
    // own ("Did you say fifteen wings?"); "no, that's all" is either way.
    const done = asksOfItsOwn(expecting)
      ? u.doneOrdering && u.words.length > 2
      : u.doneOrdering || (u.no && u.ops.length === 0);
    if (this.#stage === 'order' && done && !order.isEmpty && !order.lineMissingSize) {
      this.#stage = 'name';
    }
    // Only an answer to the phone question declines it (not the "no" that finished an earlier slot, nor one to
    // "Did you say Sarah Miller?" asked when the name came with the address and the call had reached the phone).
    // "no, remove the coke" said to the phone question objects to the order, it does not decline the phone.
    const answersPhone = from === 'phone' && !asksOfItsOwn(expecting);
    if (answersPhone && u.ops.length === 0 && declinesPhone(u)) this.#phoneDeclined = true;
    this.skipFilled();
  }

  skipFilled(): void {
    const customer = this.#tracker.customer;
    // A first name heard alone is asked about once more ("And your last name?").
    const named = customer.name !== null && !this.#names.wantsLastName(customer.name);
    if (this.#stage === 'name' && (named || this.#names.skipped)) this.#stage = 'address';
    // An address without a house number is asked about once more ("What's the house number on Oak Street?").
    const numbered = customer.address !== null && /^\d/.test(customer.address);
    const addressDone = customer.address && (numbered || this.#askedHouseNumber);
    if (this.#stage === 'address' && (addressDone || this.#addressLeft)) this.#stage = 'phone';
    // A phone number heard short, with a digit too many or breaking the numbering plan is asked for once more, whole
    // (see isDialablePhoneNumber), then digit by digit, and left out when that is not dialable either: a number known
    // wrong or in part is no number for the driver, so it is never read back or kept. One the caller declines to
    // finish goes the same way.
    const partial = !dialableOrNone(customer.phone);
    if (this.#stage === 'phone' && partial && (this.#phoneAsks >= 2 || this.#phoneDeclined)) {
      this.#tracker.forget('phone');
      this.#phoneLeftOut = !this.#phoneDeclined;
      this.#phoneDeclined = true;
    }
    const phoneDone = customer.phone && !partial;
    if (this.#stage === 'phone' && (phoneDone || this.#phoneDeclined)) this.#stage = 'confirm';
    // back at the read-back: its own question asks it again
    if (this.#stage !== 'order') this.#readBackInDoubt = false;
  }
}

/** No number held, or a dialable one (see isDialablePhoneNumber). */
function dialableOrNone(phone: string | null): boolean {
  return phone === null || isDialablePhoneNumber(phoneDigits(phone));
}

/** A yes/no question of the agent's own, a proposal or a check of what it heard (not the read-back's). */
function asksOfItsOwn(expecting: Expectation | undefined): boolean {
  return expecting === 'yesno' || expecting === 'check';
}
