import { COMMON_STREET_NAMES, censusNames } from '@voiceroom/agent-core/nlu';
import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import { FIRST_NAMES, LAST_NAMES, STREET_KINDS, STREET_NAMES } from './corpusWords.ts';
import { normalizeTranscript } from './normalize.ts';
import { OVER_AGENT_PHRASES } from './overAgentPhrases.ts';
import { PHONE_CLOSINGS, PHONE_LEAD_INS } from './phonePhrases.ts';
import { spell } from './spokenPrices.ts';

/** The expectations that get a model of their own ('open' is the plain domain model). */
export type Slot = Exclude<SttExpectation, 'open'>;
export const SLOTS: readonly Slot[] = ['order', 'size', 'name', 'address', 'phone', 'yesno'];

/**
 * What a caller answers to each of the agent's questions: these sentences are weighted up, on top of the whole
 * domain corpus, in the model used while the agent waits for that answer. The name slot knows the census's common
 * first and last names (and spelled names, which the agent asks for when it cannot catch one).
 */
export function buildSlotCorpora(config: Pick<AgentConfig, 'menu'>): Record<Slot, string[][]> {
  const addresses = streetAddresses();
  const phones = phoneNumbers();
  return {
    order: withOverAgent(sentences(orderAnswers(config))),
    size: withOverAgent(sentences(sizeAnswers(config))),
    name: withOverAgent(sentences(nameAnswers(addresses, phones))),
    address: withOverAgent(sentences(addressAnswers(addresses, phones))),
    phone: withOverAgent(sentences(phoneAnswers(phones))),
    yesno: withOverAgent(yesNoAnswers(detailCorrections(addresses, phones))),
  };
}

/**
 * Whole answers outweigh detail corrections this many times in tokens: a yes or no is what a read-back mostly gets.
 */
const YES_NO_OVER_CORRECTIONS = 3;

/**
 * The yes/no model's answers: after the read-back a caller says yes or no, or corrects a detail read back wrong
 * ("no, the name is ...", "the number is ..."), which a model of yes and no alone heard as menu words.
 */
function yesNoAnswers(corrections: Iterable<string>): string[][] {
  const answers = sentences(YES_NO_ANSWERS);
  const fixes = sentences(corrections);
  const times = Math.max(1, Math.ceil((YES_NO_OVER_CORRECTIONS * tokenCount(fixes)) / tokenCount(answers)));
  return [...Array.from({ length: times }, () => answers).flat(), ...fixes];
}

/** The words of a corpus' sentences, all told (what a share of a corpus is measured in). */
export function tokenCount(sentences: readonly (readonly string[])[]): number {
  return sentences.reduce((n, sentence) => n + sentence.length, 0);
}

/** How many names, addresses and numbers the corrections say: enough that the model learns "the name is" + a name. */
const CORRECTIONS_PER_DETAIL = 200;

/** A detail read back wrong, said again: the name (common census names), the address, the number or a group of it. */
function* detailCorrections(addresses: readonly string[], phones: readonly string[]): Generator<string> {
  const census = censusNames();
  for (let i = 0; i < CORRECTIONS_PER_DETAIL; i++) {
    const first = census.first[(i * 7) % census.first.length] as string;
    const last = census.last[(i * 13) % census.last.length] as string;
    yield `${CORRECTION_LEADS[i % CORRECTION_LEADS.length]} ${NAME_CORRECTIONS[i % NAME_CORRECTIONS.length]} ${first} ${last}`;
    const address = addresses[(i * 11) % addresses.length] as string;
    yield `${CORRECTION_LEADS[(i + 1) % CORRECTION_LEADS.length]} ${ADDRESS_CORRECTIONS[i % ADDRESS_CORRECTIONS.length]} ${address}`;
    const phone = (phones[i % phones.length] as string).split(' ');
    const said =
      i % 3 === 0
        ? `the last four digits are ${phone.slice(-4).join(' ')}`
        : i % 3 === 1
          ? `the area code is ${phone.slice(0, 3).join(' ')}`
          : `the number is ${phone.join(' ')}`;
    yield `${CORRECTION_LEADS[(i + 2) % CORRECTION_LEADS.length]} ${said}`;
  }
}

const CORRECTION_LEADS = ['no', 'no sorry', '', 'actually', "no that's wrong"];
const NAME_CORRECTIONS = ['the name is', 'my name is', "it's", "that's not my name it's"];
const ADDRESS_CORRECTIONS = ['the address is', "it's", 'i said', 'my address is'];

/** Share of a slot's sentences that are backchannels and stop requests (see overAgentPhrases.ts). */
const OVER_AGENT_SHARE = 0.04;

/**
 * A slot's answers and the backchannels and stop requests: the model is active while the agent speaks its question,
 * and whatever the caller says over it must come through as itself.
 */
