import type { AgentConfig } from '@voiceroom/protocol';
import {
  CallTracker,
  type Expectation,
  Hypothesis,
  type Order,
  type OrderLine,
  sameLines,
  type Understanding,
} from '../nlu/index.ts';
import type { ChatMessage, DialogChunk, DialogSession, DialogTurnInput } from '../stages/index.ts';
import { CallStage } from './CallStage.ts';
import { CoachingHints } from './CoachingHints.ts';
import { OrderChecks, UncaughtChanges, withoutRecountedLines } from './changeChecks.ts';
import { DetailCorrections } from './DetailCorrections.ts';
import { DoubtedChecks } from './DoubtedChecks.ts';
import { handoffHeard } from './handoff.ts';
import { Misunderstandings } from './Misunderstandings.ts';
import { NameRepair } from './NameRepair.ts';
import { ReadBackHearing } from './ReadBackHearing.ts';
import { type RepairMove, RepairPolicy } from './RepairPolicy.ts';
import { RepeatGuard } from './repair.ts';
import {
  acknowledgeAdded,
  acknowledgeDetails,
  acknowledgeRemoved,
  answers,
  categoryQuestion,
  changeNotCaught,
  readBack,
  slotQuestion,
  smallTalkReply,
} from './replies.ts';
import {
  carriesAnswer,
  categoryNamed,
  detailsDiffer,
  doneDespiteNoChange,
  etaAnswer,
  type HeardTurn,
  type Pending,
  type Reply,
  removedLines,
  type Stage,
  touchedLines,
} from './scriptedFacts.ts';
import { chooseTurn } from './turnHypothesis.ts';
import { UnsureDetails } from './UnsureDetails.ts';

/**
 * One call of the scripted policy (see ScriptedDialog): the slot being filled, the repair ladder and what the
 * caller said so far.
 */
export class ScriptedDialogSession implements DialogSession {
  readonly #config: AgentConfig;
  readonly #tracker: CallTracker;
  readonly #hints = new CoachingHints();
  readonly #misunderstandings: Misunderstandings;
  #userTurnsSeen = 0;
  #closed = false;
  readonly #guard = new RepeatGuard();
  #pending: Pending | undefined;
  #offeredHuman = false;
  /** Set by a repair that gives up on a slot: the reply hands the call to a person. */
  #handingOff: string | undefined;
  readonly #names = new NameRepair();
  readonly #readBacks = new ReadBackHearing();
  /** The order line the caller's last change named without changing it. */
  readonly #uncaught = new UncaughtChanges();
  readonly #checks = new OrderChecks();
  readonly #doubts = new DoubtedChecks();
  /** The recogniser's hypotheses of the turn being answered, best first, each understood once. */
  #hypotheses: readonly Hypothesis[] = [];
  readonly #repairs: RepairPolicy;
  readonly #call: CallStage;
  readonly #unsure: UnsureDetails;
  readonly #corrections: DetailCorrections;

