import type { Expectation, Nlu, Understanding } from './understand.ts';

/**
 * One of the recogniser's hypotheses of a caller's turn, understood at most once for each expectation it is read
 * with: the turn's choice of hypothesis, its checks of the address and the name and its guesses all read the same
 * n-best list, and the NLU is pure, so each reading is shared instead of parsed again.
 */
export class Hypothesis {
  readonly text: string;
  readonly #nlu: Nlu;
  readonly #understood = new Map<Expectation, Understanding>();

  constructor(nlu: Nlu, text: string) {
    this.#nlu = nlu;
    this.text = text;
  }

  /** The recogniser's hypotheses (best first), each read when first asked for. */
  static all(nlu: Nlu, texts: readonly string[]): Hypothesis[] {
    return texts.map((text) => new Hypothesis(nlu, text));
  }

  /** What the NLU understands of the hypothesis as an answer to `expecting`. */
  understood(expecting: Expectation): Understanding {
    let understanding = this.#understood.get(expecting);
    if (!understanding) {
      understanding = this.#nlu.understand(this.text, expecting);
      this.#understood.set(expecting, understanding);
    }
    return understanding;
  }
}