function withOverAgent(answers: string[][]): string[][] {
  const phrases = OVER_AGENT_PHRASES.map(normalizeTranscript);
  const times = Math.max(1, Math.round((OVER_AGENT_SHARE * answers.length) / phrases.length));
  return [...answers, ...Array.from({ length: times }, () => phrases).flat()];
}

/** What callers say while they think; in every slot model, so that they are not heard as a domain word. */
export const HESITATIONS = ['um', 'uh', 'er', 'hmm'] as const;

/**
 * Every answer, every fourth one again after a hesitation ("um, my name is ..."), and every eighth a hesitation
 * alone: a caller who says "um" and pauses before answering sends it as an utterance of its own, which a model
 * that only knows "um" followed by words turns into a domain word ("tom", "bob") the agent answers.
 */
function sentences(texts: Iterable<string>): string[][] {
  const out: string[][] = [];
  let n = 0;
  for (const text of texts) {
    const words = normalizeTranscript(text);
    if (words.length === 0) continue;
    out.push(words);
    const hesitation = HESITATIONS[Math.floor(n / 4) % HESITATIONS.length] as string;
    if (n % 4 === 0) out.push([hesitation, ...words]);
    if (n % 8 === 0) out.push([hesitation]);
    n++;
  }
  return out;
}

function* orderAnswers(config: Pick<AgentConfig, 'menu'>): Generator<string> {
  let n = 0;
  for (const item of config.menu.items) {
    const sizes = Object.keys(item.sizes ?? {});
    for (const form of [item.name, ...item.aliases]) {
      for (const size of ['', ...sizes]) {
        for (const q of ['a', 'one', 'two', 'three']) {
          for (const prefix of ['', "i'd like", 'can i get', "i'll have", 'and', 'also']) {
            // The first answer of a call often opens with a greeting ("hi, can I get ...").
            const opener = n % 5 === 0 ? OPENERS[(n / 5) % OPENERS.length] : '';
            n++;
            yield `${opener} ${prefix} ${q} ${size} ${form}`;
          }
        }
      }
    }
  }
  yield* DONE_ORDERING;
}

function* sizeAnswers(config: Pick<AgentConfig, 'menu'>): Generator<string> {
  for (const item of config.menu.items) {
    for (const size of Object.keys(item.sizes ?? {})) {
      for (const template of SIZE_TEMPLATES) yield template.replace('{size}', size);
      yield `a ${size} ${item.name}`;
      yield `${size} ${item.name}`;
      for (let n = 2; n <= 5; n++) yield `${spell(n)} ${size}`;
    }
  }
}

/** Names; some said with the address (and phone number) in the same breath, as callers volunteer them. */
function* nameAnswers(addresses: readonly string[], phones: readonly string[]): Generator<string> {
  const census = censusNames();
  const first = [...new Set([...FIRST_NAMES, ...census.first])];
  const last = [...new Set([...LAST_NAMES, ...census.last])];
  for (const name of first) for (const template of NAME_TEMPLATES) yield template.replace('{name}', name);
  // Whole names: each first name with a few surnames spread over the list, so that after any first name many
  // surnames have been seen and the rest keep a fair share through the back-off (no pair is much likelier than
  // another: every surname follows about as many first names).
  for (const [i, name] of first.entries()) {
    for (let k = 0; k < NAME_PAIRS; k++) {
      const surname = last[(i * NAME_PAIRS + k * 131) % last.length] as string;
      const template = NAME_TEMPLATES[(i + k) % NAME_TEMPLATES.length] as string;
      yield template.replace('{name}', `${name} ${surname}`);
      if (k === 0 && i % 2 === 0) {
        const address = addresses[i % addresses.length] as string;
        const phone = i % 4 === 0 ? ` my phone number is ${phones[i % phones.length]}` : '';
        yield `my name is ${name} ${surname} and the address is ${address}${phone}`;
      }
    }
  }
  for (const surname of last) {
    yield surname;
    yield `my last name is ${surname}`;
    yield `the last name is ${surname}`;
  }
  // Spelled names, for when the agent asks the caller to spell: letter sequences of common names, a doubled letter
  // said both ways ("s a r a h", "a double l e n").
  for (const name of [...first.slice(0, 400), ...last.slice(0, 400)]) {
    yield spelled(name, false);
    yield `it's ${spelled(name, /(.)\1/.test(name))}`;
  }
}

/** "s a r a h"; with `doubles`, "a double l e n". */
export function spelled(name: string, doubles: boolean): string {
  const letters = name.replace(/[^a-z]/g, '').split('');
  const out: string[] = [];
  for (let i = 0; i < letters.length; i++) {
    if (doubles && letters[i + 1] === letters[i]) {
      out.push(`double ${letters[i]}`);
      i++;
    } else out.push(letters[i] as string);
  }
  return out.join(' ');
}