  constructor(config: AgentConfig) {
    this.#config = config;
    this.#repairs = new RepairPolicy(config, this.#names);
    this.#misunderstandings = new Misunderstandings(config.handoff.maxMisunderstandings);
    // the greeting asks for the order
    this.#repairs.asked('order');
    this.#tracker = new CallTracker({
      menu: config.menu,
      knowledge: config.knowledge,
      handoffKeywords: config.handoff.keywords,
    });
    this.#call = new CallStage(this.#tracker, this.#names);
    this.#unsure = new UnsureDetails(this.#tracker, this.#call, this.#names);
    this.#corrections = new DetailCorrections(this.#tracker, this.#call, this.#names);
  }

  get stage(): Stage {
    return this.#call.current;
  }

  get tracker(): CallTracker {
    return this.#tracker;
  }

  async *respond(input: DialogTurnInput, signal: AbortSignal): AsyncIterable<DialogChunk> {
    if (this.#closed || signal.aborted) return;
    this.#catchUp(input);
    this.#readBacks.heard(input.unheardAsk);
    const expecting = this.#expecting();
    this.#hypotheses = Hypothesis.all(this.#tracker.nlu, [input.userText, ...(input.alternatives ?? [])]);
    const turn = chooseTurn(this.#tracker, this.#hypotheses, expecting);
    const coaching = this.#hints.take(input.hints);
    const reply = this.#replyTo(turn, input.confidence);
    if (coaching.length > 0 && !reply.handoff) reply.sentences.unshift(...coaching);
    this.#tracker.noteAgentTurn(reply.sentences.join(' '));
    this.#readBacks.said(reply.sentences);
    for (const [i, sentence] of reply.sentences.entries()) {
      // Yield to the event loop between sentences so an abort (barge-in) lands between them.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.aborted) return;
      yield { type: 'text', text: i === 0 ? sentence : ` ${sentence}` };
    }
    if (signal.aborted) return;
    if (reply.handoff) yield { type: 'handoff', reason: reply.handoff };
    if (reply.end) yield { type: 'end_call' };
  }

  /** What the agent's last question asked for: its own check (see Pending) or yes/no question if any, else the slot's. */
  #expecting(): Expectation {
    if (this.#pending) return this.#pending.heardAs ?? 'check';
    return this.#call.expectation(this.#offeredHuman);
  }

  /** A human agent's words (barge or takeover): what they added or changed for the caller is part of the order. */
  hearHuman(text: string): void {
    if (!this.#closed) this.#tracker.hearStaff(text);
  }

  /**
   * Takes the call over from a lost agent: hears the conversation so far as it went (the caller's words, the
   * agent's read-backs, a human agent's changes) without answering, then asks the question where the call stands.
   */
  resume(history: readonly ChatMessage[]): string {
    for (const message of history) {
      if (message.role === 'user') this.#hear(message.content);
      else if (message.speaker === 'human') this.hearHuman(message.content);
      else if (message.role === 'assistant') this.#tracker.noteAgentTurn(message.content);
    }
    this.#userTurnsSeen = history.filter((m) => m.role === 'user').length;
    return this.#prompt(false);
  }

  close(): void {
    this.#closed = true;
  }

  /** Caller turns this session did not answer (a human had taken over) still count: hear them silently. */
  #catchUp(input: DialogTurnInput): void {
    const userTurns = input.history.filter((m) => m.role === 'user').map((m) => m.content);
    const earlier = userTurns.at(-1) === input.userText ? userTurns.slice(0, -1) : userTurns;
    for (const text of earlier.slice(this.#userTurnsSeen)) this.#hear(text);
    this.#userTurnsSeen = earlier.length + 1;
  }

  /** `expecting`: what the agent's last question asked for (by default, as the call stands now). */
  #hear(turn: Hypothesis | string, expecting: Expectation = this.#expecting()): HeardTurn {
    const wasConfirming = this.#call.current === 'confirm';
    const linesBefore = this.#tracker.order.lines.map((l) => ({ ...l }));
    const heard = this.#tracker.hear(turn, expecting);
    const understanding = doneDespiteNoChange(heard.understanding, heard.touched, this.#tracker.order);
    // A change that left the order as it was ("make that want a small hawaiian": the number was lost) is not
    // acknowledged as if it took: the caller is asked again.
    const same = sameLines(this.#tracker.order.lines, linesBefore);
    const touched = same ? [] : heard.touched;
    if (wasConfirming && this.#readBacks.missed) this.#tracker.doubtConfirmation();
    const placed = wasConfirming && this.#tracker.confirmed;
    if (placed) this.#call.moveTo('done', false);
    this.#call.advance(understanding, expecting);
    const removed =
      touched.length > 0 ? removedLines(understanding, linesBefore, this.#tracker.order.lines) : [];
    return {
      understanding,
      placed,
      added: touched.length > 0 && removed.length === 0,
      removed,
      touched: touched.length,
      unchanged: same ? heard.touched : [],
    };
  }

  #replyTo(chosen: Hypothesis, confidence: number | undefined): Reply {
    if (this.#call.current === 'done') return { sentences: [this.#config.goodbye], end: true };
    const stageBefore = this.#call.current;
    const answersReadBack = stageBefore === 'confirm' || this.#call.askedWhatToChange;
    const customerBefore = { ...this.#tracker.customer };
    const orderBefore = this.#tracker.order.copy();
    const pending = this.#pending;
    const offeredHuman = this.#offeredHuman;
    this.#handingOff = undefined;
    // The answer is heard as one to the question asked ("Did you say Margaret?": a yes is not a yes to the read-back
    // the call would otherwise be at), before that question is cleared.
    const expecting = this.#expecting();
    this.#pending = undefined;
    this.#offeredHuman = false;
    const heard = this.#hear(chosen, expecting);
    const evidence = { chosen, confidence, hypotheses: this.#hypotheses };
    const doubted = this.#doubts.answer(pending, heard.understanding, evidence);
    if (doubted.askAgain) return { sentences: this.#applyRepair(doubted.askAgain) };
    const u = doubted.understanding;
    const handoff = handoffHeard(u, offeredHuman);
    if (handoff) return handoff;
    if (heard.placed) {
      return {
        sentences: ['Great, your order is placed.', ...etaAnswer(this.#config), this.#config.goodbye],
        end: true,
      };
    }
    if (u.goodbye && heard.touched === 0) return { sentences: [this.#config.goodbye], end: true };
    const spelling = pending ? [] : this.#unsure.spelling(stageBefore);
    const turn = { stage: stageBefore, before: customerBefore, confidence, hypotheses: this.#hypotheses };
    const unsure = this.#unsure.check(turn);
    if (unsure) {
      this.#pending = unsure.pending;
      return { sentences: [unsure.question] };
    }
    const corrected = answersReadBack && !pending && heard.touched === 0;
    const correction = corrected ? this.#corrections.heard(u, customerBefore) : undefined;
    if (correction) {
      this.#repairs.reset();
      this.#offeredHuman = correction.offerHuman === true;
      return { sentences: [...correction.say, correction.question ?? this.#prompt(true)] };
    }
    const order = this.#tracker.order;
    const check = this.#checks.check(order, orderBefore, turn, acknowledgeAdded);
    if (check && heard.removed.length === 0) {
      if (stageBefore === 'order' && this.#checks.again(check)) return this.#refusedAgain(orderBefore, u);
      this.#pending = {
        ...check.pending,
        reject: () => {
          this.#checks.refused(check);
          const said = check.pending.reject?.() ?? [];
          // at the read-back, "Sorry about that. What would you like to change?" follows (not before it was said)
          return stageBefore === 'confirm' && this.#call.reopenReadBack() ? [] : said;
        },
      };
      return { sentences: [check.question] };
    }

    const sentences: string[] = [...spelling];
    const accepted = pending !== undefined && u.yes && u.ops.length === 0;
    this.#repairs.guessRejected(pending !== undefined && u.no);
    const unanswered = pending?.onlyYesKeeps && !u.yes && u.ops.length === 0;
    if (pending?.reject && (u.no || unanswered) && !u.name) sentences.push(...pending.reject());
    if (accepted) {
      sentences.push(...pending.accept());
      this.#call.advance(u);
    }
    if (offeredHuman && u.no) {
      sentences.push("Okay, let's keep going.");
      this.#repairs.humanDeclined();
    }
    sentences.push(...answers(u, this.#tracker, this.#config.menu));
    if (sentences.length === 0 && heard.touched === 0 && u.smallTalk)
      sentences.push(smallTalkReply(u.smallTalk));
    // "I'd like a pizza": which one? Not a third time in a row (the item lost each time): a turn not understood then.
    const named = sentences.length === 0 && heard.touched === 0 ? categoryNamed(this.#tracker, u) : undefined;
    const category = named && this.#guard.unlessTwice(categoryQuestion(this.#config.menu, named));
    if (category) sentences.push(category);
    if (heard.unchanged.length > 0) sentences.push(changeNotCaught(heard.unchanged));
    const removal = this.#guessRemoval(
      stageBefore === 'confirm' ? withoutRecountedLines(heard.unchanged, u.ops) : heard.unchanged,
      u,
      orderBefore,
    );
    if (heard.removed.length > 0) sentences.push(acknowledgeRemoved(heard.removed));
    if (heard.added) sentences.push(acknowledgeAdded(touchedLines(this.#tracker.order, u)));
    // A detail given or corrected outside its own question; the read-back says it again anyway.
    if (this.#call.current !== 'confirm' || stageBefore !== 'confirm')
      sentences.push(...acknowledgeDetails(customerBefore, this.#tracker.customer, stageBefore));

    const detailsChanged = detailsDiffer(customerBefore, this.#tracker.customer);
    const understood =
      sentences.length > 0 || heard.touched > 0 || carriesAnswer(u) || this.#call.current !== stageBefore;
    const givenUp = this.#misunderstandings.heard(
      understood,
      this.#tracker.order.isEmpty || this.#call.current === 'confirm',
    );
    if (givenUp) return givenUp;
    if (removal) return { sentences: [...sentences, removal] };
    // A question of our own ("which pizza?") is the prompt already.
    if (category) {
      this.#repairs.reset();
      return { sentences };
    }
    // Progress on the question itself: an item for "anything else?", any change for the read-back, a first name for
    // the name (its last name asked next). A new question (the slot moved on) starts its own count.
    const slot = this.#call.slotKey();
    const progressed =
      accepted ||
      ((slot === 'order' || slot === 'more') && heard.touched > 0) ||
      (slot === 'name' && detailsChanged) ||
      (slot === 'confirm' && (heard.touched > 0 || detailsChanged));
    const afterProgress = accepted || heard.touched > 0 || this.#call.current !== stageBefore;
    const ask = this.#ask(u, { progressed, afterProgress, understood });
    if (!understood)
      sentences.push(chosen.text.trim() === '' ? "Sorry, I didn't catch that." : "Sorry, I didn't get that.");
    if (this.#handingOff) return { sentences: [...sentences, ...ask], handoff: this.#handingOff };
    sentences.push(...ask.slice(0, -1), this.#guard.say(ask.at(-1) ?? ''));
    return { sentences };
  }

  /** The next question, changing tack (a repair) when the caller has not got past the same one twice. */
  #ask(
    u: Understanding,
    turn: { progressed: boolean; afterProgress: boolean; understood: boolean },
  ): string[] {
    const order = this.#tracker.order;
    const missingSize = this.#call.current === 'order' ? order.lineMissingSize : undefined;
    const slot = { stage: this.#call.current, key: this.#call.slotKey(), order, missingSize };
    const { failures, repair } = this.#repairs.next(slot, turn.progressed, u, turn.understood);
    if (repair) return this.#applyRepair(repair);
    // a read-back the caller did not hear whole is read again, not just asked about
    if (this.#call.current === 'confirm' && (failures === 0 || this.#readBacks.missed))
      return this.#readBack();
    return [this.#prompt(turn.afterProgress)];
  }

  #applyRepair(repair: RepairMove): string[] {
    if (repair.pending) this.#pending = repair.pending;
    if (repair.offerHuman) this.#offeredHuman = true;
    if (repair.handoff) this.#handingOff = repair.handoff;
    const { question } = repair;
    if (question !== undefined && repair.onYes === 'finish_order')
      this.#pending = { question, accept: () => this.#finishOrdering(), heardAs: 'order' };
    if (question !== undefined) return [...repair.say, question];
    if (repair.handoff) return repair.say;
    if (repair.move === 'finish_order') this.#finishOrdering();
    if (repair.move === 'skip_name') {
      this.#names.skip();
      this.#call.skipFilled();
    }
    if (repair.move === 'skip_address') this.#call.leaveAddress();
    if (repair.move === 'skip_phone') this.#call.declinePhone();
    if (this.#call.current !== 'confirm') return [...repair.say, this.#prompt(true)];
    // Said in place of the plain "Shall I place the order?" (a change of the order after it is read back again).
    if (repair.move === 'skip_phone') this.#repairs.asked('confirm');
    return [...repair.say, ...this.#readBack()];
  }

  /**
   * A change whose check the caller refused, heard again while ordering (see OrderChecks): it is put back, and the
   * order taken as it stands rather than the same check asked again; the read-back lets the caller correct the rest.
   */
  #refusedAgain(before: Order, u: Understanding): Reply {
    const order = this.#tracker.order;
    order.restore(before);
    if (this.#call.current === 'order' && !order.isEmpty && !order.lineMissingSize) {
      this.#repairs.reset();
      const say = ["I'll take that as everything for now."];
      return { sentences: this.#applyRepair({ say, move: 'finish_order' }) };
    }
    // nothing to read back yet: a turn not understood, whose repair ladder gives an example, then offers a person
    const ask = this.#ask(u, { progressed: false, afterProgress: false, understood: false });
    const sentences = ["Sorry, I didn't get that.", ...ask];
    return this.#handingOff ? { sentences, handoff: this.#handingOff } : { sentences };
  }

  #readBack(): string[] {
    this.#readBacks.readsBack();
    this.#checks.readBack();
    const { order, customer } = this.#tracker;
    const houseByDigit = this.#unsure.readsHouseByDigit || this.#corrections.readsHouseByDigit;
    return [
      ...this.#call.takePhoneLeftOut(),
      ...readBack(order, customer, this.#config.menu.currency, { houseByDigit }),
    ];
  }

  #prompt(afterProgress: boolean): string {
    if (this.#call.takeReviewPrompt(afterProgress)) {
      return 'Sorry about that. What would you like to change?';
    }
    this.#call.notePartialDetailPrompt();
    return slotQuestion(this.#call.current, this.#tracker, this.#config, {
      afterProgress,
      spellName: this.#names.awaitingSpelling,
      phoneByDigit: this.#call.asksPhoneByDigit,
    });
  }

  /** "Did you say remove the coke?" (see UncaughtChanges.guess). */
  #guessRemoval(unchanged: readonly OrderLine[], u: Understanding, before: Order): string | undefined {
    const guess = this.#uncaught.guess(unchanged, u.ops, this.#hypotheses, before, this.#tracker.order);
    if (guess) this.#pending = guess.pending;
    return guess?.question;
  }

  #finishOrdering(): string[] {
    this.#call.moveTo('name');
    return [];
  }
}
