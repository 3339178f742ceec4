import type { MenuMatcher } from './menuMatcher.ts';
import { isNumberWord } from './numbers.ts';
import { type Order, type OrderOp, sameLines } from './order.ts';
import type { Understanding } from './understand.ts';

/** What joins the old item to the new one in "change the coke to a salad", "swap the wings for a salad". */
const SWAP_CONNECTORS = new Set(['to', 'for', 'into']);
/** Words between the connector and the new item: "for three orders of chicken wings", "to a large hawaiian". */
const MAX_GAP = 4;
/**
 * With a count or a size before the old item ("change the" heard as "i'd like eight", "i'd like a medium"), only
 * these join a swap, and only these words (with counts and sizes) stand before the new item: "two margheritas for me
 * and a veggie" is two adds.
 */
const COUNTED_CONNECTORS = new Set(['to', 'into']);
const COUNTED_GAP_WORDS = new Set(['a', 'an', 'the', 'order', 'orders', 'of']);

/**
 * "change the coke to a caesar salad" heard as "and a coke to a caesar salad", "swap the margherita for a hawaiian"
 * as "i want the margherita for a hawaiian": an item already on the order, named again without changing it and
 * followed by "to" or "for" and another item, is a change whose verb the recogniser lost. Read as adds, the old item
 * stays and the caller has to take it off again; read as a swap, its line becomes the new item (its count kept).
 * The verb lost as a count or a size ("change the margherita to a medium veggie" heard as "i'd like eight margherita
 * pizza to a medium veggie pizza", or "i'd like a medium margherita pizza to ...") is a swap too when "to" or "into"
 * joins the two items closely: read as adds, the count was checked with the caller, refused, and heard the same way
 * again; the size became a second margherita line the caller had to take off.
 */
export function swapWithLostVerb(u: Understanding, matcher: MenuMatcher, order: Order): Understanding {
  const [first, second, ...rest] = u.ops;
  if (rest.length > 0 || first?.kind !== 'add' || second?.kind !== 'add' || first.name === second.name)
    return u;
  if (!order.lines.some((l) => l.name === first.name)) return u;
  const counted = !leavesUnchanged(order, first);
  if (counted && !first.explicitQuantity && first.size === null) return u;
  const mentions = matcher.findItems(u.words);
  const old = mentions.find((m) => m.item.name === first.name);
  const wanted = mentions.find((m) => m.item.name === second.name);
  if (!old || !wanted || wanted.start <= old.end || wanted.start - old.end > MAX_GAP) return u;
  const connector = u.words[old.end] ?? '';
  if (!(counted ? COUNTED_CONNECTORS : SWAP_CONNECTORS).has(connector)) return u;
  if (counted && !closelyJoined(u.words, old.end + 1, wanted.start, matcher)) return u;
  const ops: OrderOp[] = [
    { kind: 'replace_item', target: { name: first.name }, name: second.name, size: second.size },
  ];
  if (second.explicitQuantity)
    ops.push({ kind: 'set_quantity', target: { name: second.name }, quantity: second.quantity });
  return { ...u, ops };
}

/** Only articles, counts and sizes between `from` and `to` ("to a medium veggie pizza", "into two large ..."). */
function closelyJoined(words: readonly string[], from: number, to: number, matcher: MenuMatcher): boolean {
  const sized = new Set(matcher.findSizes(words, from, to).flatMap((s) => range(s.start, s.end)));
  return range(from, to).every((i) => {
    const word = words[i] ?? '';
    return COUNTED_GAP_WORDS.has(word) || isNumberWord(word) || sized.has(i);
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function leavesUnchanged(order: Order, op: Extract<OrderOp, { kind: 'add' }>): boolean {
  if (!order.lines.some((l) => l.name === op.name)) return false;
  const tried = order.copy();
  tried.apply([op]);
  return sameLines(tried.lines, order.lines);
}
