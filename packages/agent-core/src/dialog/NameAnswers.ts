import { type CallTracker, type Hypothesis, rescoreHypotheses } from '../nlu/index.ts';
import type { CallStage } from './CallStage.ts';
import type { NameRepair } from './NameRepair.ts';
import { REPAIR_QUESTIONS } from './replies.ts';
import type { Pending } from './scriptedFacts.ts';

/**
 * The caller's answers at the name slot, taken as NameRepair has it: a name heard with low confidence is checked
 * ("Did you say Sarah Miller?") instead of taken, and the answer to "Could you spell your name?" is taken as heard.
 */
export class NameAnswers {
  readonly #tracker: CallTracker;
  readonly #call: CallStage;
  readonly #names: NameRepair;

  constructor(tracker: CallTracker, call: CallStage, names: NameRepair) {
    this.#tracker = tracker;
    this.#call = call;
    this.#names = names;
  }

  /**
   * The check of the name just heard (`before`: the name before the turn; `hypotheses`: the recogniser's, best
   * first) and what a no does (none for the spelling asked instead, see NameRepair); undefined when the name is
   * taken as heard.
   */
  check(
    before: string | null,
    confidence: number | undefined,
    hypotheses: readonly Hypothesis[],
  ): { question: string; pending?: Pending } | undefined {
    const name = this.#tracker.customer.name;
    // whether the n-best list agrees on the name, read only when a check is in question
    const agreement = () => {
      const [best, ...alternatives] = hypotheses;
      if (!best || alternatives.length === 0) return undefined;
      return rescoreHypotheses(best, alternatives, 'name').agreement;
    };
    if (!name || !this.#names.shouldCheck(name, before, confidence, agreement)) return undefined;
    // the name held until the spelling gives one (see spelled)
    if (this.#names.spellsInsteadOfCheck && this.#names.askSpelling()) {
      this.#call.moveTo('name', false);
      return { question: REPAIR_QUESTIONS.name };
    }
    const question = `Did you say ${name}?`;
    const pending: Pending = {
      question,
      accept: () => [],
      reject: () => {
        this.#tracker.forget('name');
        this.#call.moveTo('name', false);
        if (this.#names.askSpelling()) return ['Sorry about that.'];
        this.#names.skip();
        this.#call.skipFilled();
        return ["Sorry about that. Let's go on without the name for now."];
      },
    };
    return { question, pending };
  }

  /**
   * The answer to "Could you spell your name?": the name as heard stands (a name held from before, asked to spell
   * after the caller corrected it twice, included); without one the call goes on.
   */
  spelled(): string[] {
    const name = this.#tracker.customer.name;
    this.#names.spelled(name !== null);
    if (!this.#names.skipped) return [];
    this.#call.skipFilled();
    return ["Let's go on without the name for now."];
  }
}
