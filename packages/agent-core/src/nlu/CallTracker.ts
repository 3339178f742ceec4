import type { AgentConfig } from '@voiceroom/protocol';
import { correctedAddress, houseNumberOf } from './address.ts';
import { findPhone } from './customer.ts';
import { Hypothesis } from './Hypothesis.ts';
import { isUnsureYes } from './intents.ts';
import { asksLastName, withLastName } from './lastName.ts';
import { swapWithLostVerb } from './lostSwap.ts';
import type { Detail } from './namedDetail.ts';
import { Order, type OrderLine, type OrderOp, sameLines } from './order.ts';
import { namesOrderChange } from './orderChangeClause.ts';
import { continuePhone, correctedGroup } from './phoneGroups.ts';
import { READ_BACK, READ_BACK_ADDRESS, READ_BACK_NAME, READ_BACK_PHONE } from './readBackPhrases.ts';
import { spelledLastName, spelledWord } from './spelling.ts';
import { hasAnyPhrase, normWords } from './text.ts';
import { type Expectation, Nlu, type Understanding } from './understand.ts';

export interface CustomerDetails {
  name: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
}

/** An order as the agent read it back: its lines (priced like the live order) and the details it named. */
export interface ReadBack {
  order: Order;
  name: string | null;
  address: string | null;
  phone: string | null;
}

/**
 * What the agent last said back to the caller (its read-back, "Thanks, Maria.", "Got it, delivering to ..."), in its
 * own words rather than recognised speech; each part is dropped when the caller changes that part afterwards.
 */
export interface AgentStated {
  readBack?: ReadBack;
  name?: string;
  address?: string;
  phone?: string;
}

export interface TrackerOptions {
  menu: AgentConfig['menu'];
  knowledge?: AgentConfig['knowledge'];
  handoffKeywords?: readonly string[];
}

/**
 * Follows a call from the caller's side: every utterance updates the order and the customer's details.
 * The scripted dialog drives it live; the rules extractor replays a finished transcript through it.
 */
export class CallTracker {
  readonly #nlu: Nlu;
  readonly #order: Order;
  readonly #menuItems: TrackerOptions['menu']['items'];
  readonly #customer: CustomerDetails = { name: null, address: null, phone: null, email: null };
  #confirmed = false;
  /** The one item the agent just talked about ("a large hawaiian is sixteen dollars"), for "I'll take one of those". */
  #offered: { name: string; size: string | null } | undefined;
  /** The agent's latest read-back of the order (its own words, not recognised speech). */
  #readBack: ReadBack | undefined;
  /** The read-back the caller said yes to, until the caller changes the order again. */
  #confirmedReadBack: ReadBack | undefined;
  #stated: AgentStated = {};
  #heard = 0;
  #understood = 0;
  /** The name the previous utterance spelled as one word: the next may spell the last name. */
  #spelledFirstName: string | undefined;
  /** The agent's last question asked for the last name: a word answering it completes the first name held. */
  #lastNameAsked = false;

