/**
 * The caller's side of a generated conversation as a policy: given what the agent just said, what the caller says
 * next. Keyed by what the agent asked for (the order, a size, anything else, the name, the address, the phone, a
 * confirmation), not by a fixed timeline, so a misheard answer is answered again and a loop shows as a loop.
 */
import type { Conversation, OrderLine, Utterance } from './conversation.ts';
import { spokenPhone } from './conversation.ts';

export type AgentAsk =
  | 'order'
  | 'more'
  | 'size'
  | 'name'
  | 'address'
  | 'phone'
  | 'confirm'
  | 'placed'
  | 'handoff'
  | 'goodbye'
  | 'other';

/** What the agent's reply asks for: its last question decides ("Sorry, I didn't get that. What's the address?"). */
export function classifyAgentAsk(reply: string): AgentAsk {
  const text = reply.toLowerCase();
  if (/order is placed/.test(text)) return 'placed';
  if (/(get|connect|transfer)[^.?]* (a person|someone|a human|a colleague)|let me get a person/.test(text))
    return 'handoff';
  const questions = text.split(/(?<=[?.!])\s+/).filter((s) => s.includes('?'));
  const asked = questions.at(-1) ?? '';
  if (!asked && /goodbye|bye\b/.test(text)) return 'goodbye';
  if (/place the order|is that (right|correct)|shall i|confirm/.test(asked)) return 'confirm';
  if (/what size|which size/.test(asked)) return 'size';
  if (/phone|number/.test(asked)) return 'phone';
  if (/address|deliver/.test(asked)) return 'address';
  if (/name/.test(asked)) return 'name';
  if (/anything else|what would you like to change/.test(asked)) return 'more';
  if (/order|get for you|would you like|which/.test(asked)) return 'order';
  return 'other';
}

/**
 * A loop: the agent asked the same thing and the caller answered with the same line `cap` times in a row (several
 * "Anything else?" while the caller adds items is progress, not a loop).
 */
export function isLoop(turns: readonly CallerTurn[], cap = 3): boolean {
  const key = (t: CallerTurn) => `${t.ask}: ${t.utterance.segments.join(' ')}`;
  const last = turns.slice(-cap).map(key);
  return last.length === cap && last.every((k) => k === last[0]);
}

export interface CallerTurn {
  ask: AgentAsk;
  utterance: Utterance;
  /** The caller's line right after this one talks over the agent's reply (a backchannel or a barge-in). */
  overlapNext: boolean;
}

export class ScriptedCaller {
  readonly #conversation: Conversation;
  #nextMove = 0;
  #gave = { name: false, address: false, phone: false };
  #overlapDone = false;
  #last: Utterance | undefined;

  constructor(conversation: Conversation) {
    this.#conversation = conversation;
  }

  get movesLeft(): number {
    return this.#conversation.moves.length - this.#nextMove;
  }

  /** The caller's answer to the agent's reply; undefined when the call is over (placed, handed off, goodbye). */
  answer(agentReply: string): CallerTurn | undefined {
    const ask = classifyAgentAsk(agentReply);
    if (ask === 'placed' || ask === 'handoff' || ask === 'goodbye') return undefined;
    // "Sorry, I didn't get that. What would you like to order?": say the same again, not the next thing
    const misheard = /didn't (get|catch|understand)|say that again|pardon/i.test(agentReply);
    const utterance = misheard && this.#last ? this.#last : this.#utteranceFor(ask, agentReply);
    this.#last = utterance;
    const overlapNext =
      !this.#overlapDone &&
      this.#conversation.overlap !== 'none' &&
      (ask === 'address' || (ask === 'name' && this.#conversation.nameWithAddress));
    if (overlapNext) this.#overlapDone = true;
    return { ask, utterance, overlapNext };
  }

  /** What the caller says over the agent's reply (see CallerTurn.overlapNext). */
  overlap(): Utterance {
    const c = this.#conversation;
    return c.overlap === 'barge' ? c.bargeIn.text : c.backchannel;
  }

  #utteranceFor(ask: AgentAsk, reply: string): Utterance {
    const c = this.#conversation;
    switch (ask) {
      case 'order':
      case 'more': {
        const move = c.moves[this.#nextMove];
        if (!move) return c.done;
        this.#nextMove++;
        return move.text;
      }
      case 'size':
        return plain(sizeAnswer(c, reply));
      case 'name':
        this.#gave.name = true;
        if (c.nameWithAddress)
          return this.#address(`my name is ${c.name}`, `and the address is ${c.address}`);
        return plain(c.name.length % 2 === 0 ? `my name is ${c.name}` : `it's ${c.name}`);
      case 'address':
        return this.#address(`it's ${c.address}`);
      case 'phone':
        this.#gave.phone = true;
        return plain(`my number is ${spokenPhone(c.phone)}`);
      case 'confirm':
        return c.yes;
      case 'other':
        return this.#last ?? c.moves[0]?.text ?? c.done;
    }
    return c.done;
  }

  #address(...parts: string[]): Utterance {
    const c = this.#conversation;
    this.#gave.address = true;
    const segments = [...parts];
    if (c.phoneWithAddress && !this.#gave.phone) {
      this.#gave.phone = true;
      segments.push(`my phone number is ${spokenPhone(c.phone)}`);
    }
    return { segments, pausesMs: segments.slice(1).map((_, i) => 400 + ((c.index + i) % 4) * 150) };
  }
}

function plain(text: string): Utterance {
  return { segments: [text], pausesMs: [] };
}

/** The size of the line the agent asks about ("What size would you like for the pepperoni pizza: ..."). */
function sizeAnswer(c: Conversation, reply: string): string {
  const lines: OrderLine[] = c.moves.flatMap((m) =>
    m.kind === 'add' ? m.lines : m.kind === 'swap' ? [m.to] : [],
  );
  const text = reply.toLowerCase();
  const line = lines.find((l) => l.size && text.includes(l.name)) ?? lines.find((l) => l.size);
  const size = line?.size ?? 'medium';
  return c.index % 3 === 0 ? size : c.index % 3 === 1 ? `${size} please` : `make it ${size}`;
}
