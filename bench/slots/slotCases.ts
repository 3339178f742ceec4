/**
 * What bench:slots asks and scores: for one generated robustness conversation, the caller's answer to each of the
 * agent's questions (the scripted caller's own phrasing, bench/robustness/ScriptedCaller.ts), the slot model the
 * pipeline would have active after that question (agent-worker/src/pipeline/listeningFor.ts), and whether what the
 * recogniser heard parses, through the agent's NLU, to what the caller said.
 */

import { HOUSE_NUMBER_BY_DIGIT } from '@voiceroom/agent-core/dialog';
import {
  type Expectation,
  expectationFromAgent,
  Hypothesis,
  type Nlu,
  rescoreHypotheses,
} from '@voiceroom/agent-core/nlu';
import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { listeningFor } from '../../agent-worker/src/pipeline/listeningFor.ts';
import type { Conversation, OrderLine, Utterance } from '../robustness/conversation.ts';
import { ScriptedCaller } from '../robustness/ScriptedCaller.ts';

/**
 * The slots scored; 'spelled' is a name spelled letter by letter after the agent asks for it, 'house' the address
 * again with its house number said digit by digit, as the agent asks for it after a misheard correction.
 */
export type SlotKind = 'order' | 'size' | 'name' | 'address' | 'house' | 'phone' | 'yesno' | 'spelled';
export const SLOT_KINDS: readonly SlotKind[] = [
  'order',
  'size',
  'name',
  'address',
  'house',
  'phone',
  'yesno',
  'spelled',
];

export interface SlotCase {
  slot: SlotKind;
  /** What the agent asked (decides the recogniser's slot model and the NLU's reading). */
  question: string;
  listenFor: SttExpectation;
  expecting: Expectation;
  utterance: Utterance;
  /** What the caller meant, in the form `parsedValue` gives it. */
  expected: string;
}

/** The agent's questions, as the scripted dialog asks them (packages/agent-core/src/dialog). */
const QUESTIONS = {
  order: 'Hi, thanks for calling. What would you like to order?',
  name: 'Can I get a name for the order?',
  address: "What's the delivery address?",
  house: HOUSE_NUMBER_BY_DIGIT,
  phone: 'And a phone number, in case the driver needs to reach you?',
  yesno: 'Shall I place the order?',
  spelled: 'Could you spell your name for me, letter by letter?',
} as const;

/** "S A R A H" as a caller spells it, a doubled letter as "double s" now and then. */
export function spokenSpelling(word: string, doubles: boolean): string {
  const letters = word
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .split('');
  const out: string[] = [];
  for (let i = 0; i < letters.length; i++) {
    const letter = letters[i] as string;
    const said = letter.toUpperCase();
    if (doubles && letters[i + 1] === letter) {
      out.push(`double ${said}`);
      i++;
    } else out.push(said);
  }
  return out.join(' ');
}

function slotCase(slot: SlotKind, question: string, utterance: Utterance, expected: string): SlotCase {
  const expecting = expectationFromAgent(question);
  return { slot, question, listenFor: listeningFor(question), expecting, utterance, expected };
}

/**
 * The caller's answers in call order: the first order line(s), a size, name, address (then again, its house number
 * digit by digit), phone, yes, spelled name.
 */
export function slotCases(conversation: Conversation): SlotCase[] {
  const caller = new ScriptedCaller(conversation);
  const answer = (question: string): Utterance => {
    const turn = caller.answer(question);
    if (!turn) throw new Error(`the scripted caller ended the call at "${question}"`);
    return turn.utterance;
  };
  const cases: SlotCase[] = [];
  const first = conversation.moves[0];
  const orderUtterance = answer(QUESTIONS.order);
  if (first?.kind === 'add') {
    const lines = first.lines.map((l) => (first.sayNoSize ? { ...l, size: null } : l));
    cases.push(slotCase('order', QUESTIONS.order, orderUtterance, linesKey(lines)));
  }
  const sized = conversation.intended.items.find((l) => l.size !== null);
  if (sized?.size) {
    const question = `What size would you like for the ${sized.name}?`;
    cases.push(slotCase('size', question, answer(question), sized.size));
  }
  cases.push(slotCase('name', QUESTIONS.name, answer(QUESTIONS.name), conversation.name.toLowerCase()));
  cases.push(
    slotCase('address', QUESTIONS.address, answer(QUESTIONS.address), conversation.address.toLowerCase()),
  );
  cases.push(slotCase('house', QUESTIONS.house, answer(QUESTIONS.house), conversation.address.toLowerCase()));
  cases.push(slotCase('phone', QUESTIONS.phone, answer(QUESTIONS.phone), conversation.phone));
  cases.push(slotCase('yesno', QUESTIONS.yesno, answer(QUESTIONS.yesno), 'yes'));
  const [firstName] = conversation.name.split(' ');
  const spelled = spokenSpelling(firstName ?? '', conversation.index % 2 === 0);
  cases.push(
    slotCase(
      'spelled',
      QUESTIONS.spelled,
      { segments: [spelled], pausesMs: [] },
      (firstName ?? '').toLowerCase(),
    ),
  );
  return cases;
}

