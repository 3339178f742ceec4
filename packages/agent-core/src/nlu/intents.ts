import { findPhrase, hasAnyPhrase } from './text.ts';

/** Small intent detectors over normalised words. Each is independent; the dialog policy decides what wins. */

/** Yes words that say the agent heard right: the only yes to a check of what was heard ("Did you say five cokes?"). */
const YES_HEARD_RIGHT = [
  'yes',
  'yeah',
  'yep',
  'yup',
  'yea',
  'correct',
  'right',
  'exactly',
  'absolutely',
  'definitely',
  'that is it',
];
/**
 * Phrases that agree to what the agent proposes ("Shall I place the order?" "go ahead"): a yes to a proposal, but no
 * answer to whether the agent heard right ("Did you say five cokes?" "go ahead" is most likely a "no" misheard).
 */
const AGREE = [
  'sure',
  'ok',
  'okay',
  'perfect',
  'confirm',
  'confirmed',
  'please do',
  'go ahead',
  'sounds good',
  'looks good',
  'all good',
  'of course',
  'great',
];
const YES = [...YES_HEARD_RIGHT, ...AGREE];
const NO = ['no', 'nope', 'nah', 'not quite', 'not right', 'wrong', 'incorrect', 'thats not', 'negative'];
const DONE = [
  'thats all',
  'that is all',
  'thats it',
  'that is it',
  'thats everything',
  'nothing else',
  'im done',
  'im good',
  'all set',
  'no thanks',
  'no thank you',
  'thats about it',
  'nothing more',
  'that will be all',
  'thatll be all',
  'thatll do',
  'just that',
  'only that',
  'i think thats it',
  'no more',
  'no thats',
];
const GOODBYE = [
  'bye',
  'goodbye',
  'good bye',
  'bye bye',
  'see you',
  'see ya',
  'have a good',
  'have a nice',
  'talk to you later',
  'hang up',
  'take care',
];
const STRONG_HUMAN_PHRASES = [
  'real person',
  'human being',
  'talk to someone',
  'speak to someone',
  'speak with someone',
  'customer service',
  'live agent',
  'real agent',
];
const ASKING_PHRASES = [
  'talk to',
  'speak to',
  'speak with',
  'transfer me',
  'connect me',
  'get me',
  'want',
  'need',
  'can i have',
  'let me',
  'put me',
];
const MENU_QUESTIONS = [
  'what do you have',
  'whats on the menu',
  'what is on the menu',
  'the menu',
  'your menu',
  'what kind',
  'what kinds',
  'what types',
  'what pizzas',
  'what sides',
  'what drinks',
  'what else do you',
  'what are my options',
  'what can i get',
  'what do you sell',
  'what sizes',
  'what do you offer',
  'what flavors',
  'which pizzas',
];
const PRICE_QUESTIONS = [
  'how much',
  'what does',
  'whats the price',
  'what is the price',
  'price of',
  'cost',
  'costs',
];
const LEADING_FILLERS = new Set([
  'and',
  'so',
  'um',
  'uh',
  'oh',
  'yeah',
  'hi',
  'hello',
  'hey',
  'ok',
  'okay',
  'well',
  'also',
  'but',
  'great',
]);
/** Questions asked in the middle of a sentence ("so first of all how long does delivery take"). */
const QUESTION_PHRASES = [
  'i was wondering',
  'wondering if',
  'can you tell me',
  'do you know',
  'tell me',
  'how long',
  'how much',
  'what time',
  'when do you',
  'when are you',
  'do you have',
  'do you deliver',
  'are you open',
  'is delivery',
  'is there',
  'what are your',
];
const QUESTION_WORDS = new Set([
  'what',
  'whats',
  'when',
  'whens',
  'where',
  'how',
  'hows',
  'do',
  'does',
  'is',
  'are',
  'can',
  'could',
  'will',
  'would',
  'which',
  'any',
  'whats',
]);

function firstWordsAre(words: readonly string[], phrases: readonly string[], window = 3): boolean {
  return phrases.some((p) => {
    const at = findPhrase(words, p);
    return at >= 0 && at < window;
  });
}

/**
 * The kind of yes/no question the agent asked: a proposal of its own ("Shall I place the order?", "Would you like a
 * person?"), or a check of what it heard ("Did you say five cokes?"), which only a yes that says it heard right
 * answers.
 */
export type YesNoQuestion = 'proposal' | 'check';

export function isAffirmative(words: readonly string[], question: YesNoQuestion = 'proposal'): boolean {
  if (words.length === 0 || firstWordsAre(words, NO, 2)) return false;
  return firstWordsAre(words, question === 'check' ? YES_HEARD_RIGHT : YES, 3);
}

export function isNegative(words: readonly string[]): boolean {
  return firstWordsAre(words, NO, 2) || (words.length <= 4 && hasAnyPhrase(words, ['dont', 'not']));
}

/**
 * What a recogniser makes of a short "yes" or "no" ("yes that's right" heard as "us", "no" as "know"). Only read
 * this way when the agent just asked a yes/no question: anywhere else these words mean themselves.
 */
const HEARD_AS_YES = [
  'us',
  'yes',
  'yet',
  'yas',
  'yah',
  'ya',
  'yeh',
  'yo',
  'yess',
  'es',
  'ess',
  's',
  'guess',
  'jess',
  'chess',
  'uh huh',
  'mhm',
  'mm hmm',
  'mmhmm',
  'uhhuh',
  'thats right',
  'that is right',
  'thats correct',
  'that is correct',
  'sounds right',
  'yes please',
  'i do',
  'i did',
  'it is',
  'thats it',
];
/** A short agreement heard as a yes to a proposal only (see AGREE). */
const HEARD_AS_AGREEING = ['all right', 'alright', 'place it', 'do it', 'go for it', 'please'];
const HEARD_AS_NO = ['know', 'now', 'noh', 'naw', 'nor', 'note', 'not', 'wait', 'hold on', 'hang on', 'stop'];

