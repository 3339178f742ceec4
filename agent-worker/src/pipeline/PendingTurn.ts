import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { type EndpointingBounds, endpointingDelayMs, judgedText } from './endpointing.ts';

const MAX_PENDING_CHARS = 10_000;

/**
 * The caller's words recognised but not answered yet, and how long after their speech the turn waits for more
 * (endpointing.ts), judged again each time a final adds to them.
 */
export class PendingTurn {
  readonly #bounds: EndpointingBounds;
  #text = '';
  #delayMs = 0;

  constructor(bounds: EndpointingBounds) {
    this.#bounds = bounds;
  }

  get text(): string {
    return this.#text;
  }

  get delayMs(): number {
    return this.#delayMs;
  }

  /**
   * Adds a final's `text`; `lastPartial`, the partial before it, may still have a trailing "and" the final dropped.
   * Two recognised parts of one caller turn keep the caller's pause between them as a comma: the NLU reads a pause
   * there ("w i l l i a m, r o g e r s" is a first and a last name; joined with a space, one name).
   */
  add(text: string, lastPartial: string | undefined, expecting: SttExpectation | undefined): void {
    const said = text.trim();
    this.#text = (this.#text === '' ? said : `${this.#text}, ${said}`).slice(-MAX_PENDING_CHARS);
    this.#delayMs = endpointingDelayMs(judgedText(this.#text, lastPartial), this.#bounds, expecting);
  }

  /** The words to answer; none are pending after. */
  take(): string {
    const text = this.#text;
    this.#text = '';
    return text;
  }
}
