import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { normalizeTranscript } from '../lm/normalize.ts';
import { PHONE_CLOSINGS, PHONE_LEAD_INS } from '../lm/phonePhrases.ts';
import { HESITATIONS, YES_NO_ANSWERS } from '../lm/slotCorpus.ts';
import { addressGrammar } from './addressGrammar.ts';
import { FsgBuilder } from './fsgBuilder.ts';
import { close, intro, phoneDigits } from './grammarParts.ts';
import { spelledWord } from './spellingGrammar.ts';

/**
 * The slots whose answers are constrained enough for a grammar: a phone number said digit by digit, a name spelled
 * letter by letter (asked for at the name question), yes/no and a street address (addressGrammar.ts). A grammar decoder runs beside the slot model's
 * decoder only while the agent waits for one of these (see ParallelGrammar).
 */
export type GrammarSlot = Extract<SttExpectation, 'phone' | 'name' | 'yesno' | 'address'>;
export const GRAMMAR_SLOTS: readonly GrammarSlot[] = ['phone', 'name', 'yesno', 'address'];

export interface SlotGrammarOptions {
  /**
   * How many digits a phone number has (default 7 and 10, North American, 10 expected; 10 also after a country code
   * "one").
   */
  phoneDigitCounts?: readonly number[];
  /**
   * Names callers spell (lists of first and last names, each most common first): the letter grammar hears them
   * whole, weighted by rank (every letter sequence stays possible; see spelledWord).
   */
  spelledNames?: readonly (readonly string[])[];
}

export interface SlotGrammars {
  /** FSG text per slot (sphinxbase's format). */
  grammars: Record<GrammarSlot, string>;
  /** The words each grammar says (for the decoder's pronunciation dictionary, and to tell answers of its kind). */
  words: Record<GrammarSlot, string[]>;
}

const SPELLING_CARRIERS = ["it's", 'it is', "that's", 'my name is', 'the name is', 'first name', 'last name'];
/**
 * How likely a phone number is to come with a hesitation before its digits, and with a closing after them. As
 * likely as not (as in the other grammars), the grammar let the decoder hear a number's first digit as "hmm" or its
 * last as "please" and, the count of digits being fixed, make up another elsewhere ("hmm one two eight five five five
 * ..." for "two one two five five five ..."): here one in ten numbers has one, each such word less likely than any
 * one digit. bench:slots seeds 1-3: as many numbers exact, fewer digits wrong.
 */
const PHONE_OPTIONAL_WORD_SHARE = 0.1;
/**
 * How likely a phone number is to come after a lead-in naming it ("my number is", "you can reach me at"): most
 * callers say one (it was as likely as not). Where the grammar decoder reads the lead-in as digits and the last
 * digits as a closing ("it's nine double two two one two five five five zero thank you" for "my number is two one
 * two, five five five, zero nine three two"), no weight tried here (this share; a closing share of 0.01) changed
 * its reading on bench:slots seeds 1-2: the acoustics, not the grammar, decide those; and no hypothesis of the
 * n-best held the right number in any of the 22 numbers heard wrong.
 */
const PHONE_LEAD_IN_SHARE = 0.8;

/**
 * Grammars for the structured answers, generated from the word classes they are made of (digits, letters, the
 * yes/no answers the slot model knows) so that every way of combining them is accepted, not a list of sentences.
 * Digits: "oh" for zero, "double"/"triple" for a repeated digit, exactly as many digits as a phone number has.
 * Letters: "double s", a second word after the first (first and last name), the listed names' spellings whole.
 */
export function buildSlotGrammars(options: SlotGrammarOptions = {}): SlotGrammars {
  const built = {
    phone: phoneGrammar(options.phoneDigitCounts ?? [7, 10]),
    name: spellingGrammar(options.spelledNames ?? []),
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

/**
 * A number of `counts` digits (the longest expected, see phoneNumber), or "one" and a ten-digit number (the country
 * code), after a lead-in and before a closing as callers say them (PHONE_LEAD_INS, PHONE_CLOSINGS).
 */
function phoneGrammar(counts: readonly number[]): FsgBuilder {
  const fsg = new FsgBuilder();
  const number = fsg.state();
  const closing = fsg.state();
  intro(fsg, PHONE_LEAD_INS, number, {
    carrier: PHONE_LEAD_IN_SHARE,
    hesitation: PHONE_OPTIONAL_WORD_SHARE,
  });
  phoneDigits(fsg, number, closing, counts);
  close(fsg, closing, PHONE_OPTIONAL_WORD_SHARE, PHONE_CLOSINGS);
  return fsg;
}

/** A spelled name: one word (first or last name), or two (first and last). */
function spellingGrammar(names: readonly (readonly string[])[]): FsgBuilder {
  const fsg = new FsgBuilder();
  const wordStart = fsg.state();
  const wordEnd = fsg.state();
  intro(fsg, SPELLING_CARRIERS, wordStart);
  spelledWord(fsg, wordStart, wordEnd, names);
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
