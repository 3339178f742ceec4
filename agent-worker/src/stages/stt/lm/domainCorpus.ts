import type { AgentConfig } from '@voiceroom/protocol';
import { changeSentences } from './changeCorpus.ts';
import { CONVERSATION, FIRST_NAMES, LAST_NAMES, STREET_KINDS, STREET_NAMES } from './corpusWords.ts';
import { normalizeTranscript } from './normalize.ts';
import { OVER_AGENT_PHRASES } from './overAgentPhrases.ts';
import { spell, spokenPriceVariants } from './spokenPrices.ts';

/**
 * Generates the in-domain sentences a caller is likely to say to this agent: orders built from the menu (names,
 * aliases, sizes, quantities) and changes to them (changeCorpus.ts), names, delivery addresses, confirmations, the knowledge questions and the config's
 * extra ASR phrases. The language model is estimated from these, so their word sequences matter more than
 * their exact frequencies.
 */
export function buildDomainCorpus(
  config: Pick<AgentConfig, 'menu' | 'knowledge' | 'asr' | 'handoff'>,
): string[][] {
  const out: string[][] = [];
  const add = (text: string, times = 1): void => {
    const words = normalizeTranscript(text);
    for (let i = 0; i < times && words.length > 0; i++) out.push(words);
  };

  const items = config.menu.items;
  const sizes = [...new Set(items.flatMap((i) => Object.keys(i.sizes ?? {})))];
  const quantities = [
    'a',
    'an',
    'one',
    'some',
    'a couple of',
    ...Array.from({ length: 19 }, (_, i) => spell(i + 2)),
  ];
  const names = items.flatMap((i) => [i.name, ...i.aliases]);

  for (const item of items) {
    const forms = [item.name, ...item.aliases];
    for (const form of forms) {
      const plural = pluralize(form);
      const itemSizes = Object.keys(item.sizes ?? {});
      for (const q of quantities) {
        const noun =
          q === 'a' || q === 'an' || q === 'one' || (q === 'some' && item.sizes === undefined)
            ? form
            : plural;
        const every = prefixStride(q);
        for (const size of itemSizes.length > 0 ? ['', ...itemSizes] : ['']) {
          // An item named in the plural is counted in orders, as the agent says it: "two orders of chicken wings".
          const phrases = [
            `${q} ${size} ${noun}`,
            ...(/s$/.test(form) ? [`${ordersOf(q)} ${size} ${form}`] : []),
          ];
          for (const phrase of phrases) {
            add(phrase);
            for (const [i, prefix] of ORDER_PREFIXES.entries()) {
              if (i % every !== 0) continue;
              add(`${prefix} ${phrase}`);
              if (i % 3 === 0) add(`${prefix} ${phrase} please`);
            }
          }
        }
      }
      for (const template of ITEM_QUESTIONS) add(template.replace('{item}', form));
      for (const size of itemSizes) {
        add(`how much is a ${size} ${form}`);
        add(`make that a ${size}`);
      }
    }
    for (const price of [
      ...Object.values(item.sizes ?? {}),
      ...(item.price !== undefined ? [item.price] : []),
    ]) {
      for (const words of spokenPriceVariants(price)) add(`that's ${words}`);
    }
  }
  // Two items in one sentence, on neighbouring menu entries only (the full cross product would flood the model).
  for (let i = 0; i < names.length; i++) {
    const a = names[i] as string;
    const b = names[(i + 1) % names.length] as string;
    const c = names[(i + 3) % names.length] as string;
    add(`i'd like a ${sizes[i % Math.max(1, sizes.length)] ?? ''} ${a} and a ${b}`);
    add(`can i get two ${pluralize(a)} and one ${c}`);
    add(`and a ${b} please`);
  }
  for (const sentence of changeSentences(config)) add(sentence);
  for (const q of quantities) for (const size of sizes) add(`${q} ${size}`);
  for (const size of sizes) add(`${size} please`);

  for (const first of FIRST_NAMES) {
    for (const template of NAME_TEMPLATES) add(template.replace('{name}', first));
    add(`my name is ${first} ${LAST_NAMES[first.length % LAST_NAMES.length]}`);
  }
  for (const last of LAST_NAMES) {
    add(`my last name is ${last}`);
    add(`${FIRST_NAMES[last.length % FIRST_NAMES.length]} ${last}`);
  }
  for (const [i, phone] of phoneNumbers(40).entries())
    add(`${PHONE_TEMPLATES[i % PHONE_TEMPLATES.length]} ${phone}`);
  for (const greeting of ['hi', 'hello', 'hey', 'hi there', 'good evening']) {
    add(`${greeting} i'd like to order a pizza`);
    add(`${greeting} can i get a large pepperoni pizza`);
    add(`${greeting} i want to place an order for delivery`);
  }

  STREET_NAMES.forEach((street, i) => {
    const kind = STREET_KINDS[i % STREET_KINDS.length] as string;
    const number = spell(((i * 37) % 990) + 10);
    for (const template of ADDRESS_TEMPLATES)
      add(template.replace('{address}', `${number} ${street} ${kind}`));
    for (const k of STREET_KINDS) add(`${street} ${k}`);
  });
  for (let n = 1; n <= 99; n++) add(`${spell(n)}`);
  for (let n = 100; n < 2000; n += 37) add(`${spell(n)} ${STREET_NAMES[n % STREET_NAMES.length]} street`);
  for (let n = 1; n <= 30; n++) {
    for (const unit of ['apartment', 'unit', 'suite', 'floor']) add(`${unit} ${spell(n)}`);
  }

  for (const phrase of CONVERSATION) add(phrase, 3);
  for (const phrase of OVER_AGENT_PHRASES) add(phrase, 3);
  for (const entry of config.knowledge) {
    add(entry.question, 3);
    for (const keyword of entry.keywords) for (const t of KNOWLEDGE_TEMPLATES) add(t.replace('{k}', keyword));
  }
  for (const keyword of config.handoff.keywords)
    for (const t of HANDOFF_TEMPLATES) add(t.replace('{k}', keyword));
  for (const phrase of config.asr.phrases) add(phrase, 5);
  return out;
}

