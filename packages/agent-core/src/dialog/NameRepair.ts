import { CONFIRM_NAME_BELOW } from './scriptedFacts.ts';

/**
 * How the agent gets a name past a recogniser that mishears names, in a bounded number of turns: a name heard with
 * low confidence is checked once ("Did you say Sarah Miller?"); after a no (or a name question that failed twice)
 * the caller is asked to spell it, once. The spelled name is taken as heard, without another check (a spelling
 * misheard once is misheard again: checking it only loops), and when the spelling gave no name the call goes on
 * without one. The caller can still give or correct the name at any time.
 */
export class NameRepair {
  #spellAsked = false;
  #awaitingSpelling = false;
  #skipped = false;

  /** The next name question asks the caller to spell it. */
  get awaitingSpelling(): boolean {
    return this.#awaitingSpelling;
  }

  /** The call goes on without the name. */
  get skipped(): boolean {
    return this.#skipped;
  }

  /** Whether a name just heard (`name`, `before` it was heard) is read back as a question instead of taken. */
  shouldCheck(name: string | null, before: string | null, confidence: number | undefined): boolean {
    if (!name || name === before || this.#spellAsked) return false;
    return confidence !== undefined && confidence < CONFIRM_NAME_BELOW;
  }

  /** The agent asks the caller to spell the name (after a wrong check or failed asks); false once it did. */
  askSpelling(): boolean {
    if (this.#spellAsked) return false;
    this.#spellAsked = true;
    this.#awaitingSpelling = true;
    return true;
  }

  /** The caller answered the spelling request: `gotName` whether a name came of it; none leaves the name out. */
  spelled(gotName: boolean): void {
    this.#awaitingSpelling = false;
    if (!gotName) this.#skipped = true;
  }

  skip(): void {
    this.#awaitingSpelling = false;
    this.#skipped = true;
  }
}
