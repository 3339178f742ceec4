import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { normalizeTranscript } from '../lm/normalize.ts';
import { HESITATIONS, YES_NO_ANSWERS } from '../lm/slotCorpus.ts';
import { addressGrammar } from './addressGrammar.ts';
import { FsgBuilder } from './fsgBuilder.ts';
import { close, digits, intro } from './grammarParts.ts';

/**
 * The slots whose answers are constrained enough for a grammar: a phone number said digit by digit, a name spelled
 * letter by letter (asked for at the name question), yes/no and a street address (addressGrammar.ts). A grammar decoder runs beside the slot model's
 * decoder only while the agent waits for one of these (see ParallelGrammar).
 */
export type GrammarSlot = Extract<SttExpectation, 'phone' | 'name' | 'yesno' | 'address'>;
export const GRAMMAR_SLOTS: readonly GrammarSlot[] = ['phone', 'name', 'yesno', 'address'];

export interface SlotGrammarOptions {
  /** How many digits a phone number has (default 7 and 10, North American; 10 also after a country code "one"). */
  phoneDigitCounts?: readonly number[];
  /**
   * Words callers spell (common first and last names): which letter follows which, and which letters start and end
   * a word, weigh the letter grammar's transitions (every letter sequence stays possible).
   */
  spellingExamples?: readonly string[];
}

export interface SlotGrammars {
  /** FSG text per slot (sphinxbase's format). */
  grammars: Record<GrammarSlot, string>;
  /** The words each grammar says (for the decoder's pronunciation dictionary, and to tell answers of its kind). */
  words: Record<GrammarSlot, string[]>;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
const PHONE_CARRIERS = ['my number is', 'my phone number is', 'the number is', "it's", 'it is', 'that is'];
const SPELLING_CARRIERS = ["it's", 'it is', "that's", 'my name is', 'the name is', 'first name', 'last name'];
/**
 * How likely a phone number is to come with a hesitation before its digits, and with a closing word after them. As
 * likely as not (as in the other grammars), the grammar let the decoder hear a number's first digit as "hmm" or its
 * last as "please" and, the count of digits being fixed, make up another elsewhere ("hmm one two eight five five five
 * ..." for "two one two five five five ..."): here one in ten numbers has one, each such word less likely than any
 * one digit. bench:slots seeds 1-3: as many numbers exact, fewer digits wrong.
 */
const PHONE_OPTIONAL_WORD_SHARE = 0.1;

/**
 * Grammars for the structured answers, generated from the word classes they are made of (digits, letters, the
 * yes/no answers the slot model knows) so that every way of combining them is accepted, not a list of sentences.
 * Digits: "oh" for zero, "double"/"triple" for a repeated digit, exactly as many digits as a phone number has.
 * Letters: "double s", a second word after the first (first and last name), letter pairs weighted as in names.
 */
export function buildSlotGrammars(options: SlotGrammarOptions = {}): SlotGrammars {
  const built = {
    phone: phoneGrammar(options.phoneDigitCounts ?? [7, 10]),
    name: spellingGrammar(options.spellingExamples ?? []),
    yesno: yesNoGrammar(),
    address: addressGrammar(),
  };
  return {
    grammars: {
      phone: built.phone.toText('phone'),
      name: built.name.toText('spelled'),
      yesno: built.yesno.toText('yesno'),
      address: built.address.toText('address'),
    },
    words: {
      phone: built.phone.words(),
      name: built.name.words(),
      yesno: built.yesno.words(),
      address: built.address.words(),
    },
  };
}

/** A number of `counts` digits, or "one" and a ten-digit number (the country code). */
function phoneGrammar(counts: readonly number[]): FsgBuilder {
  const fsg = new FsgBuilder();
  const number = fsg.state();
  const closing = fsg.state();
  intro(fsg, PHONE_CARRIERS, number, PHONE_OPTIONAL_WORD_SHARE);
  digits(fsg, number, closing, counts);
  if (counts.includes(10)) {
    const countryCode = fsg.state();
    fsg.arc(number, countryCode, 'one');
    digits(fsg, countryCode, closing, [10]);
  }
  close(fsg, closing, PHONE_OPTIONAL_WORD_SHARE);
  return fsg;
}

/**
 * States: the letter just said. A transition to the next letter weighs as often as that pair comes in the
 * examples (plus one, so that any name can be spelled); the same for the first and the last letter of a word.
 */
function spellingGrammar(examples: readonly string[]): FsgBuilder {
  const fsg = new FsgBuilder();
  const wordStart = fsg.state();
  const wordEnd = fsg.state();
  intro(fsg, SPELLING_CARRIERS, wordStart);
  const after = new Map(LETTERS.map((l) => [l, fsg.state()]));
  const count = new Map<string, number>();
  const add = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);
  for (const example of examples) {
    const letters = example.toLowerCase().replace(/[^a-z]/g, '');
    if (letters.length < 2) continue;
    add(`^${letters[0]}`);
    add(`${letters.at(-1)}$`);
    for (let i = 1; i < letters.length; i++) add(`${letters[i - 1]}${letters[i]}`);
  }
  const weight = (key: string) => 1 + (count.get(key) ?? 0);
  for (const letter of LETTERS) fsg.arc(wordStart, after.get(letter) as number, letter, weight(`^${letter}`));
  for (const previous of LETTERS) {
    const from = after.get(previous) as number;
    const doubled = fsg.state();
    let pairs = 0;
    for (const letter of LETTERS) {
      fsg.arc(from, after.get(letter) as number, letter, weight(`${previous}${letter}`));
      fsg.arc(doubled, after.get(letter) as number, letter, weight(`${letter}${letter}`));
      pairs += weight(`${previous}${letter}`);
    }
    // "double l": as likely as any pair repeating a letter
    fsg.arc(from, doubled, 'double', pairs / LETTERS.length);
    fsg.arc(from, wordEnd, undefined, weight(`${previous}$`) * LETTERS.length);
  }
  const closing = fsg.state();
  fsg.arc(wordEnd, closing, undefined, 3);
  // a second word: the last name after the first
  fsg.arc(wordEnd, wordStart, undefined, 1);
  close(fsg, closing);
  return fsg;
}

function yesNoGrammar(): FsgBuilder {
  const fsg = new FsgBuilder();
  const answer = fsg.state();
  const closing = fsg.state();
  fsg.arc(fsg.start, answer, undefined, 4);
  for (const word of HESITATIONS) fsg.arc(fsg.start, answer, word);
  for (const reply of new Set(YES_NO_ANSWERS.map((a) => normalizeTranscript(a).join(' '))))
    fsg.phrase(answer, closing, reply);
  close(fsg, closing);
  return fsg;
}
