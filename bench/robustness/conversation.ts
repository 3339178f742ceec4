/**
 * Generated order conversations for the robustness benchmark: from a seed and the agent's menu and knowledge, a
 * caller (voice, speaking rate, noise), what they will order (with corrections, removals and a question on the
 * way), who they are, and the order, name, address and phone the call should end with. Pure and seeded: the same
 * seed and menu give the same conversations.
 */

import { describeLine as agentDescribeLine, numberToWords } from '@voiceroom/agent-core/nlu';
import type { AgentConfig } from '@voiceroom/protocol';
import { FIRST_NAMES, LAST_NAMES, STREET_KINDS, STREET_NAMES } from './names.ts';

export interface OrderLine {
  name: string;
  size: string | null;
  quantity: number;
}

/** One thing the caller says, as spoken pieces with a pause after each piece but the last. */
export interface Utterance {
  segments: string[];
  pausesMs: number[];
}

/** What the caller does while the agent takes the order, in this order. */
export type OrderMove =
  | { kind: 'add'; lines: OrderLine[]; sayNoSize: boolean; text: Utterance }
  | { kind: 'quantity'; name: string; quantity: number; text: Utterance }
  | { kind: 'swap'; from: string; to: OrderLine; text: Utterance }
  | { kind: 'remove'; name: string; text: Utterance }
  | { kind: 'faq'; text: Utterance };

export type Overlap = 'none' | 'backchannel' | 'barge';

export interface Voice {
  engine: 'flite' | 'espeak-ng';
  name: string;
}

export type Noise = { kind: 'clean' } | { kind: 'pink' | 'babble'; snrDb: number };

export interface Conversation {
  index: number;
  voice: Voice;
  wpm: number;
  noise: Noise;
  moves: OrderMove[];
  /** "no, that's all", said when the agent asks for more and every move is done. */
  done: Utterance;
  name: string;
  address: string;
  phone: string;
  /** Name and address in one answer (the other way: each when asked). */
  nameWithAddress: boolean;
  /** The phone number is volunteered after the address (the agent may never ask for it). */
  phoneWithAddress: boolean;
  yes: Utterance;
  /** What the caller does over the agent's read-back: nothing, a backchannel, or a barge-in correction. */
  overlap: Overlap;
  backchannel: Utterance;
  /** The barge-in ("wait, no, make that three cokes") and the quantity it sets. */
  bargeIn: { name: string; quantity: number; text: Utterance };
  /** What the call should end with. */
  intended: { items: OrderLine[]; name: string; address: string; phone: string };
}

/** Not awb_time: a limited-domain voice that can only say the time (its other speech is unintelligible). */
export const FLITE_VOICES = ['kal', 'kal16', 'awb', 'rms', 'slt'] as const;
export const ESPEAK_VOICES = [
  'en-us',
  'en-gb',
  'en-gb-scotland',
  'en-029',
  'en-us+f3',
  'en-gb-x-rp',
] as const;
export const ALL_VOICES: readonly Voice[] = [
  ...FLITE_VOICES.map((name) => ({ engine: 'flite' as const, name })),
  ...ESPEAK_VOICES.map((name) => ({ engine: 'espeak-ng' as const, name })),
];
export const ALL_NOISES: readonly Noise[] = [
  { kind: 'clean' },
  { kind: 'pink', snrDb: 20 },
  { kind: 'babble', snrDb: 20 },
  { kind: 'pink', snrDb: 15 },
  { kind: 'babble', snrDb: 15 },
];

export function noiseLabel(noise: Noise): string {
  return noise.kind === 'clean' ? 'clean' : `${noise.kind}_${noise.snrDb}db`;
}

