import { HESITATIONS } from '../lm/slotCorpus.ts';
import type { FsgBuilder } from './fsgBuilder.ts';

// The pieces the slot grammars are made of: digits, an introduction before the answer, a closing after it.

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** What callers put before an answer: a word that acknowledges the question, then a phrase naming the answer. */
const ACKNOWLEDGEMENTS = ['sure', 'okay', 'yeah', 'yes', 'alright', 'so'];
const CLOSINGS = ['thanks', 'thank you', 'please'];

/**
 * States: how many digits have been said; a repeated digit said once after "double" or "triple". `endWeight`: how
 * likely the digits end after each of `counts` (against any one digit going on; alike by default).
 */
export function digits(
  fsg: FsgBuilder,
  from: number,
  to: number,
  counts: readonly number[],
  endWeight: (count: number) => number = () => 1,
): void {
  const said = [from, ...Array.from({ length: Math.max(...counts) }, () => fsg.state())];
  for (const [n, state] of said.entries()) {
    for (const [repeat, word] of [
      [1, undefined],
      [2, 'double'],
      [3, 'triple'],
    ] as const) {
      const next = said[n + repeat];
      if (next === undefined) continue;
      const digitFrom = word ? fsg.state() : state;
      if (word) fsg.arc(state, digitFrom, word);
      for (const digit of ['oh', ...DIGITS]) fsg.arc(digitFrom, next, digit);
    }
    if (counts.includes(n)) fsg.arc(state, to, undefined, endWeight(n));
  }
}

/**
 * How likely a phone number is to end after a shorter count than the longest the grammar allows (seven digits, a
 * local number, where ten with the area code are expected), against any one digit going on. Alike, seven digits
 * and a closing ("... five five five oh thank you") weighed more than the three digits they stand for: a number
 * that ends short now pays for it as three digits do. bench:slots seeds 1-2 (22 calls each) heard no number
 * differently for it: its wrong numbers there keep ten digits, the grammar decoder hearing a lead-in as digits
 * and the last digits as a closing against any weight the grammar gives them (see slotGrammars.ts).
 */
const SHORTER_NUMBER_WEIGHT = 0.01;

/**
 * A phone number's digits, from `from` to `to`: `counts` digits, the longest count expected and a shorter one
 * rare (SHORTER_NUMBER_WEIGHT); where ten is a count, also "one" and ten digits (the country code).
 */
export function phoneNumber(fsg: FsgBuilder, from: number, to: number, counts: readonly number[]): void {
  const longest = Math.max(...counts);
  digits(fsg, from, to, counts, (n) => (n === longest ? 1 : SHORTER_NUMBER_WEIGHT));
  if (!counts.includes(10)) return;
  const countryCode = fsg.state();
  fsg.arc(from, countryCode, 'one');
  digits(fsg, countryCode, to, [10]);
}

/**
 * How many digits a caller says in one breath of a number said in groups ("four one five ... five five five ... oh
 * one four two"), each group decoded as an utterance of its own when the pause ends it: the area code or the
 * exchange (3), the last four (4), the area code and exchange together (6). The rest of a number after its area
 * code (7) is a whole local number already.
 */
export const PHONE_GROUP_COUNTS: readonly number[] = [3, 4, 6];

/**
 * How likely an answer is one group of a number rather than a whole one, against any one digit starting a whole
 * number. A group cannot take a whole number said in one breath (it has no path for its other digits), so this
 * only decides between the two where the digits heard are few.
 */
const PHONE_GROUP_WEIGHT = 0.5;

/**
 * A phone number's digits (phoneNumber) or one group of them (PHONE_GROUP_COUNTS shorter than the longest count,
 * less likely: PHONE_GROUP_WEIGHT), from `from` to `to`.
 */
export function phoneDigits(fsg: FsgBuilder, from: number, to: number, counts: readonly number[]): void {
  phoneNumber(fsg, from, to, counts);
  const group = fsg.state();
  fsg.arc(from, group, undefined, PHONE_GROUP_WEIGHT);
  const longest = Math.max(...counts);
  digits(
    fsg,
    group,
    to,
    PHONE_GROUP_COUNTS.filter((n) => n < longest),
  );
}

/** How likely each optional part of an introduction is (see intro). */
interface IntroShares {
  /** A carrier phrase ("my number is"). */
  carrier?: number;
  /** A hesitation after it. */
  hesitation?: number;
}

/**
 * From the start to `to`: optionally an acknowledgement, a carrier phrase, a hesitation (each said with its share,
 * as likely as not by default).
 */
export function intro(
  fsg: FsgBuilder,
  carriers: readonly string[],
  to: number,
  shares: IntroShares = {},
): void {
  const acknowledged = fsg.state();
  const carried = fsg.state();
  fsg.arc(fsg.start, acknowledged, undefined, ACKNOWLEDGEMENTS.length);
  for (const word of ACKNOWLEDGEMENTS) fsg.arc(fsg.start, acknowledged, word);
  optionally(fsg, acknowledged, carried, carriers, shares.carrier ?? 0.5);
  optionally(fsg, carried, to, HESITATIONS, shares.hesitation ?? 0.5);
}

/**
 * From `from` to the final state: optionally a closing ("thanks"; one of `closings`), said with probability
 * `share`.
 */
export function close(
  fsg: FsgBuilder,
  from: number,
  share = 0.5,
  closings: readonly string[] = CLOSINGS,
): void {
  optionally(fsg, from, fsg.final, closings, share);
}

/** From `from` to `to`: one of `phrases` (together with probability `share`, alike), or nothing. */
function optionally(
  fsg: FsgBuilder,
  from: number,
  to: number,
  phrases: readonly string[],
  share: number,
): void {
  fsg.arc(from, to, undefined, (phrases.length * (1 - share)) / share);
  for (const phrase of phrases) fsg.phrase(from, to, phrase);
}
