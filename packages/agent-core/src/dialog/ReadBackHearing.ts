import { spokenWords } from '../nlu/index.ts';

/**
 * Whether the caller heard the agent's last read-back of the order whole. A reply the caller talked over (a
 * barge-in, or a backchannel taken for one) is heard only as far as it played: a read-back cut before its question
 * was never heard, and asking "Shall I place the order?" after it would place an order the caller never heard.
 */
export class ReadBackHearing {
  /** The question of the agent's last reply, when that reply read the order back. */
  #question: string | undefined;
  #reading = false;
  #missed = false;

  /** Whether the read-back in the agent's last reply was cut off before the caller heard it whole. */
  get missed(): boolean {
    return this.#missed;
  }

  /**
   * Before answering a caller turn: `unheardAsk`, what of the agent's last reply the caller did not hear, from the
   * sentence it was cut off in through its question (see DialogTurnInput).
   */
  heard(unheardAsk: string | undefined): void {
    const question = this.#question;
    // more unheard than the question itself: the cut fell in the read-back
    this.#missed =
      question !== undefined &&
      unheardAsk !== undefined &&
      spokenWords(unheardAsk).length > spokenWords(question).length;
    this.#reading = false;
  }

  /** The reply being put together reads the order back. */
  readsBack(): void {
    this.#reading = true;
  }

  /** The reply about to be said, its question last. */
  said(sentences: readonly string[]): void {
    this.#question = this.#reading ? sentences.at(-1) : undefined;
  }
}
