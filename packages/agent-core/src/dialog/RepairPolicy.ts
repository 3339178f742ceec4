import type { AgentConfig } from '@voiceroom/protocol';
import type { Order, OrderLine, OrderOp, Understanding } from '../nlu/index.ts';
import type { NameRepair } from './NameRepair.ts';
import { guessSize, QuestionLadder } from './repair.ts';
import { acknowledgeAdded, OFFER_HUMAN, orderExample, REPAIR_QUESTIONS, sizeChoices } from './replies.ts';
import { type Pending, type Stage, sizesOf } from './scriptedFacts.ts';

/**
 * What the agent does instead of asking a question plainly again. `say` comes first; without `question` the call
 * then asks where it stands after `move` (the session's own question there).
 */
export interface RepairMove {
  say: string[];
  /** The repair's own question ("Did you say medium?", "Which size: ..."). */
  question?: string;
  /** finish_order: on to the name with the order as it is; skip_*: on without that detail. */
  move?: 'finish_order' | 'skip_phone' | 'skip_name' | 'skip_address';
  /** A yes/no the repair asked about the order ("Did you say medium?"): what a yes does. */
  pending?: Pending;
  /** A yes to the repair's question makes this move ("Is that everything for your order?"). */
  onYes?: 'finish_order';
  offerHuman?: boolean;
  /** The call goes to a person, for this reason. */
  handoff?: string;
}

const DETAILS: ReadonlySet<Stage> = new Set(['address', 'phone', 'confirm']);
const NOTHING_ORDERED = "There's nothing on your order yet.";

/** Where the call is, as far as the repair policy needs to know. */
export interface SlotInFocus {
  stage: Stage;
  /** The question's key: the stage, or "size:<item>", "order" (nothing yet) and "more" in the order stage. */
  key: string;
  order: Order;
  /** The line whose size is asked for, in the order stage. */
  missingSize: OrderLine | undefined;
}

/**
 * The repair ladder of the scripted dialog: counts the asks of one question that the caller did not get past, and
 * after two changes tack instead of asking a third time: a guess confirmed explicitly ("Did you say medium?"), the
 * choices, an example, a spelled name (NameRepair), moving on where a slot can be done without (the rest of the
 * order, the phone, the name), or a person. After the caller declined a person, a question failing twice more is
 * given up on: left out when it can be, else handed to a person.
 */
export class RepairPolicy {
  readonly #config: AgentConfig;
  readonly #names: NameRepair;
  readonly #ladder = new QuestionLadder();
  #humanDeclined = false;
  /** The caller said no to "Did you say medium?": the choices come next. */
  #guessRejected = false;

  constructor(config: AgentConfig, names: NameRepair) {
    this.#config = config;
    this.#names = names;
  }

  /** The caller said no to a person: what fails again after this is given up on, not offered round again. */
  humanDeclined(): void {
    this.#humanDeclined = true;
  }

  guessRejected(rejected: boolean): void {
    this.#guessRejected = rejected;
  }

  /** The agent asks a question of its own ("which pizza?"), or moved the call on: a fresh count. */
  reset(): void {
    this.#ladder.reset();
  }

  /** The question `key` was just asked afresh (the greeting's, the read-back after skipping the phone). */
  asked(key: string): void {
    this.#ladder.step(key, true);
  }

  /**
   * The agent is about to ask `slot.key` again (`progressed`: the caller's answer got somewhere with it;
   * `understood`: it was understood at all): how many asks in a row failed, and the repair to make instead of
   * asking plainly (undefined: ask plainly).
   */
  next(
    slot: SlotInFocus,
    progressed: boolean,
    u: Understanding,
    understood: boolean,
  ): { failures: number; repair?: RepairMove } {
    const failures = this.#ladder.step(slot.key, progressed);
    const repair =
      DETAILS.has(slot.stage) || slot.key === 'confirm'
        ? this.#detailRepair(slot, failures, understood)
        : slot.key === 'order'
          ? this.#firstOrderRepair(slot, failures, understood, u.doneOrdering)
          : failures >= 2
            ? this.#repair(slot, u, failures)
            : undefined;
    return repair ? { failures, repair } : { failures };
  }

