import type { MenuMatcher } from './menuMatcher.ts';
import { type Order, type OrderOp, sameLines } from './order.ts';
import type { Understanding } from './understand.ts';

/** What joins the old item to the new one in "change the coke to a salad", "swap the wings for a salad". */
const SWAP_CONNECTORS = new Set(['to', 'for', 'into']);
/** Words between the connector and the new item: "for three orders of chicken wings", "to a large hawaiian". */
const MAX_GAP = 4;

/**
 * "change the coke to a caesar salad" heard as "and a coke to a caesar salad", "swap the margherita for a hawaiian"
 * as "i want the margherita for a hawaiian": an item already on the order, named again without changing it and
 * followed by "to" or "for" and another item, is a change whose verb the recogniser lost. Read as adds, the old item
 * stays and the caller has to take it off again; read as a swap, its line becomes the new item (its count kept).
 */
export function swapWithLostVerb(u: Understanding, matcher: MenuMatcher, order: Order): Understanding {
  const [first, second, ...rest] = u.ops;
  if (rest.length > 0 || first?.kind !== 'add' || second?.kind !== 'add' || first.name === second.name)
    return u;
  if (!leavesUnchanged(order, first)) return u;
  const mentions = matcher.findItems(u.words);
  const old = mentions.find((m) => m.item.name === first.name);
  const wanted = mentions.find((m) => m.item.name === second.name);
  if (!old || !wanted || wanted.start <= old.end || wanted.start - old.end > MAX_GAP) return u;
  if (!SWAP_CONNECTORS.has(u.words[old.end] ?? '')) return u;
  const ops: OrderOp[] = [
    { kind: 'replace_item', target: { name: first.name }, name: second.name, size: second.size },
  ];
  if (second.explicitQuantity)
    ops.push({ kind: 'set_quantity', target: { name: second.name }, quantity: second.quantity });
  return { ...u, ops };
}

function leavesUnchanged(order: Order, op: Extract<OrderOp, { kind: 'add' }>): boolean {
  if (!order.lines.some((l) => l.name === op.name)) return false;
  const tried = order.copy();
  tried.apply([op]);
  return sameLines(tried.lines, order.lines);
}