/**
 * Yes or no to a yes/no question, leaning on the question: undefined when the answer is neither. To a check
 * (`question`), an agreement ("go ahead", "sounds good") is neither.
 */
export function yesNoAnswer(
  words: readonly string[],
  question: YesNoQuestion = 'proposal',
): 'yes' | 'no' | undefined {
  if (isNegative(words)) return 'no';
  if (isAffirmative(words, question)) return 'yes';
  const content = words.filter((w) => !YES_NO_FILLERS.has(w));
  if (content.length === 0 || content.length > 4) return undefined;
  if (firstWordsAre(content, HEARD_AS_NO, 1)) return 'no';
  const heardAsYes = question === 'check' ? HEARD_AS_YES : [...HEARD_AS_YES, ...HEARD_AS_AGREEING];
  if (firstWordsAre(words, heardAsYes, 1) || firstWordsAre(content, heardAsYes, 2)) return 'yes';
  return undefined;
}
const YES_NO_FILLERS = new Set(['um', 'uh', 'oh', 'well', 'so', 'and']);

/** Words a yes comes with ("yes that's right, go ahead and place the order, thank you"). */
const WITH_YES = new Set([
  ...[...YES, ...HEARD_AS_YES, ...HEARD_AS_AGREEING].flatMap((p) => p.split(' ')),
  ...YES_NO_FILLERS,
  ...[
    'thank',
    'thanks',
    'you',
    'very',
    'much',
    'the',
    'order',
    'that',
    'thats',
    'all',
    'good',
    'fine',
    'just',
  ],
]);
const MIN_OTHER_WORDS = 3;

/**
 * A yes that is not a clear one: heard with a no ("yeah so no, change the drink") or among words that are mostly
 * something else ("correct the lemon it to a lodge while"), most likely a correction the recogniser half lost.
 */
export function isUnsureYes(words: readonly string[]): boolean {
  if (hasAnyPhrase(words, NO)) return true;
  const other = words.filter((w) => !WITH_YES.has(w)).length;
  return other >= MIN_OTHER_WORDS && other > words.length - other;
}

/** "That's all", "no, that's it": the caller has nothing more to order. */
export function isDoneOrdering(words: readonly string[]): boolean {
  return (
    hasAnyPhrase(words, DONE) ||
    (words.length <= 2 && (words[0] === 'no' || words[0] === 'nope' || words[0] === 'nah'))
  );
}

/** Small talk that needs a friendly answer, not a "sorry, I didn't get that". */
export type SmallTalk = 'greeting' | 'thanks' | 'wait';

/** What a caller says to stop the agent or to buy time: "wait" is not asking how long delivery takes. */
const HOLD_PHRASES = [
  'wait',
  'stop',
  'hold on',
  'hang on',
  'one moment',
  'one sec',
  'one second',
  'just a sec',
  'just a second',
  'just a minute',
  'let me think',
  'give me a second',
  'give me a minute',
  'bear with me',
];

/** The words left when the hold phrases ("wait", "give me a minute") are taken out. */
export function withoutHoldPhrases(words: readonly string[]): string[] {
  const held = new Set<number>();
  for (const phrase of HOLD_PHRASES) {
    const length = phrase.split(' ').length;
    for (let at = findPhrase(words, phrase); at >= 0; at = findPhrase(words, phrase, at + 1))
      for (let i = at; i < at + length; i++) held.add(i);
  }
  return words.filter((_, i) => !held.has(i));
}

export function smallTalk(words: readonly string[]): SmallTalk | undefined {
  if (words.length === 0 || words.length > 6) return undefined;
  if (hasAnyPhrase(words, HOLD_PHRASES)) return 'wait';
  if (words.length <= 4 && hasAnyPhrase(words, ['thanks', 'thank you', 'cheers'])) return 'thanks';
  if (
    words.length <= 3 &&
    hasAnyPhrase(words, ['hi', 'hello', 'hey', 'good morning', 'good afternoon', 'good evening', 'hi there'])
  ) {
    return 'greeting';
  }
  return undefined;
}

export function isGoodbye(words: readonly string[]): boolean {
  return hasAnyPhrase(words, GOODBYE);
}

/** The caller asks for a human: the agent's handoff keywords ("manager") or common phrases ("a real person"). */
export function wantsHuman(words: readonly string[], keywords: readonly string[]): boolean {
  if (hasAnyPhrase(words, STRONG_HUMAN_PHRASES)) return true;
  for (const keyword of keywords) {
    const phrase = keyword.toLowerCase();
    let at = findPhrase(words, phrase);
    if (at < 0) at = words.indexOf(`${phrase}s`);
    if (at < 0 || words[at - 1] === 'in') continue;
    // "talk to a manager", "manager please": the request comes before the keyword, or the keyword is all there is.
    const before = words.slice(0, at);
    if (words.length <= 4 || hasAnyPhrase(before, ASKING_PHRASES)) return true;
  }
  return false;
}

export function isQuestion(text: string, words: readonly string[]): boolean {
  const start = words.findIndex((w) => !LEADING_FILLERS.has(w));
  return (
    text.includes('?') || QUESTION_WORDS.has(words[start] ?? '') || hasAnyPhrase(words, QUESTION_PHRASES)
  );
}

export function asksForMenu(words: readonly string[]): boolean {
  return hasAnyPhrase(words, MENU_QUESTIONS) || (words.length <= 3 && words.includes('menu'));
}

export function asksForPrice(words: readonly string[]): boolean {
  return hasAnyPhrase(words, PRICE_QUESTIONS);
}
