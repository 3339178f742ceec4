import { editDistance } from '../nlu/fuzzy.ts';

/**
 * Counts how many times in a row the agent asks about the same thing without the caller getting past it, so the
 * dialog can change tack (confirm a guess, offer the choices, offer a person) instead of asking a third time.
 */
export class QuestionLadder {
  #key: string | undefined;
  #failures = 0;

  /** The agent is about to ask about `key`: how many times it already asked in a row without progress. */
  step(key: string, progressed: boolean): number {
    if (key === this.#key && !progressed) this.#failures++;
    else {
      this.#key = key;
      this.#failures = 0;
    }
    return this.#failures;
  }

  reset(): void {
    this.#key = undefined;
    this.#failures = 0;
  }
}

/**
 * Keeps a question from being said a third time in a row even when each answer made progress ("Anything else?"
 * after every item): the third time it is said in other words.
 */
export class RepeatGuard {
  readonly #recent: string[] = [];

  say(question: string): string {
    const text = this.#saidTwice(question)
      ? (REPHRASED[question] ?? `So, ${lowerFirst(question)}`)
      : question;
    this.#note(text);
    return text;
  }

  /**
   * A question of the agent's own that only a repeat of the caller's answer would ask again ("Which pizza would you
   * like?" while the item named is lost each time): `question`, or undefined when it was said the last two times.
   */
  unlessTwice(question: string): string | undefined {
    if (this.#saidTwice(question)) return undefined;
    this.#note(question);
    return question;
  }

  #saidTwice(question: string): boolean {
    const [a, b] = this.#recent.slice(-2);
    return a === question && b === question;
  }

  #note(text: string): void {
    this.#recent.push(text);
    if (this.#recent.length > 2) this.#recent.shift();
  }
}

const REPHRASED: Readonly<Record<string, string>> = {
  'Anything else?': 'What else can I get you?',
  'Would you like anything else?': 'Is there anything else you would like?',
};

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The size a misheard word most likely was ("median" -> medium), when exactly one is close. */
export function guessSize(words: readonly string[], sizes: readonly string[]): string | undefined {
  const close = new Set<string>();
  for (const word of words) {
    if (word.length < 3) continue;
    for (const size of sizes) if (editDistance(word, size, 2) <= 2) close.add(size);
  }
  return close.size === 1 ? [...close][0] : undefined;
}
