import type { AgentConfig } from '@voiceroom/sdk/protocol';
import { CallTracker, type Expectation, priceToWords, type Understanding } from '../../nlu/index.ts';
import type { Dialog, DialogChunk, DialogSession, DialogTurnInput } from '../types.ts';
import { HANDOFFS, UPSET_SCORE } from './handoff.ts';
import {
  acknowledgeAdded,
  acknowledgeRemoved,
  askSize,
  categoryQuestion,
  hintSentence,
  menuSentences,
  priceSentence,
  readBack,
} from './replies.ts';

export interface ScriptedDialogOptions {
  config: AgentConfig;
}

/** Where the call is: the slot the agent is filling. */
type Stage = 'order' | 'name' | 'address' | 'confirm' | 'done';

interface Reply {
  sentences: string[];
  end?: boolean;
  handoff?: string;
}

/**
 * A deterministic order-taking policy driven by the agent configuration: order items (asking for missing sizes),
 * then name, then delivery address, then a read-back with the total to confirm. Answers knowledge questions and menu
 * and price questions at any point, then returns to the open slot. Works offline with no model at all.
 */
export class ScriptedDialog implements Dialog {
  readonly name = 'scripted';
  readonly #config: AgentConfig;

  constructor(options: ScriptedDialogOptions) {
    this.#config = options.config;
  }

  createSession(): DialogSession {
    return new ScriptedDialogSession(this.#config);
  }
}

export class ScriptedDialogSession implements DialogSession {
  readonly #config: AgentConfig;
  readonly #tracker: CallTracker;
  readonly #usedHints = new Set<string>();
  #stage: Stage = 'order';
  #misunderstandings = 0;
  /** The caller said the read-back was wrong: the next prompt asks what to change. */
  #reviewing = false;
  #userTurnsSeen = 0;
  #closed = false;