/** mulberry32: a small seeded generator, enough for picking phrasings. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: nothing to pick from');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Menu = AgentConfig['menu'];
type Knowledge = AgentConfig['knowledge'];

const OPENERS = ['Hello,', 'Hi,', 'Okay.', 'Great.', 'Yes, hi.', 'Alright.'];
const HESITATIONS = ['um,', 'uh,', 'hmm,'];
const ADD = ["I'd like {x}", 'can I get {x}', 'I want {x}', 'let me get {x}', "I'll have {x}", '{x} please'];
const ADD_MORE = ['and {x}', 'also {x}', 'can I also get {x}', 'add {x}', "I'll also take {x}"];
const QUANTITY = ['actually make that {n} {x}', 'change the {one} to {n}', 'make it {n} {x} instead'];
const SWAP = ['change the {from} to {to}', 'actually, swap the {from} for {to}'];
const REMOVE = ['remove the {x}', 'actually, no {x}', 'take off the {x}', "scratch the {x}, I don't want it"];
const DONE = [
  "no, that's all",
  "that's it",
  'nothing else, thanks',
  "no, that's everything",
  "that'll be all",
];
const YES = [
  "yes that's right",
  'yep',
  'correct',
  'sounds good',
  'yes please',
  'yeah, go ahead',
  "that's right",
];
/** What a caller says over the agent to show it listens (bench:overlap says each of them too). */
export const BACKCHANNELS = ['uh huh', 'yeah', 'okay', 'mm hmm', 'right'];
const BARGE = ['wait, no, make that {n} {x}', 'hold on, I want {n} {x}', 'no wait, {n} {x}'];

/** "a large pepperoni pizza", "two cokes", "an order of chicken wings": as the agent says them. */
export function describeLine(line: OrderLine, withSize = true): string {
  return agentDescribeLine(withSize ? line : { ...line, size: null });
}

