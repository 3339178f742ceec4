import { COMMON_STREET_NAMES, numberToWords } from '@voiceroom/agent-core/nlu';
import { STREET_KINDS, STREET_NAMES } from '../lm/corpusWords.ts';
import { FsgBuilder } from './fsgBuilder.ts';
import { close, digits, intro, phoneNumber } from './grammarParts.ts';

const wordsFor = (numbers: readonly number[]) => numbers.map(numberToWords);
const UNITS = wordsFor([1, 2, 3, 4, 5, 6, 7, 8, 9]);
const TEENS = wordsFor([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
const TENS = wordsFor([20, 30, 40, 50, 60, 70, 80, 90]);
const ADDRESS_CARRIERS = ["it's", 'it is', 'the address is', 'my address is', "that's", "we're at", "i'm at"];
const DIRECTIONS = ['north', 'south', 'east', 'west'];
const UNIT_WORDS = ['apartment', 'unit', 'suite'];
const PHONE_INTROS = ['my phone number is', 'my number is', 'and my number is', 'the number is'];
/** A house number said without a street, against a street said without a direction (8) or with one (1 each). */
const BARE_NUMBER_WEIGHT = 1;

/**
 * A street address as callers say it: a house number, a street name, its kind, perhaps an apartment and the phone
 * number after it (callers volunteer it in the same breath), or the house number alone. The house number any way it
 * is said: in full ("four thousand six hundred and twenty two", "seventeen"), in pairs ("forty six twenty two",
 * "twenty nine oh three") or digit by digit. Street names: the common US ones the address model knows; a street name
 * outside them is not forced into the grammar, because chooseReading keeps the slot model's reading when its words
 * are not the grammar's.
 */
export function addressGrammar(): FsgBuilder {
  const fsg = new FsgBuilder();
  const number = fsg.state();
  const street = fsg.state();
  intro(fsg, ADDRESS_CARRIERS, number);
  const [spoken, paired, digitByDigit] = [fsg.state(), fsg.state(), fsg.state()];
  fsg.arc(number, spoken, undefined, 2);
  fsg.arc(number, paired, undefined, 2);
  fsg.arc(number, digitByDigit, undefined, 1);
  spokenNumber(fsg, spoken, street);
  pairedNumber(fsg, paired, street);
  digits(fsg, digitByDigit, street, [2, 3, 4, 5]);
  const kind = fsg.state();
  const afterDirection = fsg.state();
  const end = fsg.state();
  // the house number alone, asked for it ("What's the house number on Oak Street?"): without this path the grammar
  // forced a street after it, which the NLU took over the street held
  fsg.arc(street, end, undefined, BARE_NUMBER_WEIGHT);
  fsg.arc(street, afterDirection, undefined, 8);
  for (const direction of DIRECTIONS) fsg.arc(street, afterDirection, direction);
  for (const name of new Set([...STREET_NAMES, ...COMMON_STREET_NAMES])) fsg.arc(afterDirection, kind, name);
  const afterKind = fsg.state();
  for (const word of STREET_KINDS) fsg.arc(kind, afterKind, word);
  // the kind is part of nearly every address: its absence weighs as one kind
  fsg.arc(kind, afterKind, undefined);
  const afterUnit = fsg.state();
  // an apartment is rare: likelier, the grammar hears one in the noise after the street
  fsg.arc(afterKind, afterUnit, undefined, 30);
  const unitNumber = fsg.state();
  for (const word of UNIT_WORDS) fsg.arc(afterKind, unitNumber, word);
  belowHundred(fsg, unitNumber, afterUnit);
  fsg.arc(afterUnit, end, undefined, 2);
  const phone = fsg.state();
  for (const phrase of PHONE_INTROS) fsg.phrase(afterUnit, phone, phrase);
  phoneNumber(fsg, phone, end, [7, 10]);
  close(fsg, end);
  return fsg;
}

/** 1 to 99 in words: "seven", "seventeen", "seventy", "seventy seven". */
function belowHundred(fsg: FsgBuilder, from: number, to: number): void {
  for (const word of [...UNITS, ...TEENS]) fsg.arc(from, to, word);
  const tens = fsg.state();
  for (const word of TENS) fsg.arc(from, tens, word, 2);
  fsg.arc(tens, to, undefined);
  for (const word of UNITS) fsg.arc(tens, to, word);
}

/** "four thousand six hundred and twenty two", "two hundred", "four thousand two", "seventeen". */
function spokenNumber(fsg: FsgBuilder, from: number, to: number): void {
  const thousands = fsg.state();
  const afterThousands = fsg.state();
  const afterHundreds = fsg.state();
  const rest = fsg.state();
  fsg.arc(from, afterThousands, undefined);
  // Benford's law: house numbers run up from one on every street, so "one thousand" is far likelier than "nine"
  for (const [i, word] of UNITS.entries()) fsg.arc(from, thousands, word, Math.log10(1 + 1 / (i + 1)));
  fsg.arc(thousands, afterThousands, 'thousand');
  const hundreds = fsg.state();
  fsg.arc(afterThousands, afterHundreds, undefined);
  for (const word of UNITS) fsg.arc(afterThousands, hundreds, word, 2 / UNITS.length);
  fsg.arc(hundreds, afterHundreds, 'hundred');
  fsg.arc(afterHundreds, rest, undefined, 3);
  fsg.arc(afterHundreds, rest, 'and');
  belowHundred(fsg, rest, to);
  fsg.arc(afterHundreds, to, undefined);
}

/** "forty six twenty two", "twenty nine oh three", "five seventeen", "twelve hundred". */
function pairedNumber(fsg: FsgBuilder, from: number, to: number): void {
  const head = fsg.state();
  belowHundred(fsg, from, head);
  const oh = fsg.state();
  fsg.arc(head, oh, 'oh');
  for (const word of UNITS) fsg.arc(oh, to, word);
  const tail = fsg.state();
  fsg.arc(head, tail, undefined, 3);
  for (const word of TEENS) fsg.arc(tail, to, word);
  const tens = fsg.state();
  for (const word of TENS) fsg.arc(tail, tens, word, 2);
  fsg.arc(tens, to, undefined);
  for (const word of UNITS) fsg.arc(tens, to, word);
  fsg.arc(head, to, 'hundred');
}
