/**
 * The caller's side of a generated conversation as a policy: given what the agent just said, what the caller says
 * next. Keyed by what the agent asked for (the order, a size, anything else, the name, the address, the phone, a
 * confirmation), not by a fixed timeline, so a misheard answer is answered again and a loop shows as a loop.
 */

import { checkedPhrase } from '@voiceroom/agent-core/nlu';
import { CallerCorrections, DIGIT_WORDS } from './CallerCorrections.ts';
import type { Conversation, OrderLine, Utterance } from './conversation.ts';
import { describeLine, finalOrder, phoneByDigit, spokenPhone } from './conversation.ts';

export type AgentAsk =
  | 'order'
  | 'more'
  | 'size'
  | 'name'
  /** "Could you spell your name for me?" */
  | 'spell'
  | 'address'
  | 'phone'
  | 'confirm'
  /** "Did you say Sarah Miller?": the agent checks what it heard. */
  | 'check'
  /** "Sure, which pizza would you like?": the item the caller named was lost, its kind was heard. */
  | 'which'
  /** "Would you like me to get a person to help you?": an offer, not yet a handoff. */
  | 'offer'
  | 'placed'
  | 'handoff'
  | 'goodbye'
  | 'other';

/** What the agent's reply asks for: its last question decides ("Sorry, I didn't get that. What's the address?"). */
export function classifyAgentAsk(reply: string): AgentAsk {
  const text = reply.toLowerCase();
  if (/order is placed/.test(text)) return 'placed';
  // "Please say the phone number one digit at a time, or say skip." asks as a question does
  const questions = text.split(/(?<=[?.!])\s+/).filter((s) => s.includes('?') || /^please\b/.test(s));
  const asked = questions.at(-1) ?? '';
  const person = /(get|connect|transfer)[^.?]* (a person|someone|a human|a colleague)/;
  if (person.test(asked)) return 'offer';
  if (person.test(text) || /let me get a person/.test(text)) return 'handoff';
  if (!asked && /goodbye|bye\b/.test(text)) return 'goodbye';
  if (/^did you (say|mean)\b/.test(asked)) return 'check';
  if (/place the order|is that (all )?(right|correct)|shall i|confirm/.test(asked)) return 'confirm';
  if (/what size|which size/.test(asked)) return 'size';
  if (/^(sure, )?which \w+ would you like/.test(asked)) return 'which';
  // "What's the street address, with the house number ...?" asks for the address, not a phone number
  if (/address|deliver|street|house number/.test(asked)) return 'address';
  if (/phone|number/.test(asked)) return 'phone';
  if (/\bspell\b/.test(asked)) return 'spell';
  if (/name/.test(asked)) return 'name';
  if (/anything else|what else|what would you like to change/.test(asked)) return 'more';
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

/** What the caller made of the order in the agent's reply (see ScriptedCaller.answer). */
export interface HeardOrder {
  readBack?: readonly OrderLine[] | undefined;
  acknowledged?: readonly OrderLine[];
  /** The order lines the agent's check asks about ("Did you say a coke?"), when it names menu lines. */
  checked?: readonly OrderLine[] | undefined;
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
  /** The caller's turns so far, this one included. */
  #turns = 0;
  #last: Utterance | undefined;
  #lastAsk: AgentAsk | undefined;
  /** The change the caller asked for when it last said no to a read-back. */
  #rejected: string | undefined;
  /**
   * An order move the agent did not take: the caller said no to its check ("Did you say eleven cokes?"), or the agent
   * said it took only items the caller never asked for. It says it again when next asked for the order.
   */
  #lostMove: Utterance | undefined;
  /** What the caller said when last asked for the order. */
  #lastOrderMove: Utterance | undefined;
  /** Every item the caller names in the call. */
  readonly #named: ReadonlySet<string>;
  readonly #details: CallerCorrections;

  constructor(conversation: Conversation) {
    this.#conversation = conversation;
    this.#details = new CallerCorrections(conversation);
    this.#named = new Set([
      conversation.bargeIn.name,
      ...conversation.moves.flatMap((m) =>
        m.kind === 'add'
          ? m.lines.map((l) => l.name)
          : m.kind === 'swap'
            ? [m.from, m.to.name]
            : m.kind === 'faq'
              ? []
              : [m.name],
      ),
    ]);
  }

  get movesLeft(): number {
    return this.#conversation.moves.length - this.#nextMove;
  }

  /**
   * The caller's answer to the agent's reply; undefined when the call is over (placed, handed off, goodbye).
   * `heard.readBack`: the order in the reply when it reads the order back, which the caller checks before saying
   * yes; `heard.acknowledged`: the lines the reply says it took ("Seven cokes, got it."), which the caller objects to
   * when it never asked for them; `heard.checked`: the lines the agent asks it to confirm, which it says yes to
   * when it meant them.
   */
  answer(agentReply: string, heard: HeardOrder = {}): CallerTurn | undefined {
    const ask = classifyAgentAsk(agentReply);
    if (ask === 'placed' || ask === 'handoff' || ask === 'goodbye') return undefined;
    // "Sorry, I didn't get that. What would you like to order?": say the same again, not the next thing
    const misheard = /didn't (get|catch|understand)|say that again|pardon/i.test(agentReply);
    this.#turns++;
    const correcting = ask === 'confirm' && this.#details.corrected(this.#rejected);
    const again = misheard && this.#last && family(ask) === family(this.#lastAsk) && !correcting;
    const correction = ask === 'confirm' ? this.#confirmCorrection(agentReply, heard) : undefined;
    const unwanted = heard.acknowledged?.find((l) => !this.#named.has(l.name));
    // "Four margherita pizzas, got it." for "an order of chicken wings": the wings are still to be ordered
    if (heard.acknowledged?.some((l) => this.#named.has(l.name))) this.#lostMove = undefined;
    else if (unwanted) this.#lostMove = this.#lastOrderMove;
    // "What would you like to change?" after the caller said no to the read-back: the change it wanted
    const change =
      /what would you like to change/i.test(agentReply) && this.#rejected ? this.#rejected : undefined;
    const utterance =
      again && this.#last
        ? this.#last
        : correction
          ? plain(`no, ${correction}`)
          : change
            ? plain(change)
            : unwanted
              ? plain(`no, remove the ${unwanted.name}`)
              : this.#utteranceFor(ask, agentReply, heard);
    if (ask === 'confirm') this.#rejected = correction;
    if (ask === 'check' && family(this.#lastAsk) === 'order' && !this.#heardRight(agentReply, heard))
      this.#lostMove = this.#last;
    this.#last = utterance;
    this.#lastAsk = ask;
    const overlapNext =
      !this.#overlapDone &&
      this.#conversation.overlap !== 'none' &&
      (ask === 'address' || (ask === 'name' && this.#conversation.nameWithAddress));
    if (overlapNext) this.#overlapDone = true;
    return { ask, utterance, overlapNext };
  }

  /**
   * What the caller objects to when asked to confirm: the first thing wrong in the read-back, the order first (it is
   * read first); with no read-back after the caller asked for a change, the change did not take: asked again (a
   * detail in other words, and only while the caller has patience for it).
   */
  #confirmCorrection(reply: string, heard: HeardOrder): string | undefined {
    if (heard.readBack)
      return (
        readBackCorrection(heard.readBack, this.#conversation) ?? this.#details.correction(reply, this.#turns)
      );
    return this.#details.corrected(this.#rejected) ? this.#details.again(this.#turns) : this.#rejected;
  }

  #nextOrderMove(): Utterance {
    const move = this.#conversation.moves[this.#nextMove];
    if (!move) return this.#conversation.done;
    this.#nextMove++;
    return move.text;
  }

  /** What the caller says over the agent's reply (see CallerTurn.overlapNext). */
  overlap(): Utterance {
    const c = this.#conversation;
    return c.overlap === 'barge' ? c.bargeIn.text : c.backchannel;
  }

  #utteranceFor(ask: AgentAsk, reply: string, heard: HeardOrder): Utterance {
    const c = this.#conversation;
    switch (ask) {
      case 'order':
      case 'more': {
        this.#lastOrderMove = this.#lostMove ?? this.#nextOrderMove();
        this.#lostMove = undefined;
        return this.#lastOrderMove;
      }
      case 'size':
        return plain(sizeAnswer(c, reply));
      case 'name':
        this.#gave.name = true;
        if (c.nameWithAddress)
          return this.#address(`my name is ${c.name}`, `and the address is ${c.address}`);
        return plain(c.name.length % 2 === 0 ? `my name is ${c.name}` : `it's ${c.name}`);
      case 'spell':
        // letter by letter, a pause between first and last name
        return {
          segments: c.name.split(' ').map((part) => part.toUpperCase().split('').join(' ')),
          pausesMs: c.name
            .split(' ')
            .slice(1)
            .map(() => 500),
        };
      case 'address':
        // asked for the house number one digit at a time, a caller says it so, then the street
        return this.#address(`it's ${/\bdigit\b/i.test(reply) ? houseByDigit(c.address) : c.address}`);
      case 'phone':
        this.#gave.phone = true;
        // asked for it one digit at a time, a caller says it so: no pauses between its groups
        return plain(
          `my number is ${/\bdigit\b/i.test(reply) ? phoneByDigit(c.phone) : spokenPhone(c.phone)}`,
        );
      case 'confirm':
        return c.yes;
      case 'check':
        return plain(this.#heardRight(reply, heard) ? 'yes' : 'no');
      case 'offer':
        return plain("no thanks, let's keep going");
      case 'which':
        return this.#last ?? c.done;
      case 'other':
        return this.#last ?? c.moves[0]?.text ?? c.done;
    }
    return c.done;
  }

  /**
   * "Did you say X?": yes when X is what the caller last said or meant: a name, an address, a size, order lines it
   * wants (each line's item, count and, when the check says one, size, as in the order it has asked for so far or
   * means in the end; "a coke" when it meant two is not what it said), or taking off an item it wants in neither
   * ("remove the coke" with no coke meant, whenever it said it), as a person answers by what they meant, not only
   * by their last words.
   */
  #heardRight(reply: string, heard: HeardOrder): boolean {
    const guess = normal(checkedPhrase(reply) ?? '');
    if (!guess) return false;
    const c = this.#conversation;
    // the order as it asked for it so far, and as it means it in the end
    const meant = [finalOrder(c.moves.slice(0, this.#nextMove)), c.intended.items].flat();
    const removed = /^remove the (.+)$/.exec(guess)?.[1];
    if (removed) return !meant.some((l) => normal(l.name) === removed);
    if (heard.checked?.length && heard.checked.every((l) => meantLine(l, meant))) return true;
    const said = [
      this.#last?.segments.join(' ') ?? '',
      c.name,
      c.address,
      ...c.intended.items.map((l) => l.size ?? ''),
    ];
    // heard as a listener hears it: "Williamrogers" read out sounds like William Rogers
    const unspaced = guess.replace(/ /g, '');
    return said.some(
      (m) => ` ${normal(m)} `.includes(` ${guess} `) || normal(m).replace(/ /g, '') === unspaced,
    );
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

/** Whether `line` is one of the caller's: its item, its count, and its size when `line` says one. */
function meantLine(line: OrderLine, intended: readonly OrderLine[]): boolean {
  return intended.some(
    (l) =>
      l.name === line.name && l.quantity === line.quantity && (line.size === null || line.size === l.size),
  );
}

/** Asking for the order or for more is one question to the caller (its next move). */
function family(ask: AgentAsk | undefined): string | undefined {
  return ask === 'more' ? 'order' : ask;
}

const DIGIT_RUN = new RegExp(`\\b(?:${DIGIT_WORDS.join('|')})(?: (?:${DIGIT_WORDS.join('|')}))*\\b`, 'g');

/** As a listener hears it: a number read digit by digit ("four six two two") is the number (4622). */
function normal(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(DIGIT_RUN, (run) =>
      run
        .split(' ')
        .map((w) => DIGIT_WORDS.indexOf(w))
        .join(''),
    );
}

/** "2717 Monroe Drive" said with its house number digit by digit: "two seven one seven Monroe Drive". */
function houseByDigit(address: string): string {
  return address.replace(/^\d+/, (house) => [...house].map((d) => DIGIT_WORDS[Number(d)]).join(' '));
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

/**
 * What a caller says to a read-back that is not the order they meant: the first thing wrong in it, the way a
 * caller puts it ("remove the coke", "make that three cokes", "make the pepperoni pizza small", "add a coke");
 * undefined when the read-back is right.
 */
export function readBackCorrection(readBack: readonly OrderLine[], c: Conversation): string | undefined {
  const intended = c.intended.items;
  for (const want of intended) {
    const got = readBack.filter((l) => l.name === want.name);
    if (got.length === 0) return `add ${describeLine(want)}`;
    if (got.length === 1 && got[0]?.size !== want.size && want.size)
      return `make the ${want.name} ${want.size}`;
    // the item read back in two sizes: the one the caller never asked for goes ("make that three" would not say which)
    const otherSize = got.length > 1 && want.size ? got.find((l) => l.size !== want.size) : undefined;
    if (otherSize) return `remove the ${describeLine({ ...otherSize, quantity: 2 }).replace(/^two /, '')}`;
    const quantity = got.reduce((n, l) => n + l.quantity, 0);
    // "make that a coke" would add one: callers say "one" when they correct
    if (quantity !== want.quantity) return `make that ${describeLine(want, false).replace(/^an? /, 'one ')}`;
  }
  const extra = readBack.find((l) => !intended.some((w) => w.name === l.name));
  return extra ? `remove the ${extra.name}` : undefined;
}
