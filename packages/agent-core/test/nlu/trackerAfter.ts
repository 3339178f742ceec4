import { CallTracker, type Expectation } from '../../src/nlu/index.ts';
import { pizzeria } from './pizzeria.ts';

const config = pizzeria();

/** A call tracker on the test pizzeria after the caller said each utterance (to the order question unless given). */
export function orderAfter(...utterances: Array<string | [Expectation, string]>): CallTracker {
  const tracker = new CallTracker({
    menu: config.menu,
    knowledge: config.knowledge,
    handoffKeywords: config.handoff.keywords,
  });
  for (const u of utterances) {
    const [expecting, text] = typeof u === 'string' ? (['order', u] as const) : u;
    tracker.hear(text, expecting);
  }
  return tracker;
}

/** The tracker's order as [name, size, quantity] rows. */
export const lines = (tracker: CallTracker) => tracker.order.lines.map((l) => [l.name, l.size, l.quantity]);
