import type { AgentConfig, MenuItem } from '@voiceroom/protocol';
import {
  type CallTracker,
  type CustomerDetails,
  describeLines,
  houseNumberOf,
  isDialablePhoneNumber,
  isWholePhoneNumber,
  lacksLastName,
  numberToWords,
  type Order,
  type OrderLine,
  phoneDigits,
  priceToWords,
  type SmallTalk,
  type Understanding,
} from '../nlu/index.ts';

/** The scripted agent's sentences: short, spoken style, numbers as words so any TTS voice reads them right. */

export function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function list(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** "small, medium or large" */
function orList(parts: readonly string[]): string {
  return list(parts).replace(/ and (?=[^,]*$)/, ' or ');
}

function shortName(item: MenuItem): string {
  const category = item.category?.toLowerCase();
  const words = item.name.split(' ');
  return category && words.length > 1 && words.at(-1)?.toLowerCase() === category
    ? words.slice(0, -1).join(' ')
    : item.name;
}

function pluralCategory(category: string): string {
  return category.endsWith('s') ? category : `${category}s`;
}

/** "For pizzas we have pepperoni, margherita and veggie. For drinks we have coke and lemonade." */
export function menuSentences(menu: AgentConfig['menu']): string[] {
  const byCategory = new Map<string, MenuItem[]>();
  for (const item of menu.items) {
    const key = item.category ?? '';
    byCategory.set(key, [...(byCategory.get(key) ?? []), item]);
  }
  const sentences: string[] = [];
  for (const [category, items] of byCategory) {
    const names = list(items.map(shortName));
    sentences.push(category ? `For ${pluralCategory(category)} we have ${names}.` : `We also have ${names}.`);
  }
  if (sentences.length === 0) return ["I'm sorry, I don't have the menu in front of me right now."];
  const sizes = [...new Set(menu.items.flatMap((i) => Object.keys(i.sizes ?? {})))];
  if (sizes.length > 0)
    sentences.push(`${capitalizeFirst(sizedCategory(menu) ?? 'they')} come in ${list(sizes)}.`);
  return sentences;
}

function sizedCategory(menu: AgentConfig['menu']): string | undefined {
  const category = menu.items.find((i) => i.sizes)?.category;
  return category ? pluralCategory(category) : undefined;
}

/** "Sure, which pizza would you like? We have pepperoni, margherita, hawaiian and veggie." */
export function categoryQuestion(menu: AgentConfig['menu'], category: string): string {
  const items = menu.items.filter((i) => i.category?.toLowerCase() === category);
  return `Sure, which ${category} would you like? We have ${list(items.map(shortName))}.`;
}

/** "A large veggie pizza is fifteen dollars." or every size when none was said. */
export function priceSentence(item: MenuItem, size: string | null, currency: string): string {
  const sized = size && item.sizes ? item.sizes[size] : undefined;
  if (size && sized !== undefined) return `A ${size} ${item.name} is ${priceToWords(sized, currency)}.`;
  if (item.sizes) {
    const parts = Object.entries(item.sizes).map(([s, p]) => `${priceToWords(p, currency)} for a ${s}`);
    return `The ${item.name} is ${list(parts)}.`;
  }
  return `The ${item.name} is ${priceToWords(item.price ?? 0, currency)}.`;
}

/** Knowledge, menu and price answers to what the caller asked, in that order. */
export function answers(u: Understanding, tracker: CallTracker, menu: AgentConfig['menu']): string[] {
  const sentences: string[] = [];
  if (u.faq) sentences.push(u.faq.answer);
  if (u.asksMenu) sentences.push(...menuSentences(menu));
  // "Do you have wings?": yes, and what they cost, so "I'll take one of those" can follow.
  if (u.question && !u.asksPrice && u.ops.length === 0 && u.items.length > 0) {
    for (const item of u.items)
      sentences.push(`Yes, we have ${item.name}.`, priceSentence(item, null, menu.currency));
  }
  if (!u.asksPrice) return sentences;
  const size = tracker.nlu.matcher.findSizes(u.words)[0]?.size ?? null;
  for (const item of u.items) sentences.push(priceSentence(item, size, menu.currency));
  // "how much is that?" with no item named: the order so far.
  if (u.items.length === 0 && !tracker.order.isEmpty)
    sentences.push(`Your total so far is ${priceToWords(tracker.order.total(), menu.currency)}.`);
  return sentences;
}

const SMALL_TALK: Readonly<Record<SmallTalk, string>> = {
  greeting: 'Hi there!',
  thanks: "You're welcome.",
  wait: 'Sure, take your time.',
};

export function smallTalkReply(kind: SmallTalk): string {
  return SMALL_TALK[kind];
}

/** "Thanks, Maria." when the name was asked for; "Got it, the name is Sarah Miller." for one given or corrected. */
export function acknowledgeDetails(
  before: Readonly<CustomerDetails>,
  now: Readonly<CustomerDetails>,
  stageBefore: string,
): string[] {
  const said: string[] = [];
  if (now.name && now.name !== before.name)
    said.push(
      stageBefore === 'name' && !before.name ? `Thanks, ${now.name}.` : `Got it, the name is ${now.name}.`,
    );
  if (now.address && now.address !== before.address && stageBefore !== 'address')
    said.push(`Got it, delivering to ${spokenAddress(now.address)}.`);
  return said;
}

export function acknowledgeAdded(lines: readonly OrderLine[]): string {
  return `${capitalizeFirst(describeLines(lines))}, got it.`;
}

/** A change heard that left the order as it was: said so, with what the order has, so the caller says it again. */
export function changeNotCaught(lines: readonly OrderLine[]): string {
  return `Sorry, I didn't catch the change. I have ${describeLines(lines)}.`;
}

export function acknowledgeRemoved(lines: readonly OrderLine[]): string {
  return `Okay, I've taken off the ${list(lines.map((l) => l.name))}.`;
}

export function askSize(line: OrderLine, menu: AgentConfig['menu']): string {
  const item = menu.items.find((i) => i.name === line.name);
  const sizes = Object.keys(item?.sizes ?? {});
  const what = line.quantity > 1 ? `the ${numberToWords(line.quantity)} ${line.name}s` : `the ${line.name}`;
  return `What size would you like for ${what}: ${orList(sizes)}?`;
}

/** "Apt" is for the record; the voice says "apartment". */
const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** "4622" as "four six two two": digit by digit, so that the caller can follow and correct it. */
function spokenDigits(number: string): string {
  return [...number.replace(/\D/g, '')].map((d) => DIGIT_WORDS[Number(d)]).join(' ');
}

/**
 * "555-1234" as "five five five, one two three four": digit by digit in the number's groups. A number heard with a
 * count no number has ("20125554447") in the groups of a whole one (three, three, four, then the rest), so that a
 * digit heard twice stands out in its group.
 */
function spokenPhoneNumber(phone: string): string {
  const groups = phone.includes('-') ? phone.split('-') : wholeNumberGroups(phone.replace(/\D/g, ''));
  return groups
    .map(spokenDigits)
    .filter((group) => group.length > 0)
    .join(', ');
}

function wholeNumberGroups(digits: string): string[] {
  return [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6, 10), digits.slice(10)];
}

