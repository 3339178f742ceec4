import type { KnowledgeEntry, MenuItem } from '@voiceroom/protocol';
import {
  bareHouseNumber,
  findAddress,
  findStreet,
  namedHouseNumber,
  restatedHouseNumber,
  restatesStreet,
} from './address.ts';
import { findEmail, findName, findPhone } from './customer.ts';
import {
  asksForMenu,
  asksForPrice,
  isAffirmative,
  isDoneOrdering,
  isGoodbye,
  isNegative,
  isQuestion,
  type SmallTalk,
  smallTalk,
  wantsHuman,
  withoutHoldPhrases,
  yesNoAnswer,
} from './intents.ts';
import { maskItemsInDetail } from './itemsInDetail.ts';
import { matchKnowledge } from './knowledge.ts';
import { MenuMatcher } from './menuMatcher.ts';
import { type Detail, namedDetail } from './namedDetail.ts';
import { isNumberPart } from './numbers.ts';
import type { OrderOp } from './order.ts';
import { parseOrder } from './orderParser.ts';
import { negativeSentiment } from './sentiment.ts';
import { findPhrase, tokenize } from './text.ts';

/** Questions about items that do not order them ("do you have wings?", "how much is a large hawaiian?"). */
const INFORMATION_QUESTIONS = [
  'do you have',
  'do you guys have',
  'do you sell',
  'do you make',
  'do you do',
  'is there',
  'are there',
  'does the',
  'does it',
  'do they',
  'is the',
  'are the',
  'is it',
  'are they',
  'what is',
  'whats',
  'what comes',
  'what about',
  'what kind',
  'which',
  'how big',
  'how many',
  'what size',
  'what sizes',
];

/**
 * What the agent last asked for: it decides how a bare answer ("large", "Maria", "yes") is read. 'yesno' is a
 * proposal of the agent's own ("Would you like a person?"), 'check' a check of what it heard ("Did you say a coke?"),
 * 'confirm' the read-back ("Shall I place the order?").
 */
export type Expectation =
  | 'order'
  | 'size'
  | 'name'
  | 'address'
  | 'phone'
  | 'confirm'
  | 'yesno'
  | 'check'
  | 'none';

/** The yes/no questions: the read-back, the agent's proposals and its checks. */
export function asksYesOrNo(expecting: Expectation): expecting is 'confirm' | 'yesno' | 'check' {
  return expecting === 'confirm' || expecting === 'yesno' || expecting === 'check';
}

/** The questions that ask for one of the caller's details. */
const DETAIL_QUESTIONS: ReadonlySet<Expectation> = new Set(['name', 'address', 'phone']);
/** This many number words are digits of a detail (a phone number heard in pieces), not one count. */
const DETAIL_DIGITS = 3;

/** What the agent asked leaves the caller free to ask something of their own in a few words. */
const OPEN_QUESTIONS: ReadonlySet<Expectation> = new Set(['order', 'none']);

export interface Understanding {
  text: string;
  words: string[];
  ops: OrderOp[];
  /** Menu items named in the utterance, in order (also for questions: "how much is the hawaiian?"). */
  items: MenuItem[];
  name: string | undefined;
  /** The name was spelled letter by letter ("s a r a h"). */
  nameSpelled: boolean;
  address: string | undefined;
  /** A house number said without its street ("the house number is ...", see namedHouseNumber and bareHouseNumber). */
  houseNumber: string | undefined;
  phone: string | undefined;
  email: string | undefined;
  /**
   * The detail the caller says they are giving or correcting ("no, the address is ...", see namedDetail; a street
   * said again, see restatesStreet).
   */
  detail: Detail | undefined;
  yes: boolean;
  no: boolean;
  doneOrdering: boolean;
  goodbye: boolean;
  wantsHuman: boolean;
  question: boolean;
  asksMenu: boolean;
  asksPrice: boolean;
  smallTalk: SmallTalk | undefined;
  /** 0 = fine; 2 or more = the caller sounds upset (see negativeSentiment). */
  upset: number;
  faq: KnowledgeEntry | undefined;
}

export interface NluOptions {
  menu: readonly MenuItem[];
  knowledge?: readonly KnowledgeEntry[];
  handoffKeywords?: readonly string[];
}

function firstPhraseAt(words: readonly string[], phrases: readonly string[]): number {
  const found = phrases.map((p) => findPhrase(words, p)).filter((i) => i >= 0);
  return found.length === 0 ? -1 : Math.min(...found);
}

/** Longer inputs are cut: a caller does not say more than this in one turn, and parsing stays linear. */
const MAX_WORDS = 400;

/** Parses one caller utterance against an agent's menu and knowledge. Pure: no state between calls. */
export class Nlu {
  readonly #matcher: MenuMatcher;
  readonly #knowledge: readonly KnowledgeEntry[];
  readonly #handoffKeywords: readonly string[];
  readonly #menuWords: ReadonlySet<string>;

