import type { ChatMessage } from '../stages/index.ts';

const wordsOf = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);
/** Enough of a reply's opening to tell it from the agent's earlier replies in the history. */
const OPENING_WORDS = 3;

/**
 * Whether the caller heard the agent's last read-back of the order whole. A reply the caller talked over (a
 * barge-in, or a backchannel taken for one) reaches the chat history only as far as it played: a read-back cut in
 * its first words was never heard, and asking "Shall I place the order?" after it would place an order the caller
 * never heard. Works from the history alone, so it holds for any pipeline that records what was heard.
 */
export class ReadBackHearing {
  /** The last reply's read-back: its opening words and its length up to the question; undefined when it read none. */
  #readBack: { opening: string; words: number } | undefined;
  #missed = false;

  /** Whether the read-back in the agent's last reply was cut off before the caller heard it whole. */
  get missed(): boolean {
    return this.#missed;
  }

  /** Before answering a caller turn: what of the agent's last reply `history` says the caller heard. */
  heard(history: readonly ChatMessage[]): void {
    const last = history.findLast((m) => m.role === 'assistant' && m.speaker !== 'human');
    const readBack = this.#readBack;
    if (readBack === undefined || last === undefined) {
      // nothing read back, or a history that records none of the agent's words: nothing to tell
      this.#missed = false;
      return;
    }
    const heard = wordsOf(last.content);
    // a reply cut before a sound leaves no trace: the history's last agent words are an earlier reply's
    const isThisReply = heard.slice(0, OPENING_WORDS).join(' ') === readBack.opening;
    this.#missed = !isThisReply || heard.length < readBack.words;
  }

  /** The reply about to be said, its question last; `readsBack`: whether it reads the order back. */
  said(sentences: readonly string[], readsBack: boolean): void {
    const upToQuestion = wordsOf(sentences.slice(0, -1).join(' '));
    this.#readBack = readsBack
      ? { opening: upToQuestion.slice(0, OPENING_WORDS).join(' '), words: upToQuestion.length }
      : undefined;
  }
}
