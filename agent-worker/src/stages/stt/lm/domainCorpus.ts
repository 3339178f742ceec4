import type { AgentConfig } from '@voiceroom/sdk/protocol';
import { normalizeTranscript } from './normalize.ts';
import { numberToWords, priceToWords } from './numberWords.ts';

/**
 * Generates the in-domain sentences a caller is likely to say to this agent: orders built from the menu (names,
 * aliases, sizes, quantities), names, delivery addresses, confirmations, the knowledge questions and the config's
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
  const quantities = ['a', 'an', 'one', ...Array.from({ length: 19 }, (_, i) => numberToWords(i + 2))];
  const names = items.flatMap((i) => [i.name, ...i.aliases]);

  for (const item of items) {
    const forms = [item.name, ...item.aliases];
    for (const form of forms) {
      const plural = pluralize(form);
      const itemSizes = Object.keys(item.sizes ?? {});
      for (const q of quantities) {
        const noun = q === 'a' || q === 'an' || q === 'one' ? form : plural;
        for (const size of itemSizes.length > 0 ? ['', ...itemSizes] : ['']) {
          const phrase = `${q} ${size} ${noun}`;
          add(phrase);
          for (const [i, prefix] of ORDER_PREFIXES.entries()) {
            add(`${prefix} ${phrase}`);
            if (i % 3 === 0) add(`${prefix} ${phrase} please`);
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
      for (const words of priceToWords(price)) add(`that's ${words}`);
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
  for (const q of quantities) for (const size of sizes) add(`${q} ${size}`);
  for (const size of sizes) add(`${size} please`);

  for (const first of FIRST_NAMES) {
    for (const template of NAME_TEMPLATES) add(template.replace('{name}', first));
    add(`my name is ${first} ${LAST_NAMES[first.length % LAST_NAMES.length]}`);
  }
  for (const last of LAST_NAMES) add(`my last name is ${last}`);

  STREET_NAMES.forEach((street, i) => {
    const kind = STREET_KINDS[i % STREET_KINDS.length] as string;
    const number = numberToWords(((i * 37) % 990) + 10);
    for (const template of ADDRESS_TEMPLATES)
      add(template.replace('{address}', `${number} ${street} ${kind}`));
    for (const k of STREET_KINDS) add(`${street} ${k}`);
  });
  for (let n = 1; n <= 99; n++) add(`${numberToWords(n)}`);
  for (let n = 100; n < 2000; n += 37)
    add(`${numberToWords(n)} ${STREET_NAMES[n % STREET_NAMES.length]} street`);
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20]) add(`apartment ${numberToWords(n)}`);

  for (const phrase of CONVERSATION) add(phrase, 3);
  for (const entry of config.knowledge) {
    add(entry.question, 3);
    for (const keyword of entry.keywords) for (const t of KNOWLEDGE_TEMPLATES) add(t.replace('{k}', keyword));
  }
  for (const keyword of config.handoff.keywords)
    for (const t of HANDOFF_TEMPLATES) add(t.replace('{k}', keyword));
  for (const phrase of config.asr.phrases) add(phrase, 5);
  return out;
}

function pluralize(phrase: string): string {
  if (/s$/.test(phrase)) return phrase;
  if (/(ch|sh|x)$/.test(phrase)) return `${phrase}es`;
  if (/[^aeiou]y$/.test(phrase)) return `${phrase.slice(0, -1)}ies`;
  return `${phrase}s`;
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
const CONVERSATION = [
  'yes',
  'yes please',
  'yeah',
  'yep',
  'yup',
  'no',
  'nope',
  'no thanks',
  'no thank you',
  'correct',
  "that's correct",
  "that's right",
  'right',
  'sounds good',
  'perfect',
  'okay',
  'ok',
  'sure',
  'please',
  'thank you',
  'thanks',
  "that's all",
  "that's it",
  'nothing else',
  "that's everything",
  'i confirm',
  'confirm',
  'confirmed',
  'yes that is correct',
  'no that is wrong',
  "that's not right",
  'wait',
  'hold on',
  'sorry',
  'what',
  'can you repeat that',
  'say that again',
  'hello',
  'hi',
  'hi there',
  'good evening',
  'goodbye',
  'bye',
  'for delivery',
  'for pickup',
  'delivery please',
  "i'll pick it up",
  'how much is it',
  'how much is that',
  "what's the total",
  'what do you have',
  "what's on the menu",
  'what kind of pizzas do you have',
  'i want to order a pizza',
  "i'd like to place an order",
  'i want to order',
  'can i order',
  'go ahead',
  "that's all thank you",
  'yes that is all',
  'no that will be all',
  'that will be all',
  'is that all',
  'i changed my mind',
  'actually',
  'make it two',
  'make it three',
  'one more',
  'another one',
];
const FIRST_NAMES = [
  'john',
  'mary',
  'james',
  'patricia',
  'robert',
  'jennifer',
  'michael',
  'linda',
  'david',
  'elizabeth',
  'william',
  'barbara',
  'richard',
  'susan',
  'joseph',
  'jessica',
  'thomas',
  'sarah',
  'charles',
  'karen',
  'daniel',
  'lisa',
  'matthew',
  'nancy',
  'anthony',
  'sandra',
  'mark',
  'emily',
  'paul',
  'anna',
  'peter',
  'laura',
  'kevin',
  'amy',
  'brian',
  'emma',
  'alice',
  'bob',
  'tom',
  'jane',
  'sam',
  'alex',
  'maria',
  'jose',
  'luis',
  'chen',
  'ali',
];
const LAST_NAMES = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'wilson',
  'anderson',
  'taylor',
  'thomas',
  'moore',
  'jackson',
  'martin',
  'lee',
  'thompson',
  'white',
  'harris',
  'clark',
  'lewis',
  'walker',
  'hall',
  'young',
  'king',
  'wright',
  'green',
  'baker',
];
const STREET_NAMES = [
  'main',
  'oak',
  'elm',
  'maple',
  'pine',
  'cedar',
  'park',
  'lake',
  'hill',
  'washington',
  'lincoln',
  'church',
  'market',
  'river',
  'spring',
  'sunset',
  'highland',
  'forest',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'broadway',
  'madison',
  'jefferson',
  'franklin',
  'center',
  'union',
  'mill',
  'north',
  'south',
  'east',
  'west',
  'high',
  'walnut',
  'chestnut',
  'willow',
  'birch',
  'cherry',
];
const STREET_KINDS = ['street', 'avenue', 'road', 'lane', 'drive', 'boulevard', 'court', 'way', 'place'];
