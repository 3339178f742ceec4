import { BACKCHANNEL_PHRASES } from '../stages/stt/lm/overAgentPhrases.ts';

/**
 * What caller speech over the agent is, judged from its (partial or final) transcript: nothing recognised yet, a
 * backchannel ("yeah", "uh huh", "okay", "mm-hm", "right") that lets the agent go on, a request to stop ("wait",
 * "no", "stop") or real speech. Both of the last two are barge-ins.
 */
export type Overlap = 'none' | 'backchannel' | 'stop' | 'speech';

const BACKCHANNEL_WORDS = new Set([
  'yeah',
  'yes',
  'yep',
  'yup',
  'yah',
  'ya',
  'uh',
  'er',
  'huh',
  'uhhuh',
  'um',
  'mm',
  'mmm',
  'mhm',
  'mmhmm',
  'hmm',
  'hm',
  'okay',
  'ok',
  'right',
  'sure',
  'alright',
  'cool',
  'great',
  'good',
  'nice',
  'fine',
  'oh',
  'ah',
  'aha',
  'got',
  'it',
  'i',
  'see',
  'exactly',
  'perfect',
  'correct',
]);
const STOP_WORDS = new Set(['no', 'nope', 'wait', 'stop', 'sorry', 'actually', 'hey']);
/**
 * Words that ask the agent to stop only with the word after them: "hold on", not "hold the onions" (the recogniser
 * hears "okay" as "hold" or "hold the", and background voices as "old cedar").
 */
const STOP_PAIRS = new Map([
  ['hold', 'on'],
  ['hang', 'on'],
  ['excuse', 'me'],
]);

export function classifyOverlap(text: string): Overlap {
  const words = wordsOf(text);
  if (words.length === 0) return 'none';
  if (words.some((w, i) => STOP_WORDS.has(w) || (STOP_PAIRS.has(w) && STOP_PAIRS.get(w) === words[i + 1])))
    return 'stop';
  return words.every((w) => BACKCHANNEL_WORDS.has(w)) ? 'backchannel' : 'speech';
}

/** What callers say before a word while they think: a backchannel is the same with or without them. */
const FILLERS = new Set(['uh', 'er', 'um', 'ah', 'oh']);
const WORDED_BACKCHANNELS = new Set(
  BACKCHANNEL_PHRASES.filter((p) => p !== 'hmm').map((p) =>
    wordsOf(p)
      .filter((w) => !FILLERS.has(w))
      .join(' '),
  ),
);

/**
 * One of the backchannels every model learns, with a word of its own ("okay", "uh huh", "er right"); not a
 * hesitation alone, nor the words a backchannel may be made of ("i", "correct").
 */
export function isWordedBackchannel(text: string): boolean {
  return WORDED_BACKCHANNELS.has(
    wordsOf(text)
      .filter((w) => !FILLERS.has(w))
      .join(' '),
  );
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}
