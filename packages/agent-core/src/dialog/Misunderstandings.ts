import type { Reply } from './scriptedFacts.ts';

/**
 * Caller turns in a row the agent understood nothing of, and when they hand the call to a person. With an order
 * taken, the repair ladder moves the call on to the read-back, where the caller can check and correct all of it; a
 * person is for a call with nothing to read back, or a read-back that is not answered.
 */
export class Misunderstandings {
  readonly #max: number;
  #inARow = 0;

  /** `max`: the agent's handoff.maxMisunderstandings. */
  constructor(max: number) {
    this.#max = max;
  }

  /** A turn heard (`understood` or not); the handoff reply when it makes too many in a row. */
  heard(understood: boolean, nothingToReadBack: boolean): Reply | undefined {
    if (understood) {
      this.#inARow = 0;
      return undefined;
    }
    this.#inARow++;
    if (this.#inARow < this.#max || !nothingToReadBack) return undefined;
    return {
      sentences: ["I'm sorry, I'm having trouble understanding. Let me get a person to help you."],
      handoff: `${this.#inARow} misunderstood turns in a row`,
    };
  }
}
