import type { ItemMention } from './menuMatcher.ts';
import { isNumberPart } from './numbers.ts';
import { ordersItemAfter } from './orderParser.ts';

const ARTICLES = new Set(['a', 'an']);

/**
 * An answer to the name, address or phone question that gives one, with menu items heard among its words: an item
 * counted with a number and no order word before it ("four one five five five five cokes one four": digits heard as
 * an order), or one the number goes on after ("three zero three i'd like five cokes oh three eight", a Scottish voice
 * in babble, bench:robustness seed 2 call 7), is the detail misheard, not an order. One said as an order ("... and
 * add a coke", "can I also get"), with an article ("and a coke") or a "please" after it is ordered. Returns `masked`
 * with each such item left out, from the end of what came before it (the detail, an earlier item) to its own end, so
 * its count goes with it; undefined when every item heard is ordered.
 */
export function maskItemsInDetail(
  words: readonly string[],
  items: readonly ItemMention[],
  masked: ReadonlySet<number>,
): ReadonlySet<number> | undefined {
  const left = new Set(masked);
  let previousEnd = 0;
  for (const item of items) {
    const start = afterLastMasked(masked, previousEnd, item.start);
    if (!saidAsOrder(words, start, item)) for (let i = start; i < item.end; i++) left.add(i);
    previousEnd = item.end;
  }
  return left.size > masked.size ? left : undefined;
}

/** The first position in [from, to) after the last masked one there (`from` when none is masked). */
function afterLastMasked(masked: ReadonlySet<number>, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (masked.has(i)) return i + 1;
  return from;
}

function saidAsOrder(words: readonly string[], start: number, item: ItemMention): boolean {
  if (isNumberPart(words[item.end] ?? '')) return false;
  const before = words.slice(start, item.start);
  // "a coke", "a large pizza": counted with an article, not with a number
  const counted = before.slice(-2);
  const withArticle = counted.some((w) => ARTICLES.has(w)) && !counted.some(isNumberPart);
  return ordersItemAfter(before) || withArticle || words[item.end] === 'please';
}