  constructor(config: AgentConfig) {
    this.#config = config;
    this.#tracker = new CallTracker({
      menu: config.menu,
      knowledge: config.knowledge,
      handoffKeywords: config.handoff.keywords,
    });
  }

  get stage(): Stage {
    return this.#stage;
  }

  get tracker(): CallTracker {
    return this.#tracker;
  }

  async *respond(input: DialogTurnInput, signal: AbortSignal): AsyncIterable<DialogChunk> {
    if (this.#closed || signal.aborted) return;
    this.#catchUp(input);
    const reply = this.#decide(input.userText, input.hints);
    this.#tracker.noteAgentTurn(reply.sentences.join(' '));
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

  /** A human agent's words (barge or takeover): what they added or changed for the caller is part of the order. */
  hearHuman(text: string): void {
    if (!this.#closed) this.#tracker.hearStaff(text);
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

  #expectation(): Expectation {
    if (this.#stage === 'order') return this.#tracker.order.lineMissingSize ? 'size' : 'order';
    return this.#stage === 'done' ? 'none' : this.#stage;
  }

  #hear(text: string): {
    understanding: Understanding;
    placed: boolean;
    added: boolean;
    removed: boolean;
    touched: number;
  } {
    const wasConfirming = this.#stage === 'confirm';
    const { understanding, touched } = this.#tracker.hear(text, this.#expectation());
    const placed = wasConfirming && this.#tracker.confirmed;
    if (placed) this.#stage = 'done';
    this.#advance(understanding);
    const removed = understanding.ops.some((o) => o.kind === 'remove');
    return {
      understanding,
      placed,
      added: touched.length > 0 && !removed,
      removed: touched.length > 0 && removed,
      touched: touched.length,
    };
  }

  /** Moves past the order stage when the caller is done, and past slots the caller already filled. */
  #advance(u: Understanding): void {
    const order = this.#tracker.order;
    const customer = this.#tracker.customer;
    if (this.#stage === 'confirm' && u.no && u.ops.length === 0) {
      this.#stage = 'order';
      this.#reviewing = true;
      return;
    }
    if (
      this.#stage === 'order' &&
      (u.doneOrdering || (u.no && u.ops.length === 0)) &&
      !order.isEmpty &&
      !order.lineMissingSize
    ) {
      this.#stage = 'name';
    }
    if (this.#stage === 'name' && customer.name) this.#stage = 'address';
    if (this.#stage === 'address' && customer.address) this.#stage = 'confirm';
  }

  #decide(text: string, hints: readonly string[]): Reply {
    const coaching = hints.filter((h) => !this.#usedHints.has(h));
    for (const hint of coaching) this.#usedHints.add(hint);
    const reply = this.#replyTo(text);
    if (coaching.length > 0 && !reply.handoff) reply.sentences.unshift(...coaching.map(hintSentence));
    return reply;
  }

  #replyTo(text: string): Reply {
    if (this.#stage === 'done') return { sentences: [this.#config.goodbye], end: true };
    const stageBefore = this.#stage;
    const heard = this.#hear(text);
    const u = heard.understanding;
    const handoff = u.upset >= UPSET_SCORE ? HANDOFFS.upset : u.wantsHuman ? HANDOFFS.asked : undefined;
    if (handoff) return { sentences: [handoff.text], handoff: handoff.reason };
    if (heard.placed) {
      return { sentences: ['Great, your order is placed.', ...this.#eta(), this.#config.goodbye], end: true };
    }
    if (u.goodbye && heard.touched === 0) return { sentences: [this.#config.goodbye], end: true };

    const sentences: string[] = [];
    if (u.faq) sentences.push(u.faq.answer);
    if (u.asksMenu) sentences.push(...menuSentences(this.#config.menu));
    if (u.asksPrice) {
      for (const item of u.items)
        sentences.push(priceSentence(item, sizeIn(u, this.#tracker), this.#config.menu.currency));
      // "how much is that?" with no item named: the order so far.
      if (u.items.length === 0 && !this.#tracker.order.isEmpty) {
        sentences.push(
          `Your total so far is ${priceToWords(this.#tracker.order.total(), this.#config.menu.currency)}.`,
        );
      }
    }
    if (sentences.length === 0 && heard.touched === 0 && u.smallTalk) sentences.push(SMALL_TALK[u.smallTalk]);
    // "I'd like a pizza": which one?
    const category = sentences.length === 0 && heard.touched === 0 ? this.#categoryNamed(u) : undefined;
    if (category) sentences.push(categoryQuestion(this.#config.menu, category));
    if (heard.removed) sentences.push(acknowledgeRemoved(removedLines(u)));
    if (heard.added) sentences.push(acknowledgeAdded(this.#touchedLines(u)));
    if (stageBefore === 'name' && this.#tracker.customer.name && u.name) sentences.push(`Thanks, ${u.name}.`);

    const understood =
      sentences.length > 0 ||
      heard.touched > 0 ||
      u.name ||
      u.address ||
      u.phone ||
      u.email ||
      u.yes ||
      u.no ||
      u.doneOrdering ||
      this.#stage !== stageBefore;
    if (!understood) {
      this.#misunderstandings++;
      if (this.#misunderstandings >= this.#config.handoff.maxMisunderstandings) {
        return {
          sentences: ["I'm sorry, I'm having trouble understanding. Let me get a person to help you."],
          handoff: `${this.#misunderstandings} misunderstood turns in a row`,
        };
      }
      return {
        sentences: [
          text.trim() === '' ? "Sorry, I didn't catch that." : "Sorry, I didn't get that.",
          this.#prompt(false),
        ],
      };
    }
    this.#misunderstandings = 0;
    // A question of our own ("which pizza?") is the prompt already.
    if (!category) sentences.push(...this.#nextPrompt(heard.touched > 0 || this.#stage !== stageBefore));
    return { sentences };
  }

  #touchedLines(u: Understanding) {
    const names = new Set(
      u.ops.flatMap((o) =>
        'name' in o ? [o.name] : o.kind !== 'clear' && o.target.name ? [o.target.name] : [],
      ),
    );
    const lines = this.#tracker.order.lines.filter((l) => names.has(l.name));
    return lines.length > 0 ? lines : this.#tracker.order.focus ? [this.#tracker.order.focus] : [];
  }

  #nextPrompt(progressed: boolean): string[] {
    if (this.#stage === 'confirm')
      return readBack(this.#tracker.order, this.#tracker.customer, this.#config.menu.currency);
    return [this.#prompt(progressed)];
  }

  #prompt(afterProgress: boolean): string {
    const order = this.#tracker.order;
    switch (this.#stage) {
      case 'order': {
        if (this.#reviewing && afterProgress) {
          this.#reviewing = false;
          return 'Sorry about that. What would you like to change?';
        }
        const missing = order.lineMissingSize;
        if (missing) return askSize(missing, this.#config.menu);
        if (order.isEmpty) return 'What would you like to order?';
        return afterProgress ? 'Anything else?' : 'Would you like anything else?';
      }
      case 'name':
        return 'Can I get a name for the order?';
      case 'address':
        return "What's the delivery address?";
      case 'confirm':
        return 'Shall I place the order?';
      case 'done':
        return this.#config.goodbye;
    }
  }

  #categoryNamed(u: Understanding): string | undefined {
    const matcher = this.#tracker.nlu.matcher;
    return u.words.map((_, i) => matcher.categoryAt(u.words, i)).find((c) => c !== undefined);
  }

  #eta(): string[] {
    const eta = this.#config.knowledge.find((k) =>
      k.keywords.some((w) => ['long', 'wait', 'time'].includes(w)),
    );
    return eta ? [eta.answer] : [];
  }
}

const SMALL_TALK = {
  greeting: 'Hi there!',
  thanks: "You're welcome.",
  wait: 'Sure, take your time.',
} as const;

function sizeIn(u: Understanding, tracker: CallTracker): string | null {
  const sizes = tracker.nlu.matcher.findSizes(u.words);
  return sizes[0]?.size ?? null;
}

function removedLines(u: Understanding) {
  return u.ops.flatMap((o) =>
    o.kind === 'remove' && o.target.name
      ? [{ name: o.target.name, size: o.target.size ?? null, quantity: 1 }]
      : [],
  );
}
