import { isCommonFirstName, isCommonName, lacksLastName } from '../nlu/index.ts';
import { CONFIRM_NAME_BELOW } from './scriptedFacts.ts';

/** The share of the n-best hypotheses saying the same name from which the name is taken without a check. */
const NAMES_AGREE_FROM = 0.6;

/**
 * How the agent gets a name past a recogniser that mishears names, in a bounded number of turns: a name heard with
 * low confidence is checked once ("Did you say Sarah Miller?"); after a no (or a name question that failed twice)
 * the caller is asked to spell it, once. The spelled name is taken as heard, without another check (a spelling
 * misheard once is misheard again: checking it only loops), and when the spelling gave no name the call goes on
 * without one. A first name heard alone gets "And your last name?", once in the call ("Could you spell your last
 * name?" when it was spelled: the pause between the two spelled words is where a recogniser loses the second). A
 * name still unsure after that is not checked but asked spelled: the name was asked for twice, and a third question
 * about it would be the check whose no leads to the spelling. The caller can still give or correct the name at any
 * time.
 */
export class NameRepair {
  #spellAsked = false;
  #awaitingSpelling = false;
  #skipped = false;
  #lastNameAsked = false;

  /** The next name question asks the caller to spell it. */
  get awaitingSpelling(): boolean {
    return this.#awaitingSpelling;
  }

  /** The call goes on without the name. */
  get skipped(): boolean {
    return this.#skipped;
  }

  /**
   * Whether a name just heard (`name`, `before` it was heard) is read back as a question instead of taken: when
   * the recogniser was unsure of it and, when it gave other hypotheses, they do not agree on the name (`agreement`,
   * the share that say the same name) or it has a word that is no common first or last name. A name taken is still said back ("Thanks, Sarah.", the read-back), and the
   * caller can correct it at any time: a check costs a turn, so it is kept for names likely wrong.
   */
  shouldCheck(
    name: string | null,
    before: string | null,
    confidence: number | undefined,
    agreement: () => number | undefined,
  ): boolean {
    if (!name || name === before || this.#spellAsked) return false;
    if (confidence === undefined || confidence >= CONFIRM_NAME_BELOW) return false;
    // a word that is no common name is more often a word misheard for one ("Gregory Salads"), agreed on or not
    if (!name.toLowerCase().split(' ').every(isCommonName)) return true;
    // a common first name alone is asked about anyway (its last name), and the whole name checked then if need be
    if (this.wantsLastName(name)) return false;
    return (agreement() ?? 0) < NAMES_AGREE_FROM;
  }

  /**
   * Whether the name question is asked again for the last name of `name` (a first name alone, see lacksLastName). A
   * spelled word that is no common first name is more often both names run together ("jeffreygieg") or a spelling
   * misheard ("pprnarthur") than a first name alone, so it is not asked about.
   */
  wantsLastName(name: string): boolean {
    if (this.#lastNameAsked || !lacksLastName(name)) return false;
    return !this.#spellAsked || isCommonFirstName(name.toLowerCase());
  }

  /** The agent asks for the last name, spelled if the first name was: never again in the call, whatever the answer. */
  askLastName(): void {
    this.#lastNameAsked = true;
    this.#awaitingSpelling = this.#spellAsked;
  }

  /** A name to check is asked spelled instead: its last name was already asked for (see the class comment). */
  get spellsInsteadOfCheck(): boolean {
    return this.#lastNameAsked && !this.#spellAsked;
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