/** Bare street addresses: a house number, a common street name and a street kind. */
function streetAddresses(): string[] {
  const streets = [...new Set([...STREET_NAMES, ...COMMON_STREET_NAMES])];
  const out: string[] = [];
  for (const [i, street] of streets.entries()) {
    for (const [j, kind] of STREET_KINDS.entries()) {
      const n = ((i * 131 + j * 17) % 4990) + 10;
      // House numbers as said: "four thousand six hundred twelve" and "forty six twelve", "twenty nine oh three".
      out.push(`${(i + j) % 2 === 0 ? spell(n) : pairedNumber(n)} ${street} ${kind}`);
    }
  }
  return out;
}

/** Addresses; some with an apartment, some with the phone number after them. */
function* addressAnswers(addresses: readonly string[], phones: readonly string[]): Generator<string> {
  for (const [i, address] of addresses.entries()) {
    yield address;
    yield `it's ${address}`;
    if (i % 3 === 0) yield `${address} apartment ${spell((i % 20) + 1)}`;
    if (i % 4 === 1) yield `it's ${address} my phone number is ${phones[i % phones.length]}`;
  }
}

/** A house number said in pairs of digits: 4612 "forty six twelve", 2903 "twenty nine oh three", 517 "five seventeen". */
function pairedNumber(n: number): string {
  if (n < 100) return spell(n);
  const head = Math.floor(n / 100);
  const tail = n % 100;
  return `${spell(head)} ${tail === 0 ? 'hundred' : tail < 10 ? `oh ${spell(tail)}` : spell(tail)}`;
}

/** Ten-digit phone numbers as said: digit by digit, "oh" for zero as often as "zero", now and then "double five". */
function phoneNumbers(): string[] {
  const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  // A 32-bit linear congruential sequence, digits from its high bits (its low bits alternate odd and even).
  let seed = 7;
  const digit = () => {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
    return (seed >>> 16) % 10;
  };
  const out: string[] = [];
  for (let n = 0; n < 200; n++) {
    const number = Array.from({ length: 10 }, digit);
    const said: string[] = [];
    for (let i = 0; i < number.length; i++) {
      const d = number[i] as number;
      if (n % 3 === 1 && number[i + 1] === d) {
        said.push(`double ${digits[d]}`);
        i++;
      } else said.push(d === 0 && n % 2 === 0 ? 'oh' : (digits[d] as string));
    }
    out.push(said.join(' '));
  }
  return out;
}

/**
 * Phone numbers after a lead-in (one in three bare; the commonest lead-ins, first in PHONE_LEAD_INS, as often as all
 * the others) and now and then a closing (one in five), as callers say them.
 */
function* phoneAnswers(phones: readonly string[]): Generator<string> {
  let led = 0;
  for (const [n, phone] of phones.entries()) {
    const leadIn = n % 3 === 0 ? '' : phoneLeadIn(led++);
    const closing = n % 5 === 4 ? PHONE_CLOSINGS[n % PHONE_CLOSINGS.length] : '';
    yield `${leadIn} ${phone} ${closing}`.trim();
  }
  yield* ['skip', "i'd rather not", 'no phone number', 'no thanks', "i don't have one"];
}

/** The k-th lead-in said: every other one of the three commonest, the others in turn through them all. */
function phoneLeadIn(k: number): string {
  const at = k % 2 === 0 ? (k / 2) % 3 : ((k - 1) / 2) % PHONE_LEAD_INS.length;
  return PHONE_LEAD_INS[at] as string;
}

const DONE_ORDERING = [
  "that's all",
  "that's it",
  'no that is all',
  "no that's it",
  'nothing else',
  'no thanks',
  "that's everything",
];
const SIZE_TEMPLATES = [
  '{size}',
  '{size} please',
  'a {size}',
  'a {size} one',
  'make it a {size}',
  'the {size}',
];
const NAME_TEMPLATES = ['{name}', 'my name is {name}', "it's {name}", 'the name is {name}', 'this is {name}'];
const OPENERS = ['hi', 'hello', 'okay', 'great', 'alright', 'yes hi', 'hi there', 'um'];
/** Surnames seen after each first name in the name model. */
const NAME_PAIRS = 8;
const YES_NO = [
  'yes',
  'yes please',
  'yeah',
  'yep',
  'yup',
  'uh huh',
  'sure',
  'sure thing',
  'of course',
  'absolutely',
  'correct',
  'right',
  'perfect',
  'sounds good',
  'sounds great',
  'that sounds right',
  'yes that is right',
  "yes that's right",
  "yes that's correct",
  "that's right",
  "that's correct",
  "that's it",
  "that's perfect",
  'yeah go ahead',
  'yes go ahead',
  'go ahead',
  'yes place the order',
  'please do',
  'yes it is',
  'no',
  'nope',
  'nah',
  'no thanks',
  'not quite',
  'not really',
  "no that's wrong",
  "that's wrong",
  "that's not right",
  'no that is not right',
  "no that's not it",
  'no wait',
];
/** What callers answer to a yes/no question (the yes/no slot model's answers, and its grammar's). */
export const YES_NO_ANSWERS: readonly string[] = [...YES_NO, ...DONE_ORDERING];
