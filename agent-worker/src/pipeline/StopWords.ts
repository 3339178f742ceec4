import { classifyOverlap } from './overlap.ts';

/** What the recogniser has heard of stop words ("wait", "no", "stop") in the caller's current speech. */
export class StopWords {
  #inBest = false;
  #inOthersOnly = false;
  #inGrammar = false;
  #deferred = false;

  /** A new speech begins: nothing heard yet. */
  reset(): void {
    this.#inBest = false;
    this.#inOthersOnly = false;
    this.#inGrammar = false;
    this.#deferred = false;
  }

  /**
   * A partial or a final arrived: its best hypothesis, its other hypotheses and what the over-agent grammar heard
   * (`grammarPhrase`); `textOverlap` is classifyOverlap(text), passed by a caller that has it.
   */
  heard(
    text: string,
    alternatives: readonly string[] = [],
    grammarPhrase = '',
    textOverlap = classifyOverlap(text),
  ): void {
    this.#inBest ||= textOverlap === 'stop';
    this.#inOthersOnly ||= alternatives.some((t) => classifyOverlap(t) === 'stop');
    this.#inGrammar ||= classifyOverlap(grammarPhrase) === 'stop';
  }

  /** The over-agent grammar heard a stop request in a final. */
  get inGrammar(): boolean {
    return this.#inGrammar;
  }

  /** In a partial or a final's best hypothesis. */
  get inBest(): boolean {
    return this.#inBest;
  }

  /** In a partial or a final's best hypothesis, or only in a final's other hypotheses. */
  get anywhere(): boolean {
    return this.#inBest || this.#inOthersOnly;
  }

  /** A partial's bare stop word waits for the final: it stands unless that is a backchannel. */
  defer(): void {
    this.#deferred = true;
  }

  get deferred(): boolean {
    return this.#deferred;
  }
}
