import type { AgentConfig } from '@voiceroom/sdk/protocol';
import { Order, type OrderLine } from './order.ts';
import { type Expectation, Nlu, type Understanding } from './understand.ts';

export interface CustomerDetails {
  name: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
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
  readonly #customer: CustomerDetails = { name: null, address: null, phone: null, email: null };
  #confirmed = false;
  #heard = 0;
  #understood = 0;

  constructor(options: TrackerOptions) {
    this.#nlu = new Nlu({
      menu: options.menu.items,
      knowledge: options.knowledge ?? [],
      handoffKeywords: options.handoffKeywords ?? [],
    });
    this.#order = new Order(options.menu.items);
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

  /** Utterances heard, and how many of them carried something understood. */
  get heard(): number {
    return this.#heard;
  }

  get understood(): number {
    return this.#understood;
  }

  /** Understands one utterance and applies it; returns the understanding and the order lines it touched. */
  hear(text: string, expecting: Expectation): { understanding: Understanding; touched: OrderLine[] } {
    const understanding = this.#nlu.understand(text, expecting);
    this.#heard++;
    const touched = this.#order.apply(understanding.ops);
    if (understanding.name) this.#customer.name = understanding.name;
    if (understanding.address) this.#customer.address = understanding.address;
    if (understanding.phone) this.#customer.phone = understanding.phone;
    if (understanding.email) this.#customer.email = understanding.email;
    if (expecting === 'confirm' && understanding.yes && understanding.ops.length === 0)
      this.#confirmed = true;
    if (understanding.ops.length > 0) this.#confirmed = false;
    const meaningful =
      touched.length > 0 ||
      understanding.name ||
      understanding.address ||
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
}

/** What an agent's (or human agent's) sentence asks the caller for, judged from its last question. */
export function expectationFromAgent(text: string): Expectation {
  const lower = text.toLowerCase();
  const lastQuestion =
    lower
      .split(/(?<=[.!?])\s+/)
      .filter((s) => s.trim())
      .at(-1) ?? lower;
  if (/\b(size|small|medium|large)\b/.test(lastQuestion) && /\b(what|which)\b/.test(lastQuestion))
    return 'size';
  if (/\bname\b/.test(lastQuestion)) return 'name';
  if (/\b(address|deliver(ed)? to|where (should|do|can|shall))\b/.test(lastQuestion)) return 'address';
  if (/\b(phone|number to reach|callback number|contact number|number)\b/.test(lastQuestion)) return 'phone';
  if (
    /\b(confirm|is that (right|correct)|shall i place|should i place|does that sound|sound right|all correct|that correct)\b/.test(
      lastQuestion,
    )
  )
    return 'confirm';
  if (/\b(anything else|what (can|would|else)|order|get for you|like to)\b/.test(lastQuestion))
    return 'order';
  return 'none';
}