function plural(name: string): string {
  return describeLine({ name, size: null, quantity: 2 }).replace(/^two (orders of )?/, '');
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

function pause(random: Random): number {
  return random.int(300, 900);
}

/** Optionally an opener or a hesitation in front, and a mid-sentence pause after the first "and" or comma. */
function speak(random: Random, text: string, options: { opener?: boolean } = {}): Utterance {
  const segments: string[] = [];
  const pausesMs: number[] = [];
  if (options.opener && random.chance(0.5)) {
    segments.push(random.pick(OPENERS));
    pausesMs.push(pause(random));
  }
  const hesitant = random.chance(0.25) ? `${random.pick(HESITATIONS)} ${text}` : text;
  const split = /^(.+?)(?:,| and)\s(.+)$/.exec(hesitant);
  if (split && random.chance(0.4)) {
    segments.push((split[1] as string) + (hesitant.includes(`${split[1]} and`) ? ' and' : ''));
    pausesMs.push(pause(random));
    segments.push(split[2] as string);
  } else segments.push(hesitant);
  return { segments, pausesMs };
}

function randomLine(random: Random, menu: Menu, exclude: ReadonlySet<string>): OrderLine {
  const items = menu.items.filter((i) => !exclude.has(i.name));
  const item = random.pick(items.length > 0 ? items : menu.items);
  const sizes = Object.keys(item.sizes ?? {});
  const quantity = random.pick([1, 1, 1, 2, 2, 3]);
  return { name: item.name, size: sizes.length > 0 ? random.pick(sizes) : null, quantity };
}

function applyMove(order: OrderLine[], move: OrderMove): OrderLine[] {
  switch (move.kind) {
    case 'add':
      return [...order, ...move.lines];
    case 'quantity':
      return order.map((l) => (l.name === move.name ? { ...l, quantity: move.quantity } : l));
    case 'swap':
      return order.map((l) => (l.name === move.from ? move.to : l));
    case 'remove':
      return order.filter((l) => l.name !== move.name);
    case 'faq':
      return order;
  }
}

/** The order moves: one or two adds, then maybe a correction, a removal and a question, in a varied order. */
function orderMoves(random: Random, menu: Menu, knowledge: Knowledge): OrderMove[] {
  const moves: OrderMove[] = [];
  let order: OrderLine[] = [];
  const push = (move: OrderMove) => {
    moves.push(move);
    order = applyMove(order, move);
  };
  const add = (first: boolean) => {
    const taken = new Set(order.map((l) => l.name));
    const lines = [randomLine(random, menu, taken)];
    taken.add(lines[0]?.name as string);
    if (random.chance(0.4)) lines.push(randomLine(random, menu, taken));
    const sayNoSize = lines.length === 1 && lines[0]?.size !== null && random.chance(0.3);
    const x = lines.map((l) => describeLine(l, !sayNoSize)).join(' and ');
    push({
      kind: 'add',
      lines,
      sayNoSize,
      text: speak(random, fill(random.pick(first ? ADD : ADD_MORE), { x }), { opener: first }),
    });
  };
  add(true);
  if (random.chance(0.5)) add(false);
  const extras = ['quantity', 'swap', 'remove', 'faq'].filter(() => random.chance(0.35));
  for (const extra of extras) {
    const target = random.pick(order);
    if (extra === 'quantity') {
      const quantity = target.quantity === 1 ? random.int(2, 3) : 1;
      const changed = { ...target, quantity };
      const n = numberToWords(quantity);
      const text = fill(random.pick(QUANTITY), {
        n,
        x: describeLine(changed).replace(/^(a|\w+) /, ''),
        one: target.name,
      });
      push({ kind: 'quantity', name: target.name, quantity, text: speak(random, text) });
    } else if (extra === 'swap') {
      const to = {
        ...randomLine(random, menu, new Set(order.map((l) => l.name))),
        quantity: target.quantity,
      };
      const text = fill(random.pick(SWAP), { from: target.name, to: describeLine(to) });
      push({ kind: 'swap', from: target.name, to, text: speak(random, text) });
    } else if (extra === 'remove' && order.length > 1) {
      push({
        kind: 'remove',
        name: target.name,
        text: speak(random, fill(random.pick(REMOVE), { x: target.name })),
      });
    } else if (extra === 'faq' && knowledge.length > 0) {
      const question = random.pick(knowledge).question;
      push({
        kind: 'faq',
        text: speak(random, random.chance(0.5) ? question : `oh, ${lowerFirst(question)}`),
      });
    }
  }
  return moves;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function finalOrder(moves: readonly OrderMove[]): OrderLine[] {
  return moves.reduce<OrderLine[]>(applyMove, []);
}

/** Ten digits spoken as digits, grouped 3-3-4: "4 1 5, 5 5 5, 0 1 4 2". */
export function spokenPhone(digits: string): string {
  return [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)]
    .map((g) => g.split('').join(' '))
    .join(', ');
}

/** "5125550932" said digit by digit without the pauses of its groups: "5 1 2 5 5 5 0 9 3 2". */
export function phoneByDigit(digits: string): string {
  return digits.split('').join(' ');
}

export interface GenerateOptions {
  menu: Menu;
  knowledge: Knowledge;
  seed: number;
  voices?: readonly Voice[];
  noises?: readonly Noise[];
}

/**
 * Conversation `index` of the set for `seed`. Voices and noises go round so that a short run still covers them
 * (their counts are coprime in the default set: 11 voices, 5 noise conditions).
 */
export function generateConversation(options: GenerateOptions, index: number): Conversation {
  const voices = options.voices ?? ALL_VOICES;
  const noises = options.noises ?? ALL_NOISES;
  const random = new Random((options.seed * 1_000_003 + index * 7919) >>> 0);
  const moves = orderMoves(random, options.menu, options.knowledge);
  const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const address = `${random.int(2, 4999)} ${random.pick(STREET_NAMES)} ${random.pick(STREET_KINDS)}`;
  const phone = `${random.pick(['415', '212', '617', '303', '512'])}555${String(random.int(100, 9999)).padStart(4, '0')}`;
  const overlap = random.pick<Overlap>(['none', 'backchannel', 'backchannel', 'barge']);
  const items = finalOrder(moves);
  const bargeTarget = random.pick(items.length > 0 ? items : [{ name: 'coke', size: null, quantity: 1 }]);
  const bargeQuantity = bargeTarget.quantity === 1 ? 2 : bargeTarget.quantity + 1;
  const bargeText = fill(random.pick(BARGE), {
    n: numberToWords(bargeQuantity),
    x: plural(bargeTarget.size ? `${bargeTarget.size} ${bargeTarget.name}` : bargeTarget.name),
  });
  const intendedItems =
    overlap === 'barge'
      ? items.map((l) => (l.name === bargeTarget.name ? { ...l, quantity: bargeQuantity } : l))
      : items;
  return {
    index,
    voice: voices[index % voices.length] as Voice,
    wpm: random.int(130, 190),
    noise: noises[index % noises.length] as Noise,
    moves,
    done: speak(random, random.pick(DONE)),
    name,
    address,
    phone,
    nameWithAddress: random.chance(0.3),
    phoneWithAddress: random.chance(0.5),
    yes: speak(random, random.pick(YES)),
    overlap,
    backchannel: { segments: [random.pick(BACKCHANNELS)], pausesMs: [] },
    bargeIn: {
      name: bargeTarget.name,
      quantity: bargeQuantity,
      text: { segments: [bargeText], pausesMs: [] },
    },
    intended: { items: intendedItems, name, address, phone },
  };
}