function linesKey(lines: readonly OrderLine[]): string {
  return lines
    .map((l) => `${l.quantity} ${l.size ?? '-'} ${l.name}`)
    .sort()
    .join(' + ');
}

/** What the NLU makes of `text` for the case's slot, in the form of `SlotCase.expected` ('' for nothing). */
export function parsedValue(nlu: Nlu, c: SlotCase, text: string): string {
  const u = nlu.understand(text, c.expecting);
  switch (c.slot) {
    case 'order': {
      const lines: OrderLine[] = [];
      for (const op of u.ops)
        if (op.kind === 'add') lines.push({ name: op.name, size: op.size, quantity: op.quantity });
      return linesKey(lines);
    }
    case 'size': {
      const op = u.ops.find((o) => o.kind === 'set_size' || (o.kind === 'add' && o.size !== null));
      if (op?.kind === 'set_size') return op.size;
      return op?.kind === 'add' ? (op.size ?? '') : '';
    }
    case 'name':
      return u.name?.toLowerCase() ?? '';
    case 'spelled':
      return u.name?.toLowerCase().replace(/\s+/g, '') ?? '';
    case 'address':
    case 'house':
      return (u.address ?? '').toLowerCase().replace(/,.*$/, '');
    case 'phone':
      return (u.phone ?? '').replace(/\D/g, '');
    case 'yesno':
      return u.yes && !u.no ? 'yes' : u.no ? 'no' : '';
  }
}

export interface Heard {
  text: string;
  alternatives: readonly string[];
}

/** The recogniser's best hypothesis, and the one the dialog takes after n-best rescoring by the NLU (with its agreement). */
export function score(nlu: Nlu, c: SlotCase, heard: Heard) {
  const rescored = rescoreHypotheses(
    new Hypothesis(nlu, heard.text),
    Hypothesis.all(nlu, heard.alternatives),
    c.expecting,
  );
  const best = parsedValue(nlu, c, heard.text);
  const chosen = parsedValue(nlu, c, rescored.text);
  return {
    correct_top1: best === c.expected,
    correct: chosen === c.expected,
    heard: rescored.text,
    parsed: chosen,
    agreement: Number(rescored.agreement.toFixed(3)),
  };
}

/** CMUdict's pronunciations by word (alternates folded in), for telling names said alike apart from misheard ones. */
export function readPronunciations(dictionary: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of dictionary.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const word = line.slice(0, space).replace(/\(\d+\)$/, '');
    map.set(word, [...(map.get(word) ?? []), line.slice(space + 1).trim()]);
  }
  return map;
}

/**
 * A name heard as one said alike ("jonathon parker" for Jonathan Parker, "katherine stuart" for Kathryn Stewart):
 * word for word the same or pronounced the same. What a caller cannot tell apart either, and the dialog settles by
 * asking for the spelling.
 */
export function soundsAlike(
  expected: string,
  parsed: string,
  pronunciations: Map<string, string[]>,
): boolean {
  const want = expected.split(' ');
  const got = parsed.split(' ');
  if (want.length !== got.length) return false;
  return want.every((w, i) => {
    const g = got[i] as string;
    return g === w || (pronunciations.get(g) ?? []).some((p) => (pronunciations.get(w) ?? []).includes(p));
  });
}
