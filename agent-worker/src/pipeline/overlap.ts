import type { OverAgentReading } from '@voiceroom/agent-core/stages';

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

/** The words of backchannels and stop requests. */
const OVER_AGENT_WORDS = new Set([
  ...BACKCHANNEL_WORDS,
  ...STOP_WORDS,
  ...STOP_PAIRS.keys(),
  ...STOP_PAIRS.values(),
]);

export function classifyOverlap(text: string): Overlap {
  const words = wordsOf(text);
  if (words.length === 0) return 'none';
  if (words.some((w, i) => STOP_WORDS.has(w) || (STOP_PAIRS.has(w) && STOP_PAIRS.get(w) === words[i + 1])))
    return 'stop';
  return words.every((w) => BACKCHANNEL_WORDS.has(w)) ? 'backchannel' : 'speech';
}

/**
 * A stop request and nothing else ("no", "wait", "okay no", "hold on"): what the open model also makes of a
 * backchannel. A stop word with other words ("no, make it two") is the start of a sentence. `textOverlap` is
 * classifyOverlap(text), passed by a caller that has it.
 */
export function isBareStop(text: string, textOverlap = classifyOverlap(text)): boolean {
  return textOverlap === 'stop' && wordsOf(text).every((w) => OVER_AGENT_WORDS.has(w));
}

/** What else the machine knows of the speech a final judged by judgeOverAgent is of. */
interface AroundFinal {
  /** The open model heard a stop word in the speech's partials or in the final's other hypotheses. */
  openHeardStop?: boolean;
  /** The VAD found no room's voices in the speech: the caller's voice alone (CallerVoice.alone). */
  voiceAlone?: boolean;
  /** classifyOverlap of the final's text, passed by a caller that has it. */
  textOverlap?: Overlap;
}

/**
 * A final of speech over the agent, judged with what the recogniser heard in it on its own (`overAgent`, a grammar
 * of backchannels and stop requests beside the open model) where it gives that. The open model is a whole language:
 * it hears a backchannel as a stop word ("okay" as "no", "uh huh" as "hang on") or as other words, and a stop word
 * as a hesitation or other words ("no" as "um", "wait" as "we"). The grammar knows no other words, so it rarely
 * hears a backchannel in anything else: its backchannel decides. Its stop decides where the open model heard a stop
 * too (`openHeardStop`), or only a hesitation, or other words in the caller's voice alone (`voiceAlone`): in babble
 * it makes stop requests of the room's voices ("hang on") that the open model does not hear. Other speech it heard
 * leaves the open model's verdict.
 */
export function judgeOverAgent(
  text: string,
  overAgent: OverAgentReading | undefined,
  { openHeardStop = false, voiceAlone = false, textOverlap }: AroundFinal = {},
): Overlap {
  const heard = textOverlap ?? classifyOverlap(text);
  if (!overAgent?.phrase || heard === 'none') return heard;
  const phrase = classifyOverlap(overAgent.phrase);
  if (phrase === 'backchannel') return phrase;
  const stop = openHeardStop || isHesitation(text) || (voiceAlone && heard === 'speech');
  return phrase === 'stop' && stop ? phrase : heard;
}

/** What callers say before a word while they think: a backchannel is the same with or without them. */
const FILLERS = new Set(['uh', 'er', 'um', 'ah', 'oh']);
/** Only hesitations ("um", "er uh"). */
function isHesitation(text: string): boolean {
  const words = wordsOf(text);
  return words.length > 0 && words.every((w) => FILLERS.has(w));
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}
