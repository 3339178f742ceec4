import { findPhrase } from './text.ts';

/** Words and phrases of an upset caller (a phrase counts double in negativeSentiment). */
const NEGATIVE_WORDS = new Set([
  'angry',
  'annoyed',
  'annoying',
  'awful',
  'terrible',
  'horrible',
  'ridiculous',
  'worst',
  'useless',
  'stupid',
  'frustrated',
  'frustrating',
  'furious',
  'hate',
  'disgusting',
  'unacceptable',
  'pathetic',
  'idiot',
  'garbage',
  'complaint',
  'complain',
  'scam',
  'joke',
  'sucks',
  'damn',
  'hell',
]);
const NEGATIVE_PHRASES = [
  'not listening',
  'not working',
  'makes no sense',
  'are you kidding',
  'fed up',
  'waste of time',
  'sick of',
  'what is wrong with you',
  'whats wrong with you',
  'you people',
  'for the last time',
];

/** How upset the caller sounds, 0 (fine) up: counted negative words and phrases. Two or more warrants a person. */
export function negativeSentiment(words: readonly string[]): number {
  let score = 0;
  for (const w of words) if (NEGATIVE_WORDS.has(w)) score++;
  for (const p of NEGATIVE_PHRASES) if (findPhrase(words, p) >= 0) score += 2;
  return score;
}