export function spokenAddress(address: string): string {
  return address.replace(', Apt ', ', apartment ');
}

/** "4622 Harbor Road" as "four six two two Harbor Road": the house number digit by digit (see HouseNumberCheck). */
function addressByDigit(address: string): string {
  const number = houseNumberOf(address);
  return number ? `${spokenDigits(number.house)} ${spokenAddress(number.street)}` : spokenAddress(address);
}

/** The plain question for the slot the call is at ("Anything else?", "What's the delivery address?"). */
export function slotQuestion(
  stage: 'order' | 'name' | 'address' | 'phone' | 'confirm' | 'done',
  tracker: CallTracker,
  config: Pick<AgentConfig, 'menu' | 'goodbye'>,
  options: { afterProgress: boolean; spellName: boolean; phoneByDigit: boolean },
): string {
  const order = tracker.order;
  switch (stage) {
    case 'order': {
      const missing = order.lineMissingSize;
      if (missing) return askSize(missing, config.menu);
      if (order.isEmpty) return 'What would you like to order?';
      return options.afterProgress ? 'Anything else?' : 'Would you like anything else?';
    }
    case 'name':
      // still at the name with a first name held: its last name is missing (see CallStage.skipFilled)
      if (tracker.customer.name && lacksLastName(tracker.customer.name))
        return options.spellName ? 'Could you spell your last name?' : 'And your last name?';
      return options.spellName ? REPAIR_QUESTIONS.name : 'Can I get a name for the order?';
    case 'address': {
      const street = tracker.customer.address;
      return street ? `What's the house number on ${spokenAddress(street)}?` : "What's the delivery address?";
    }
    case 'phone': {
      const phone = tracker.customer.phone;
      if (!phone) return 'And a phone number, in case the driver needs to reach you?';
      if (options.phoneByDigit) return REPAIR_QUESTIONS.phone;
      return askWholePhone(phone);
    }
    case 'confirm':
      return 'Shall I place the order?';
    case 'done':
      return config.goodbye;
  }
}

/**
 * A phone number heard in part, too long or breaking the numbering plan (isDialablePhoneNumber): what was heard, read
 * out in its groups, and the whole number asked for.
 */
