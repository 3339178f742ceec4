import { describe, expect, it } from 'vitest';
import { CallTracker, type Expectation } from '../../src/nlu/index.ts';
import { pizzeria } from './pizzeria.ts';

const config = pizzeria();
const VOCABULARY = [
  ...'a an the two three to too one of those them it that make change remove no yes actually instead all both another more'.split(
    ' ',
  ),
  ...'large medium small big pepperoni pepper only margherita hawaiian veggie coke cokes wings salad garlic bread lemonade'.split(
    ' ',
  ),
  ...'street avenue apartment oh five five five double hundred and name is my its this under at dot com bye manager'.split(
    ' ',
  ),
  ...[
    '12',
    '4b',
    '555-123-4567',
    '?',
    '!',
    '...',
    'ñandú',
    '日本',
    "don't",
    "it's",
    '',
    '  ',
    '\u0000',
    '💩',
  ],
];

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('NLU robustness', () => {
  it('never throws and keeps the order valid, whatever the caller says', () => {
    const next = random(42);
    const expectations: Expectation[] = ['order', 'size', 'name', 'address', 'phone', 'confirm', 'none'];
    const items = new Map(config.menu.items.map((i) => [i.name, i]));
    for (let call = 0; call < 60; call++) {
      const tracker = new CallTracker({
        menu: config.menu,
        knowledge: config.knowledge,
        handoffKeywords: config.handoff.keywords,
      });
      for (let turn = 0; turn < 12; turn++) {
        const length = Math.floor(next() * 14);
        const text = Array.from({ length }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]).join(
          ' ',
        );
        const expecting = expectations[Math.floor(next() * expectations.length)] ?? 'order';
        expect(() => tracker.hear(text, expecting), text).not.toThrow();
        for (const line of tracker.order.lines) {
          const item = items.get(line.name);
          expect(item, line.name).toBeDefined();
          expect(Number.isInteger(line.quantity) && line.quantity >= 1, `${text} -> ${line.quantity}`).toBe(
            true,
          );
          if (line.size !== null) expect(Object.keys(item?.sizes ?? {})).toContain(line.size);
        }
        expect(tracker.order.lines.length).toBe(
          new Set(tracker.order.lines.map((l) => `${l.name}|${l.size}`)).size,
        );
      }
    }
  });
});
