/**
 * Semantic end of turn: how long to wait after the caller stops speaking, judged from what they said so far. A
 * sentence that cannot end there ("and", "my name is", a number still being said, a trailing "um") gets the longest
 * wait, so a natural pause is not cut; a complete short answer ("yes", "that's all", "thanks") the shortest, so
 * the reply comes sooner; anything else the configured delay. A lone "yes", "no" or "okay" is complete only as the
 * answer to a yes/no question: elsewhere ("Anything else?" "No, ... that's everything"; "Okay, ... I'd like") callers
 * go on after it, and cutting there made the agent answer half a sentence, so it waits as unfinished (as do other
 * lead-ins: "actually", "well", "um"). An answer to "Can I get a name?" or "What's the address?" gets the longest
 * wait too unless closed ("..., thanks"): in bench:robustness 5 of 7 cut-offs were a name or an address followed,
 * after a 400-850 ms pause, by the next detail; so does a phone number still short of its ten digits. A whole phone
 * number is the end of those details: answered sooner, not after the longest wait.
 */
import { isNumberPart, parseDigitRun } from '@voiceroom/agent-core/nlu';
import type { SttExpectation } from '@voiceroom/agent-core/stages';

export interface EndpointingBounds {
  endpointingDelayMs: number;
  /** Defaults to endpointingDelayMs (no adaptation) when absent. */
  minEndpointingDelayMs?: number;
  maxEndpointingDelayMs?: number;
}

export type Completeness = 'incomplete' | 'complete' | 'unknown';

/** Words a sentence does not end on. */
const CONTINUATIONS = new Set([
  'and',
  'or',
  'but',
  'plus',
  'with',
  'also',
  'then',
  'so',
  'because',
  'to',
  'for',
  'of',
  'at',
  'on',
  'in',
  'from',
  'the',
  'a',
  'an',
  'my',
  'your',
  'is',
  'are',
  'its',
  'like',
  'want',
  'get',
  'have',
  'um',
  'uh',
  'er',
  'erm',
  'uhm',
  'hmm',
  'mm',
  'apartment',
  'apt',
  'unit',
  'suite',
  'number',
  'name',
  'address',
  'dash',
  'oh',
  // a subject with its verb still to come ("sorry, i ... need", "i'd ... like")
  'i',
  'id',
  'ill',
  'im',
]);

/**
 * Sizes and kinds said before the item they describe: after a count or an article ("a large", "two medium", "one
 * diet") the item is still to come, often after a pause to choose it.
 */
const BEFORE_AN_ITEM = new Set(
  'small medium large regular extra big little family personal jumbo diet'.split(' '),
);
/** Articles that, like a count, make such a modifier a description of what follows ("a large", not "the large"). */
const ARTICLES = new Set(['a', 'an', 'another', 'some']);
/** Words before "a large" that make it a new size for a line already ordered ("make it a large"). */
const RESIZED_AFTER = new Set(['it', 'that', 'them', 'to', 'into']);
/** Verbs whose object is still to come after "to" ("i would like to order", "i want to add"). */
const VERBS_BEFORE_AN_OBJECT = new Set(['order', 'get', 'have', 'add', 'try', 'change', 'make', 'place']);

/** Words after which a single number is the start of a longer one ("is twelve", "at one"). */
const BEFORE_A_NUMBER = new Set(['is', 'at', 'on', 'and', 'um', 'uh', 'dash']);

/** Openers a caller pauses after before saying what they want ("Hello, ... I'd like a pizza"). */
const OPENERS =
  /^((yes|yeah|oh) )?(hello|hi|hey|hi there|hello there|good (morning|afternoon|evening)|great)$/;

/**
 * Words that only lead into what the caller is about to say ("Okay. ... I'd like", "No, ... that's everything",
 * "Actually, ... make it two"): a turn of nothing else answers no question but a yes/no one.
 */
const LEAD_INS = new Set(
  'yes yeah yep yup sure okay ok right correct exactly perfect absolutely no nope nah alright well so actually hmm um uh oh wait sorry'.split(
    ' ',
  ),
);

/** Whole answers that are complete on their own. */
const COMPLETE_ANSWERS = [
  /^(yes|yeah|yep|yup|sure|okay|ok|alright|correct|right|exactly|perfect|absolutely)( (please|thanks|thank you|thats right|that is right|thats correct|go ahead))?$/,
  /^(that )?sounds (good|great|right|perfect)( thanks| thank you)?$/,
  /^(no|nope|nah)( (thanks|thank you|thats all|thats it|thats everything))?$/,
  /^(no )?(thats|that is|thatll be) (all|it|everything|right|correct)( thanks| thank you)?$/,
  /^(thanks|thank you)( very much| so much)?$/,
  /^(bye|goodbye|bye bye)$/,
  // Asking for a person is the whole turn ("I want to talk to a person", "get me a manager", or misheard as "i want a
  // person"): the handoff should not wait on the longer delay.
  /\b(talk|speak|want|need|get me|transfer me|connect me)\b.*\b(person|human|manager|representative|someone)$/,
];
/**
 * Questions whose answers callers often carry on after a pause with the next detail ("my name is Sean Wagner, …
 * and the address is ..."; "12 Oak Street, … my number is ..."; a name spelled first name, pause, last name).
 */
