import {
  fitsNumberingPlan,
  isDialablePhoneNumber,
  isNumberPart,
  spokenWords,
} from '@voiceroom/agent-core/nlu';
import { digitsOf, digitsSaid } from './heldDigits.ts';

/** What one decoder made of an utterance. */
export interface Reading {
  text: string;
  /** Posterior probability of `text`, 0..1. */
  confidence: number;
  /** Other hypotheses of the same decoder, best first. */
  alternatives: readonly string[];
}

/**
 * Of the slot model's reading and the grammar's reading of the same utterance, the one the final carries, the other
 * kept as an alternative for the NLU's n-best rescoring.
 *
 * A grammar reads any speech as an answer of its shape, so its reading is only worth something when the open
 * decoder heard that kind of answer too: almost all of the slot model's words are words of the grammar (digits and
 * "my number is", letters, yes and no). Then the grammar's reading comes first: it cannot drop or add a digit or a
 * letter, and it cannot hear "to" for "two". Otherwise the caller said something else ("no, remove the coke" at
 * the phone question) and the slot model's reading stands alone: offering the grammar's forced reading as an
 * alternative would let the NLU take a phone number nobody said over an answer it does not expect.
 *
 * `digitsHeld`: the digits of a number said in groups heard before this utterance (HeldDigits). A group after them
 * is what the caller is saying, and the slot model, which knows whole answers, hears a short group worst ("five
 * five five" as "i'd like five"): the grammar's reading comes first when it goes on with the number (the digits
 * held and its own make no more than a whole number) and the slot model heard a number word in it. Likewise when the
 * grammar heard a whole dialable number holding the runs of digits the slot model heard among order words
 * (wholeNumberUnderWords).
 */
export function chooseReading(
  open: Reading,
  grammar: Reading | undefined,
  grammarWords: ReadonlySet<string>,
  maxHypotheses: number,
  digitsHeld = 0,
): Reading {
  if (!grammar?.text) return open;
  const grammarFirst =
    fitsGrammar(open.text, grammarWords) ||
    continuesNumber(open.text, grammar.text, digitsHeld) ||
    wholeNumberUnderWords(open.text, grammar.text);
  if (!grammarFirst) return open;
  const alternatives = [open.text, ...open.alternatives].filter(
    (text, i, all) => text && text !== grammar.text && all.indexOf(text) === i,
  );
  return {
    text: grammar.text,
    // a grammar's posterior is only among its own answers: as sure as the two readings together
    confidence: Math.min(open.confidence, grammar.confidence),
    alternatives: alternatives.slice(0, Math.max(0, maxHypotheses - 1)),
  };
}

/** A whole phone number with the country code: the most digits a number said in groups adds up to. */
const MOST_DIGITS = 11;

/** The grammar heard the rest of the number whose first groups are held, and the slot model a number word in it. */
function continuesNumber(openText: string, grammarText: string, digitsHeld: number): boolean {
  if (digitsHeld === 0) return false;
  const said = digitsSaid(grammarText);
  return said > 0 && digitsHeld + said <= MOST_DIGITS && spokenWords(openText).some(isNumberPart);
}

/** How many digits in a row a caller says of a number, at the least, for the slot model to have heard one said. */
const DIGITS_IN_A_ROW = 3;

/**
 * The grammar heard a whole number that the numbering plan allows, where the slot model heard runs of its digits
 * among other words (and no such number) and the grammar's number holds each of those runs: the slot model, which
 * knows whole answers, hears a number's digit groups as the words callers order with ("five one two" as "i want
 * to", "five five five" as "i'd like five"), too many of them for its reading to fit the grammar. The two decoders
 * agreeing on the digits the slot model did hear is what tells a number said from one the grammar forced on noise.
 */
function wholeNumberUnderWords(openText: string, grammarText: string): boolean {
  const grammarDigits = digitsOf(grammarText);
  const runs = digitRuns(openText).filter((run) => run.length >= DIGITS_IN_A_ROW);
  return (
    runs.length > 0 &&
    runs.every((run) => grammarDigits.includes(run)) &&
    !isDialablePhoneNumber(digitsOf(openText)) &&
    isDialablePhoneNumber(grammarDigits)
  );
}

/** The digits of each run of digit words in `text` ("i'd like double five three" "553"). */
function digitRuns(text: string): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  for (const word of [...spokenWords(text), '']) {
    if (digitsSaid(word) > 0 || word === 'double' || word === 'triple') run.push(word);
    else if (run.length > 0) {
      runs.push(digitsOf(run.join(' ')));
      run = [];
    }
  }
  return runs.filter(Boolean);
}

/** At most one word in four outside the grammar's words (a misheard "to" or "for" among the digits). */
export function fitsGrammar(text: string, grammarWords: ReadonlySet<string>): boolean {
  const words = spokenWords(text);
  if (words.length === 0) return false;
  const outside = words.filter((w) => !grammarWords.has(w)).length;
  return outside <= Math.floor(words.length / 4);
}

/**
 * How many digits the next group says after those held, as North American numbers are said in groups (3-3-4):
 * first the area code, the area code and exchange, or a local number; after the area code the exchange or the
 * rest; after both the last four. Counts held that no grouping reaches (a group misheard) take any group that still
 * makes a number. A whole number (10 digits, 11 with the country code) fits after any: said at once, or again.
 */
const NEXT_GROUP: ReadonlyMap<number, readonly number[]> = new Map([
  [0, [3, 6, 7]],
  [3, [3, 7]],
  [6, [4]],
]);
const WHOLE_NUMBER_COUNTS = [10, 11];

/**
 * The phone grammar's hypothesis of an utterance read in the context of the digits held before it: the best of its
 * hypotheses (`reading.text`, then its alternatives) that is a whole number or the number's next group
 * (NEXT_GROUP), a group after held digits with no lead-in before its digits (the caller is in the middle of the
 * number); the best one when none is. Of those, the best that the numbering plan allows where it sits (inPlan)
 * comes first: the decoder's n-best differ by a digit or two, and an area code or exchange heard starting with 0 or
 * 1 is a digit misheard, so a hypothesis close behind that reads it 2-9 is the likelier one.
 */
export function readInContext(reading: Reading, held: number): Reading {
  const fits = (text: string) => {
    const said = digitsSaid(text);
    if (WHOLE_NUMBER_COUNTS.includes(said)) return true;
    const next = NEXT_GROUP.get(held);
    if (said === 0 || !(next ? next.includes(said) : held + said <= MOST_DIGITS)) return false;
    return held === 0 || digitsSaid(spokenWords(text)[0] ?? '') > 0;
  };
  const hypotheses = [reading.text, ...reading.alternatives];
  const text = hypotheses.find((h) => fits(h) && inPlan(h, held)) ?? hypotheses.find(fits) ?? reading.text;
  return { ...reading, text, alternatives: [] };
}

/**
 * The digits of a hypothesis break no rule of the numbering plan where they sit in the number: a whole number is
 * dialable (isDialablePhoneNumber); a group's first digits are not an area code or exchange starting with 0 or 1
 * (fitsNumberingPlan). A group no grouping places (NEXT_GROUP) is not judged.
 */
function inPlan(text: string, held: number): boolean {
  const digits = digitsOf(text);
  if (WHOLE_NUMBER_COUNTS.includes(digits.length)) return isDialablePhoneNumber(digits);
  // seven digits first are a local number: the exchange and the last four
  const at = held === 0 && digits.length === 7 ? 3 : held;
  return !NEXT_GROUP.has(held) || fitsNumberingPlan(digits, at);
}
