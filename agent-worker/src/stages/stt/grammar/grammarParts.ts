import { HESITATIONS } from '../lm/slotCorpus.ts';
import type { FsgBuilder } from './fsgBuilder.ts';

// The pieces the slot grammars are made of: digits, an introduction before the answer, a closing after it.

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** What callers put before an answer: a word that acknowledges the question, then a phrase naming the answer. */
const ACKNOWLEDGEMENTS = ['sure', 'okay', 'yeah', 'yes', 'alright', 'so'];
const CLOSINGS = ['thanks', 'thank you', 'please'];

/** States: how many digits have been said; a repeated digit said once after "double" or "triple". */
export function digits(fsg: FsgBuilder, from: number, to: number, counts: readonly number[]): void {
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
    if (counts.includes(n)) fsg.arc(state, to, undefined);
  }
}

/**
 * From the start to `to`: optionally an acknowledgement, a carrier phrase, a hesitation (said with probability
 * `hesitationShare`).
 */
export function intro(fsg: FsgBuilder, carriers: readonly string[], to: number, hesitationShare = 0.5): void {
  const acknowledged = fsg.state();
  const carried = fsg.state();
  fsg.arc(fsg.start, acknowledged, undefined, ACKNOWLEDGEMENTS.length);
  for (const word of ACKNOWLEDGEMENTS) fsg.arc(fsg.start, acknowledged, word);
  fsg.arc(acknowledged, carried, undefined, carriers.length);
  for (const carrier of carriers) fsg.phrase(acknowledged, carried, carrier);
  optionally(fsg, carried, to, HESITATIONS, hesitationShare);
}

/** From `from` to the final state: optionally a closing word ("thanks"), said with probability `share`. */
export function close(fsg: FsgBuilder, from: number, share = 0.5): void {
  optionally(fsg, from, fsg.final, CLOSINGS, share);
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