const DETAIL_QUESTIONS: ReadonlySet<SttExpectation> = new Set(['name', 'address']);
/**
 * A whole phone number: a North American one (area code and number), with the country's 1 or without. More digits
 * are a number misheard, not known to be finished.
 */
const PHONE_DIGITS = { min: 10, max: 11 };
/** Endings that close a request. */
const CLOSING = /\b(please|thanks|thank you|thats all|thats it|thats everything)$/;

/** The end of a long turn is all that decides. */
const MAX_CHARS = 200;

/**
 * How many digits the number the words end on has, read as the phone parser reads it (parseDigitRun: digit by
 * digit, in pairs, "double five", "five hundred").
 */
function trailingDigits(words: readonly string[]): number {
  let start = words.length;
  while (start > 0 && isNumberPart(words[start - 1] as string)) start--;
  return parseDigitRun(words, start)?.digits.length ?? 0;
}

/** `expecting`: what the agent's last question asked for (undefined before it asked anything). */
export function completeness(text: string, expecting?: SttExpectation): Completeness {
  const normal = text
    .slice(-MAX_CHARS)
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (normal === '') return 'unknown';
  const words = normal.split(' ');
  const last = words.at(-1) ?? '';
  // a whole phone number (even one ending in "oh") ends the caller's details, whatever was asked
  const digits = trailingDigits(words);
  if (digits >= PHONE_DIGITS.min && digits <= PHONE_DIGITS.max) return 'complete';
  if (CONTINUATIONS.has(last) || OPENERS.test(normal)) return 'incomplete';
  const previous = words.at(-2) ?? '';
  // "i would like to order", "i'd like a large ... pepperoni": the thing wanted is still to come. Asked for a size,
  // "a large" is the answer.
  if (previous === 'to' && VERBS_BEFORE_AN_OBJECT.has(last)) return 'incomplete';
  // A new size for a line already ordered ("make it a large", "change that to a medium") is complete.
  const resized = RESIZED_AFTER.has(words.at(-3) ?? '');
  const counted = ARTICLES.has(previous) || isNumberPart(previous);
  if (expecting !== 'size' && !resized && BEFORE_AN_ITEM.has(last) && counted) return 'incomplete';
  // "five five five one", "one twenty", "my address is twelve": a phone or house number still being said.
  if (isNumberPart(last) && (isNumberPart(previous) || BEFORE_A_NUMBER.has(previous))) return 'incomplete';
  if (expecting !== undefined && expecting !== 'yesno' && words.every((w) => LEAD_INS.has(w)))
    return 'incomplete';
  // asked for the order, a quantity alone ("three ... garlic breads") has not said what yet
  if (expecting === 'order' && words.every(isNumberPart)) return 'incomplete';
  if (COMPLETE_ANSWERS.some((p) => p.test(normal)) || CLOSING.test(normal)) return 'complete';
  if (expecting !== undefined && DETAIL_QUESTIONS.has(expecting)) return 'incomplete';
  // Asked for the order or a yes or no, one word that is not a whole answer has not said it yet: mostly a hesitation
  // the recogniser made into a word of its model ("um ... also two pepperoni" heard "tom | also ...", "uh ... that'll
  // be all" as "bob | that will be all": bench:robustness seed 2, 3 of 5 cut-offs).
  if ((expecting === 'order' || expecting === 'yesno') && words.length === 1) return 'incomplete';
  // Asked for a phone number, digits short of a whole one: the rest follows after a pause between groups (which the
  // recogniser may have made into other words).
  if (expecting === 'phone' && words.some(isNumberPart)) return 'incomplete';
  return 'unknown';
}

/**
 * Joining words a recogniser's final tends to drop at the end (its language model would rather end the sentence
 * before "and") while its last partial, decoded without the end of sentence, still had them.
 */
const DROPPED_JOINS = new Set(['and', 'or', 'but', 'plus', 'also', 'um', 'uh', 'er', 'erm', 'uhm']);

/**
 * The text to judge the end of turn on: the final's, with the last partial's trailing joining word put back when
 * the final dropped it ("i'd like three large margherita pizzas and" -> final "... pizza").
 */
export function judgedText(finalText: string, lastPartial: string | undefined): string {
  const word = (t: string | undefined) =>
    t
      ?.toLowerCase()
      .match(/[a-z']+/g)
      ?.at(-1);
  const joining = word(lastPartial);
  if (!joining || !DROPPED_JOINS.has(joining) || word(finalText) === joining) return finalText;
  return `${finalText} ${joining}`;
}

/** The shortest wait (after a complete answer) and the longest (after an unfinished one), around the base wait. */
export function delayRange(bounds: EndpointingBounds): { shortestMs: number; longestMs: number } {
  const base = bounds.endpointingDelayMs;
  return {
    shortestMs: Math.min(bounds.minEndpointingDelayMs ?? base, base),
    longestMs: Math.max(bounds.maxEndpointingDelayMs ?? base, base),
  };
}

export function endpointingDelayMs(
  text: string,
  bounds: EndpointingBounds,
  expecting?: SttExpectation,
): number {
  const { shortestMs, longestMs } = delayRange(bounds);
  const judged = completeness(text, expecting);
  return judged === 'incomplete' ? longestMs : judged === 'complete' ? shortestMs : bounds.endpointingDelayMs;
}