  constructor(options: TrackerOptions) {
    this.#nlu = new Nlu({
      menu: options.menu.items,
      knowledge: options.knowledge ?? [],
      handoffKeywords: options.handoffKeywords ?? [],
    });
    this.#order = new Order(options.menu.items);
    this.#menuItems = options.menu.items;
  }

  get nlu(): Nlu {
    return this.#nlu;
  }

  get order(): Order {
    return this.#order;
  }

  get customer(): Readonly<CustomerDetails> {
    return this.#customer;
  }

  /** Whether the caller said yes to the agent's read-back (an 'confirm' expectation). */
  get confirmed(): boolean {
    return this.#confirmed;
  }

  /** What the caller confirmed when the agent read the order back, if nothing changed since. */
  get confirmedReadBack(): ReadBack | undefined {
    return this.#confirmedReadBack;
  }

  /** The order, name and address as the agent last stated them, where the caller changed nothing since. */
  get stated(): Readonly<AgentStated> {
    return this.#stated;
  }

  /** Utterances heard, and how many of them carried something understood. */
  get heard(): number {
    return this.#heard;
  }

  get understood(): number {
    return this.#understood;
  }

  /** Remembers what the agent (or a human agent) just said, so "one of those" can refer to it. */
  noteAgentTurn(text: string): void {
    const readBack = this.#parseReadBack(text);
    this.#lastNameAsked = asksLastName(text);
    this.#readBack = readBack ?? this.#readBack;
    if (readBack) this.#stated.readBack = readBack;
    const name =
      readBack?.name ??
      AGENT_NAMES.exec(text)
        ?.slice(1)
        .find((n) => n !== undefined);
    if (name) this.#stated.name = name;
    const address = readBack?.address ?? this.#addressSaid(text);
    if (address) this.#stated.address = address;
    if (readBack?.phone) this.#stated.phone = readBack.phone;
    const words = normWords(text);
    const matcher = this.#nlu.matcher;
    const items = matcher.findItems(words);
    const first = items[0];
    if (!first || items.some((m) => m.item !== first.item)) {
      this.#offered = undefined;
      return;
    }
    this.#offered = {
      name: first.item.name,
      size: matcher.sizeFor(first.item, matcher.findSizes(words)[0]?.size ?? null),
    };
  }

  /** "r o g e r s" right after "w i l l i a m" (a pause split the spelling in two): the last name, not a new name. */
  #withSpelledLastName(u: Understanding): Understanding {
    const first = this.#spelledFirstName;
    const full =
      first !== undefined && this.#customer.name === first ? spelledLastName(first, u.words) : undefined;
    this.#spelledFirstName = full === undefined && u.name !== undefined ? spelledWord(u.words) : undefined;
    return full === undefined ? u : { ...u, name: full };
  }

  /** The caller's yes went to a read-back they never heard whole: it confirms nothing. */
  doubtConfirmation(): void {
    this.#confirmed = false;
    this.#confirmedReadBack = undefined;
  }

  /** The caller said the house number the agent checked was wrong: the street stands, without a number. */
  forgetHouseNumber(): void {
    const held = this.#customer.address;
    const street = held === null ? undefined : houseNumberOf(held)?.street;
    if (street) this.#customer.address = street;
    delete this.#stated.address;
  }

  /** The caller said the detail the agent repeated was wrong: none until the caller gives it again. */
  forget(detail: Detail): void {
    this.#customer[detail] = null;
    delete this.#stated[detail];
  }

  /**
   * Understands one utterance and applies it; returns the understanding and the order lines it touched. A turn the
   * dialog chose from the recogniser's hypotheses comes as that Hypothesis, whose reading is not parsed again.
   */
  hear(
    turn: Hypothesis | string,
    expecting: Expectation,
  ): { understanding: Understanding; touched: OrderLine[] } {
    const hypothesis = typeof turn === 'string' ? new Hypothesis(this.#nlu, turn) : turn;
    const { understood, heardAs } = this.#understandAnswer(hypothesis, expecting);
    const understanding = this.#phoneAnswer(
      this.#withSpelledLastName(this.#detailAnswer(this.#referToOffer(understood), heardAs)),
      heardAs,
    );
    this.#offered = undefined;
    this.#heard++;
    const touched = this.#order.apply(understanding.ops);
    const name = understanding.name;
    if (name)
      this.#customer.name = withLastName(this.#customer.name, name, understanding.words, this.#lastNameAsked);
    const address = correctedAddress(this.#customer.address, understanding);
    const addressChanged = address !== undefined && address !== this.#customer.address;
    if (address) this.#customer.address = address;
    if (understanding.phone) this.#customer.phone = understanding.phone;
    if (understanding.email) this.#customer.email = understanding.email;
    if (
      expecting === 'confirm' &&
      understanding.yes &&
      understanding.ops.length === 0 &&
      !asksChange(understanding)
    ) {
      this.#confirmed = true;
      this.#confirmedReadBack = this.#readBack;
    }
    if (understanding.ops.length > 0 || (expecting === 'confirm' && understanding.no)) {
      this.#confirmed = false;
      this.#confirmedReadBack = undefined;
      delete this.#stated.readBack;
    }
    if (understanding.name) delete this.#stated.name;
    if (understanding.address || addressChanged) delete this.#stated.address;
    if (understanding.phone) delete this.#stated.phone;
    const meaningful =
      touched.length > 0 ||
      understanding.name ||
      understanding.address ||
      addressChanged ||
      understanding.phone ||
      understanding.email ||
      understanding.yes ||
      understanding.no ||
      understanding.faq ||
      understanding.asksMenu ||
      understanding.goodbye;
    if (meaningful) this.#understood++;
    return { understanding, touched };
  }

  /**
   * What `turn` would do to the order if heard now, without hearing it: 'none' when it asks for no change,
   * 'unchanged' when the change it asks for would leave the order as it is, 'changes' otherwise.
   */
  wouldChange(turn: Hypothesis, expecting: Expectation): 'none' | 'unchanged' | 'changes' {
    const { ops } = this.#detailAnswer(this.#referToOffer(this.#understand(turn, expecting)), expecting);
    if (ops.length === 0) return 'none';
    const order = this.#order.copy();
    order.apply(ops);
    return sameLines(order.lines, this.#order.lines) ? 'unchanged' : 'changes';
  }

  /**
   * Asked for a name, address or phone, or saying it gives one ("no, the address is three thousand two hundred forty
   * nine market ..."), a change that names no item ("... market two large", a misheard "boulevard") is not taken: it
   * would change the line in focus behind the caller's back. Naming the item ("make the pepperoni two") still
   * changes it.
   */
  #detailAnswer(u: Understanding, expecting: Expectation): Understanding {
    if (this.#correctsDetail(u)) return { ...u, ops: [] };
    const detail = expecting === 'name' || expecting === 'address' || expecting === 'phone';
    if (!detail && u.detail === undefined) return u;
    const ops = u.ops.filter((o) => o.kind === 'clear' || namesItem(o));
    return ops.length === u.ops.length ? u : { ...u, ops };
  }

  /**
   * Once the order was read back, a turn that names a detail ("no, the address is ...", "no, my name is ...") corrects
   * that detail: items the recogniser made of its words ("... eight hundred twenty three five colas") change nothing,
   * unless the turn also names a change in a clause of its own ("... and change the pizza to large").
   */
  #correctsDetail(u: Understanding): boolean {
    return this.#readBack !== undefined && u.detail !== undefined && !namesOrderChange(u.words);
  }

  /**
   * `turn` as an answer to `expecting`; asked for the order or the read-back, a turn that says it gives a name or
   * phone number ("no, the number is ...") is heard as the answer to that question (`heardAs`): its numbers are no
   * quantities. An address is not: the address question's leniency (a street without its kind) would take a misheard
   * "... make it three colas" for one.
   */
  #understandAnswer(
    turn: Hypothesis,
    expecting: Expectation,
  ): { understood: Understanding; heardAs: Expectation } {
    const understood = this.#understand(turn, expecting);
    const named = understood.detail;
    const answers =
      (expecting === 'order' || expecting === 'confirm') && (named === 'name' || named === 'phone');
    return answers
      ? { understood: this.#understand(turn, named), heardAs: named }
      : { understood, heardAs: expecting };
  }

  /**
   * A group of the number held corrected by name ("the last four digits are ...", see correctedGroup); else, asked
   * for the phone, a digit group continues the number heard short (see continuePhone).
   */
  #phoneAnswer(u: Understanding, expecting: Expectation): Understanding {
    const group = u.phone ? undefined : correctedGroup(this.#customer.phone, u.words);
    if (group) return { ...u, phone: group, ops: u.ops.filter(namesItem) };
    if (expecting !== 'phone') return u;
    const phone = continuePhone(this.#customer.phone, u.words) ?? u.phone;
    return phone === u.phone ? u : { ...u, phone };
  }

  /**
   * A human agent's words to the caller ("I added a garlic bread for you"): the order changes they made count, the
   * rest (their own name, their questions) is not the caller's.
   */
  hearStaff(text: string): OrderLine[] {
    const { ops } = this.#nlu.understand(text, 'order');
    if (ops.length === 0) return [];
    this.#confirmed = false;
    this.#confirmedReadBack = undefined;
    return this.#order.apply(ops);
  }

  /** "Let me read that back: two large pepperoni pizzas and a coke, delivered to 12 Oak Street. Your total is..." */
  #parseReadBack(text: string): ReadBack | undefined {
    const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => !s.trim().endsWith('?'));
    // From the sentence that announces the read-back on: what the agent said before it in the same turn ("Okay,
    // I've taken off the salad.", "Three cokes, got it.") is not part of the order it reads back.
    const from = sentences.findIndex((s) => READ_BACK.test(s));
    if (from < 0) return undefined;
    const statements = sentences.slice(from).join(' ');
    const heard = this.#nlu.understand(statements, 'none');
    if (heard.ops.length === 0 || heard.ops.some((o) => o.kind !== 'add')) return undefined;
    const order = new Order(this.#menuItems);
    order.apply(heard.ops);
    const name = READ_BACK_NAME.exec(statements)?.[1] ?? null;
    const reach = READ_BACK_PHONE.exec(statements)?.[1];
    const phone = reach ? (findPhone(normWords(reach))?.value ?? null) : null;
    return { order, name, address: this.#addressSaid(statements) ?? heard.address ?? null, phone };
  }

  /**
   * The address the agent says it delivers to ("delivering to 17 Oak Street.", "delivered to 1110 Hickory."), read
   * as an answer to the address question: as the dialog took it, a street whose kind was not heard included.
   */
  #addressSaid(text: string): string | undefined {
    const said = READ_BACK_ADDRESS.exec(text)?.[1];
    return said ? this.#nlu.understand(`${said}.`, 'address').address : undefined;
  }

  /** The NLU's reading of `turn`, a swap whose verb the recogniser lost read as a swap (swapWithLostVerb). */
  #understand(turn: Hypothesis, expecting: Expectation): Understanding {
    return swapWithLostVerb(turn.understood(expecting), this.#nlu.matcher, this.#order);
  }

  #referToOffer(u: Understanding): Understanding {
    const offered = this.#offered;
    if (!offered || u.items.length > 0 || u.question || !hasAnyPhrase(u.words, OFFER_REFERENCES)) return u;
    if (this.#order.lines.some((l) => l.name === offered.name)) return u;
    const counted = u.ops.find((o) => o.kind === 'set_quantity' || o.kind === 'increment');
    const quantity = counted && 'quantity' in counted ? counted.quantity : 1;
    const ops: OrderOp[] = [
      {
        kind: 'add',
        name: offered.name,
        size: offered.size,
        quantity,
        explicitQuantity: true,
        increment: false,
      },
    ];
    return { ...u, ops };
  }
}