  constructor(options: NluOptions) {
    this.#matcher = new MenuMatcher(options.menu);
    this.#knowledge = options.knowledge ?? [];
    this.#handoffKeywords = options.handoffKeywords ?? [];
    this.#menuWords = new Set(
      options.menu
        .flatMap((i) => [i.name, ...i.aliases, ...Object.keys(i.sizes ?? {})])
        .flatMap((n) => n.toLowerCase().split(/\s+/)),
    );
  }

  get matcher(): MenuMatcher {
    return this.#matcher;
  }

  understand(text: string, expecting: Expectation = 'none'): Understanding {
    const tokens = tokenize(text).slice(0, MAX_WORDS);
    const words = tokens.map((t) => t.norm);
    const masked = new Set<number>();
    const mask = (found: { start: number; end: number } | undefined) => {
      if (found) for (let i = found.start; i < found.end; i++) masked.add(i);
    };
    const detail = namedDetail(words) ?? (restatesStreet(tokens, this.#menuWords) ? 'address' : undefined);
    // a caller who names the address corrects it: the street alone is part of it ("no, the street is harbor road")
    const address =
      findAddress(tokens, expecting === 'address') ?? (detail === 'address' ? findStreet(tokens) : undefined);
    mask(address);
    const phone = findPhone(words, masked);
    mask(phone);
    // the address said again with its street lost still corrects the number held
    const namedNumber = address
      ? undefined
      : (namedHouseNumber(words, masked) ??
        (detail === 'address' ? restatedHouseNumber(words, masked) : undefined));
    mask(namedNumber);
    const name = findName(tokens, expecting === 'name', this.#menuWords, masked);
    mask(name);
    const email = findEmail(text, words);
    if (email) {
      for (const [i, w] of words.entries()) if (w === 'at' || w === 'dot' || email.includes(w)) masked.add(i);
    }

    const question = isQuestion(text, words);
    const asksPrice = question && asksForPrice(words);
    // A question about an item ("how much is the hawaiian?", "do you have wings?") does not order it; items ordered
    // before the question in the same breath still count ("a pepperoni, and do you have coke?").
    const askedAt = question ? firstPhraseAt(words, [...INFORMATION_QUESTIONS, 'how much', 'price of']) : -1;
    if (askedAt >= 0) for (let i = askedAt; i < words.length; i++) masked.add(i);
    // Asked a question, a number on its own answers none of them ("that's it" heard as "three"); "make it three" does.
    const parse = (hidden: ReadonlySet<number>) =>
      parseOrder(words, this.#matcher, hidden, expecting === 'none', expecting === 'size');
    const heardOrder = parse(masked);
    const detailsGiven = name !== undefined || address !== undefined || phone !== undefined;
    // Asked for a detail and given it (or digits of it), items heard inside it are ordered only when said as one.
    const givesDetail =
      detailsGiven || namedNumber !== undefined || words.filter(isNumberPart).length >= DETAIL_DIGITS;
    const insideDetail =
      DETAIL_QUESTIONS.has(expecting) && givesDetail && heardOrder.items.length > 0
        ? maskItemsInDetail(words, heardOrder.items, masked)
        : undefined;
    const order = insideDetail ? parse(insideDetail) : heardOrder;
    // Asked for an address or phone number, a bare number ("seventeen") is part of it, not a quantity.
    const detailAsked = expecting === 'address' || expecting === 'phone';
    const ops =
      detailAsked && order.items.length === 0
        ? order.ops.filter((o) => o.kind !== 'set_quantity' && o.kind !== 'increment')
        : order.ops;
    // asked about the address, a number said without a street is its house number, not a quantity
    const houseNumber =
      namedNumber ??
      (expecting === 'address' && !address && order.items.length === 0
        ? bareHouseNumber(words, masked)
        : undefined);
    // After a yes/no question a short answer is read leaning on it ("us" is a misheard "yes"); to a check of what
    // was heard, only a yes that says it was heard right is a yes ("go ahead" agrees to a proposal).
    const yesNo = expecting === 'check' ? 'check' : 'proposal';
    const answer = asksYesOrNo(expecting) && ops.length === 0 ? yesNoAnswer(words, yesNo) : undefined;
    return {
      text,
      words,
      ops,
      items:
        askedAt >= 0 ? this.#matcher.findItems(words).map((m) => m.item) : order.items.map((m) => m.item),
      name: name?.value,
      nameSpelled: name?.spelled === true,
      address: address?.value,
      houseNumber: houseNumber?.value,
      phone: phone?.value,
      email,
      detail,
      yes: answer === 'yes' || (answer === undefined && isAffirmative(words, yesNo)),
      no: answer === 'no' || (answer === undefined && isNegative(words)),
      doneOrdering: isDoneOrdering(words) && ops.length === 0,
      goodbye: isGoodbye(words),
      wantsHuman: wantsHuman(words, this.#handoffKeywords),
      question,
      asksMenu: question && asksForMenu(words),
      asksPrice,
      smallTalk: smallTalk(words),
      upset: negativeSentiment(words),
      // A few words may still be a question without its question words ("delivery?"), but not the "wait" of a
      // barge-in: that stops the agent, it does not ask how long delivery takes. Only after an open question: asked
      // for a yes, a no or a detail, a keyword without a question ("the area", of "no, the area code is ...") is a
      // misheard answer, not a detour.
      faq: question
        ? matchKnowledge(words, this.#knowledge)
        : OPEN_QUESTIONS.has(expecting) && ops.length === 0 && !detailsGiven && words.length <= 6
          ? matchKnowledge(withoutHoldPhrases(words), this.#knowledge)
          : undefined,
    };
  }
}