  /**
   * The address, the phone and the read-back are asked twice at most (the second time in other words when the
   * answer was not understood at all): then the phone is gone without, and for the address and the read-back a
   * person is offered; when the caller would rather go on, the address is left for the restaurant to confirm and a
   * read-back still not agreed goes to a person.
   */
  #detailRepair(slot: SlotInFocus, failures: number, understood: boolean): RepairMove | undefined {
    // the read-back in doubt is asked about in the order stage ("What would you like to change?")
    const stage = slot.key === 'confirm' ? 'confirm' : (slot.stage as 'address' | 'phone');
    if (failures === 0) return undefined;
    // The caller would rather go on than talk to a person: no second round of the same asks.
    if (this.#humanDeclined && stage === 'address') {
      this.#ladder.reset();
      return {
        say: ["I'll note what I have, and we'll confirm the address with you."],
        move: 'skip_address',
      };
    }
    if (failures === 1)
      return stage === 'confirm' || understood ? undefined : { say: [], question: REPAIR_QUESTIONS[stage] };
    if (stage === 'phone')
      return { say: ["No problem, we'll go without a phone number."], move: 'skip_phone' };
    if (this.#humanDeclined) return this.#giveUp(slot);
    this.#ladder.reset();
    return { say: [], question: OFFER_HUMAN, offerHuman: true };
  }

  /**
   * Nothing ordered yet (the greeting is the first ask): a turn not understood at all gets an example of how to
   * order, a second one the offer of a person (then a person, once declined); small talk and questions are answered
   * and asked on plainly. "That's everything" (`done`) with nothing ordered (its items misheard and taken off) gets
   * the same ladder, told at once that the order is empty: asked plainly, it is said again and again.
   */
  #firstOrderRepair(
    slot: SlotInFocus,
    failures: number,
    understood: boolean,
    done: boolean,
  ): RepairMove | undefined {
    const example = { say: done ? [NOTHING_ORDERED] : [], question: orderExample(this.#config.menu) };
    if (failures === 0 || (understood && !done)) return done ? example : undefined;
    if (failures === 1) return example;
    if (this.#humanDeclined) return this.#giveUp(slot);
    this.#ladder.reset();
    return { say: [], question: OFFER_HUMAN, offerHuman: true };
  }

  #repair(slot: SlotInFocus, u: Understanding, failures: number): RepairMove | undefined {
    const { stage, order, missingSize: missing } = slot;
    if (failures >= 3 && stage === 'order' && !missing && !order.isEmpty) {
      this.#ladder.reset();
      return { say: ["I'll take that as everything for now."], move: 'finish_order' };
    }
    // A rejected guess ("Did you say medium?" "no") gets the choices before a person is offered.
    if (failures === 3 && missing && this.#guessRejected) {
      this.#guessRejected = false;
      return { say: [], question: sizeChoices(missing, sizesOf(this.#config, missing.name)) };
    }
    if (failures >= 2 && this.#humanDeclined) return this.#giveUp(slot);
    if (failures >= 3) {
      this.#ladder.reset();
      return { say: [], question: OFFER_HUMAN, offerHuman: true };
    }
    if (missing) return this.#sizeGuess(missing, u.words, order);
    if (stage === 'order') return { say: [], question: REPAIR_QUESTIONS.order, onYes: 'finish_order' };
    if (stage === 'name')
      return this.#names.askSpelling() ? { say: [], question: REPAIR_QUESTIONS.name } : this.#giveUp(slot);
    return stage === 'done' ? undefined : { say: [], question: REPAIR_QUESTIONS[stage] };
  }

  /** "Did you say medium?" when one size is close to what was heard, else the choices. */
  #sizeGuess(missing: OrderLine, words: readonly string[], order: Order): RepairMove {
    const sizes = sizesOf(this.#config, missing.name);
    const guess = guessSize(words, sizes);
    if (!guess) return { say: [], question: sizeChoices(missing, sizes) };
    const set: OrderOp = { kind: 'set_size', target: { name: missing.name }, size: guess };
    const question = `Did you say ${guess}?`;
    return { say: [], question, pending: { question, accept: () => [acknowledgeAdded(order.apply([set]))] } };
  }

  /**
   * A question still failing after the caller declined a person: the name is left out (the caller can still give
   * it any time), anything else goes to a person rather than round the same questions again.
   */
  #giveUp(slot: SlotInFocus): RepairMove {
    this.#ladder.reset();
    if (slot.stage === 'name') return { say: ["Let's go on without the name for now."], move: 'skip_name' };
    return {
      say: ["I'm sorry, I'm not getting this right. Let me get a person to help you. One moment please."],
      handoff: `the ${slot.key} question failed again after the caller declined a person`,
    };
  }
}