export function askWholePhone(phone: string): string {
  const digits = phoneDigits(phone).length;
  if (isWholePhoneNumber(phoneDigits(phone)))
    return `I don't think I heard that right: ${spokenPhoneNumber(phone)}. Could you say the phone number again, with the area code?`;
  return digits > 10
    ? `I heard ${numberToWords(digits)} digits, ${spokenPhoneNumber(phone)}. Could you say the phone number again, with the area code?`
    : `I only caught ${spokenPhoneNumber(phone)}. Could you say the whole phone number, with the area code?`;
}

/** After a size was not caught twice: the choices, said plainly. */
export function sizeChoices(line: OrderLine, sizes: readonly string[]): string {
  return `I still need the size for the ${line.name}. Which size: ${orList(sizes)}?`;
}

/** After the same question failed twice: another way to ask it. */
export const REPAIR_QUESTIONS = {
  order: 'Is that everything for your order?',
  name: 'Could you spell your name for me, letter by letter?',
  address: "What's the street address, with the house number and the street name?",
  phone: 'Please say the phone number one digit at a time, or say skip.',
  confirm: 'Just yes or no: is that all correct?',
} as const;

/** After a question failed twice and its other wording too: the offer of a person. */
export const OFFER_HUMAN = "I'm sorry this is taking a while. Would you like me to get a person to help you?";

/**
 * After an address correction was misheard twice (or heard as the address it corrected): the house number alone, as
 * a caller hears digits apart best, and the street after it in case that is what is wrong. One question, so that the
 * agent's last sentence still asks for the address (see expectationFromAgent).
 */
export const HOUSE_NUMBER_BY_DIGIT =
  'Could you say the house number one digit at a time, and then the street?';

/** After nothing was ordered twice: how an order is said ("for example, a large pepperoni pizza"). */
export function orderExample(menu: AgentConfig['menu']): string {
  const item = menu.items.find((i) => i.sizes) ?? menu.items[0];
  const size = Object.keys(item?.sizes ?? {}).at(-1);
  const example = item ? `For example, you can say a ${size ? `${size} ` : ''}${item.name}, or` : 'You can';
  return `${example} ask me what we have. What would you like?`;
}

/**
 * The read-back before confirmation, as separate sentences. The phone number is read digit by digit in its groups:
 * the caller's yes confirms it with the rest, and a digit misheard can be corrected there; one heard in part is no
 * number to confirm, and is not read (the phone question asks for the rest of it). `houseByDigit`: the
 * house number too (one the recogniser doubted, see HouseNumberCheck).
 */
export function readBack(
  order: Order,
  customer: Readonly<CustomerDetails>,
  currency: string,
  options: { houseByDigit?: boolean } = {},
): string[] {
  const forWhom = customer.name ? ` for ${customer.name}` : '';
  const address =
    customer.address && (options.houseByDigit ? addressByDigit : spokenAddress)(customer.address);
  const where = address ? `, delivered to ${address}` : '';
  return [
    `Let me read that back: ${describeLines(order.lines)}${forWhom}${where}.`,
    ...(customer.phone && isDialablePhoneNumber(phoneDigits(customer.phone))
      ? [`The driver can reach you on ${spokenPhoneNumber(customer.phone)}.`]
      : []),
    `Your total is ${priceToWords(order.total(), currency)}.`,
    'Shall I place the order?',
  ];
}

/** Said before the read-back when the phone number was not whole however it was asked for. */
export const PHONE_LEFT_OUT = "Sorry, I still couldn't get the whole phone number, so I've left it out.";

/** A co-pilot's coaching hint turned into what the agent says. */
export function hintSentence(hint: string): string {
  const text = hint.trim().replace(/[.!]+$/, '');
  let match = /^offer (?:them |the caller |the customer )?(.+)$/i.exec(text);
  if (match) return `We can also offer you ${match[1]}.`;
  match = /^(?:say|tell (?:them|the caller|the customer)(?: that)?) (.+)$/i.exec(text);
  if (match?.[1]) return `${capitalizeFirst(match[1])}.`;
  match = /^apologi[sz]e(?: for (.+))?$/i.exec(text);
  if (match) return match[1] ? `I'm sorry for ${match[1]}.` : "I'm sorry about that.";
  match = /^(?:mention|remind (?:them|the caller|the customer)(?: about| of| that)?) (.+)$/i.exec(text);
  if (match) return `By the way, ${match[1]}.`;
  match = /^ask (?:them |the caller |the customer )?(.+)$/i.exec(text);
  if (match) return `May I ask ${match[1]}?`;
  return `${capitalizeFirst(text)}.`;
}