/** Deterministic ten-digit phone numbers read digit by digit, with "oh" for some zeros. */
function phoneNumbers(count: number): string[] {
  const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  let seed = 12_345;
  return Array.from({ length: count }, (_, n) =>
    Array.from({ length: 10 }, () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const d = seed % 10;
      return d === 0 && n % 2 === 1 ? 'oh' : (digits[d] as string);
    }).join(' '),
  );
}

function ordersOf(quantity: string): string {
  if (quantity === 'a' || quantity === 'an') return 'an order of';
  return quantity === 'one' ? 'one order of' : `${quantity} orders of`;
}

function pluralize(phrase: string): string {
  if (/s$/.test(phrase)) return phrase;
  if (/(ch|sh|x)$/.test(phrase)) return `${phrase}es`;
  if (/[^aeiou]y$/.test(phrase)) return `${phrase.slice(0, -1)}ies`;
  return `${phrase}s`;
}

/**
 * How sparsely a quantity is paired with the order phrasings: callers order "a", "one", "two" or "three" of
 * something far more often than "eleven", and a model that makes every quantity as likely as "a" turns a misheard
 * "a" into "eight" or "eleven". Every phrasing for the common ones, a third of them up to six, one in twelve above.
 */
function prefixStride(quantity: string): number {
  if (['a', 'an', 'one', 'two', 'three', 'some', 'a couple of'].includes(quantity)) return 1;
  return ['four', 'five', 'six'].includes(quantity) ? 3 : 12;
}

const ORDER_PREFIXES = [
  "i'd like",
  'i would like',
  'can i get',
  'could i get',
  'can i have',
  'could i have',
  'i want',
  "i'll have",
  'i will have',
  'give me',
  'let me get',
  "let's do",
  'we want',
  "we'd like",
  'and',
  'also',
  'plus',
  'add',
  'i need',
  'yes',
  'yeah',
];
const ITEM_QUESTIONS = [
  'do you have {item}',
  'how much is the {item}',
  'how much are the {item}',
  'what sizes does the {item} come in',
  'remove the {item}',
  'cancel the {item}',
  'no {item}',
  'without the {item}',
  'actually no {item}',
];
const PHONE_TEMPLATES = [
  'my number is',
  'my phone number is',
  'you can reach me at',
  'call me at',
  "it's",
  '',
];
const NAME_TEMPLATES = ['my name is {name}', "it's {name}", 'this is {name}', 'the name is {name}', '{name}'];
const ADDRESS_TEMPLATES = [
  'my address is {address}',
  'the address is {address}',
  'deliver to {address}',
  'i live at {address}',
  "it's {address}",
  '{address}',
  'please deliver it to {address}',
];
const KNOWLEDGE_TEMPLATES = ['what about {k}', 'tell me about {k}', 'question about {k}'];
const HANDOFF_TEMPLATES = [
  'can i speak to a {k}',
  'i want to talk to a {k}',
  'let me talk to a {k}',
  'get me a {k}',
  '{k} please',
];
