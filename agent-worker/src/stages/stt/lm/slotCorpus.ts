import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import { censusNames } from './censusNames.ts';
import { FIRST_NAMES, LAST_NAMES, STREET_KINDS, STREET_NAMES } from './corpusWords.ts';
import { normalizeTranscript } from './normalize.ts';
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
  return {
    order: sentences(orderAnswers(config)),
    size: sentences(sizeAnswers(config)),
    name: sentences(nameAnswers()),
    address: sentences(addressAnswers()),
    phone: sentences(phoneAnswers()),
    yesno: sentences([...YES_NO, ...DONE_ORDERING]),
  };
}

function sentences(texts: Iterable<string>): string[][] {
  const out: string[][] = [];
  for (const text of texts) {
    const words = normalizeTranscript(text);
    if (words.length > 0) out.push(words);
  }
  return out;
}

function* orderAnswers(config: Pick<AgentConfig, 'menu'>): Generator<string> {
  for (const item of config.menu.items) {
    const sizes = Object.keys(item.sizes ?? {});
    for (const form of [item.name, ...item.aliases]) {
      for (const size of ['', ...sizes]) {
        for (const q of ['a', 'one', 'two', 'three']) {
          for (const prefix of ['', "i'd like", 'can i get', "i'll have", 'and', 'also']) {
            yield `${prefix} ${q} ${size} ${form}`;
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

function* nameAnswers(): Generator<string> {
  const census = censusNames();
  const first = [...new Set([...FIRST_NAMES, ...census.first])];
  const last = [...new Set([...LAST_NAMES, ...census.last])];
  // First and last names are not paired in sentences: a seen pair ("gloria conner") would beat every unseen one by
  // far; apart, any surname may follow any first name (through the back-off), each as likely as the next.
  for (const name of first) for (const template of NAME_TEMPLATES) yield template.replace('{name}', name);
  for (const surname of last) {
    yield surname;
    yield `my last name is ${surname}`;
    yield `the last name is ${surname}`;
  }
  // Spelled names, for when the agent asks the caller to spell: letter sequences of common names.
  for (const name of [...first.slice(0, 150), ...last.slice(0, 150)]) {
    const letters = name.split('').join(' ');
    yield letters;
    yield `it's ${letters}`;
  }
}

function* addressAnswers(): Generator<string> {
  for (const [i, street] of STREET_NAMES.entries()) {
    for (const [j, kind] of STREET_KINDS.entries()) {
      const number = spell(((i * 131 + j * 17) % 1990) + 1);
      yield `${number} ${street} ${kind}`;
      yield `it's ${number} ${street} ${kind}`;
      if (j % 3 === 0) yield `${number} ${street} ${kind} apartment ${spell((i % 20) + 1)}`;
    }
  }
}

function* phoneAnswers(): Generator<string> {
  const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'oh'];
  let seed = 7;
  for (let n = 0; n < 120; n++) {
    const number = Array.from({ length: 10 }, () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return digits[seed % digits.length] as string;
    }).join(' ');
    yield n % 3 === 0 ? `my number is ${number}` : number;
  }
  yield* ['skip', "i'd rather not", 'no phone number', 'no thanks', "i don't have one"];
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
const YES_NO = [
  'yes',
  'yes please',
  'yeah',
  'yep',
  'yes that is right',
  "yes that's right",
  "yes that's correct",
  "that's right",
  "that's correct",
  'correct',
  'sure',
  'go ahead',
  'yes place the order',
  'no',
  'nope',
  'no thanks',
  "no that's wrong",
  "that's not right",
  'no that is not right',
];
