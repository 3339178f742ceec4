import { spokenWords } from '@voiceroom/agent-core/nlu';

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
 */
export function chooseReading(
  open: Reading,
  grammar: Reading | undefined,
  grammarWords: ReadonlySet<string>,
  maxHypotheses: number,
): Reading {
  if (!grammar?.text || !fitsGrammar(open.text, grammarWords)) return open;
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

/** At most one word in four outside the grammar's words (a misheard "to" or "for" among the digits). */
export function fitsGrammar(text: string, grammarWords: ReadonlySet<string>): boolean {
  const words = spokenWords(text);
  if (words.length === 0) return false;
  const outside = words.filter((w) => !grammarWords.has(w)).length;
  return outside <= Math.floor(words.length / 4);
}