/** The caller's name as an agent says it: "Thanks, Maria.", "Got it, the name is Sarah Miller." (capitalised). */
const AGENT_NAMES =
  /(?:^|[.!?]\s+)Thanks, ([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})[.!]|\bthe name is ([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})[.!]/;
const OFFER_REFERENCES = [
  'of those',
  'of them',
  'of that',
  'that one',
  'take it',
  'have it',
  'take that',
  'have that',
  'take one',
  'have one',
  'get one',
  'ill do that',
  'lets do that',
];

/** A change that says which item it is about ("make the pepperoni two"), not one of the line in focus ("make that two"). */
function namesItem(op: OrderOp): boolean {
  return op.kind === 'add' || (op.kind !== 'clear' && op.target.name !== undefined);
}

const CHANGE_WORDS = new Set(['remove', 'change', 'make', 'add', 'instead', 'without', 'swap']);

/**
 * A yes to the read-back that also names a menu item or a change ("absolutely i'll have one hundred ...", "remove
 * the yes"), or an unsure one (isUnsureYes), is most likely a correction the recogniser half lost: placing the order
 * on it cannot be taken back, so it does not confirm (the read-back is asked again).
 */
function asksChange(u: Understanding): boolean {
  return u.items.length > 0 || u.words.some((w) => CHANGE_WORDS.has(w)) || isUnsureYes(u.words);
}
