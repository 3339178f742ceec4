import { lastWithin, PRONOUNS, type QuantityMention } from './mentions.ts';
import type { ItemMention, MenuMatcher, SizeMention } from './menuMatcher.ts';
import type { LineTarget, OrderOp } from './order.ts';
import { findPhrase } from './text.ts';

const CHANGE_WORDS = new Set(['change', 'switch', 'swap', 'replace', 'make', 'turn', 'upgrade', 'downgrade']);
const CONNECTORS = new Set(['to', 'into', 'for', 'with', 'a', 'an', 'instead']);

/** "change the large to a medium", "make the pepperoni a hawaiian", "make that three", "a lemonade instead of the coke". */
export function parseChange(
  words: readonly string[],
  menu: MenuMatcher,
  items: ItemMention[],
  sizes: SizeMention[],
  quantities: QuantityMention[],
): { ops: OrderOp[]; trigger: number } | undefined {
  const insteadOf = findPhrase(words, 'instead of');
  if (insteadOf >= 0) {
    const old = items.find((m) => m.start > insteadOf + 1);
    const wanted = items.find((m) => m !== old);
    if (old && wanted) {
      const size = lastWithin(sizes, 0, wanted.start) ?? sizes.find((s) => s.start > wanted.end);
      const replace: OrderOp = {
        kind: 'replace_item',
        target: { name: old.item.name },
        name: wanted.item.name,
        size: menu.sizeFor(wanted.item, size?.size ?? null),
      };
      return { ops: [replace], trigger: 0 };
    }
  }
  const trigger = words.findIndex((w) => CHANGE_WORDS.has(w));
  if (trigger < 0) return undefined;
  const after = trigger + 1;
  const pronounAt = words.slice(after, after + 2).findIndex((w) => PRONOUNS.has(w));
  let sourceEnd: number;
  let source: LineTarget;
  if (pronounAt >= 0) {
    // "the coke, make it two": an item named before the trigger is what "it" means.
    const named = items.filter((m) => m.end <= trigger).at(-1);
    // "make that two pizzas": the category word says which line "that" is.
    const category = words
      .slice(after)
      .map((_, k) => menu.categoryAt(words, after + k))
      .find((c) => c !== undefined);
    source = named
      ? { name: named.item.name }
      : category && !items.some((m) => m.start > trigger)
        ? { category }
        : {};
    sourceEnd = after + pronounAt + 1;
  } else {
    // The source is the first item and/or size after the trigger; the target what follows a connector.
    const firstItem = items.find((m) => m.start >= after);
    const firstSize = sizes.find((s) => s.start >= after);
    const first = [firstItem, firstSize].filter((x) => x !== undefined).sort((a, b) => a.start - b.start)[0];
    if (!first || first.start > after + 3) return undefined;
    source = {};
    sourceEnd = first.end;
    if (first === firstItem) {
      source.name = firstItem.item.name;
      // In "make the pepperoni large" the size after the item is the new size, not part of the source.
      if (firstSize && firstSize.start < firstItem.start) source.size = firstSize.size;
    } else if (firstSize) {
      source.size = firstSize.size;
      if (firstItem && firstItem.start === firstSize.end) {
        source.name = firstItem.item.name;
        sourceEnd = firstItem.end;
      }
    }
  }
  // "change large two medium": a recogniser's "two" between a named source and the new size or item is "to" (but
  // "make that two hawaiians" is a number).
  const countAt = (i: number) => quantities.some((q) => q.start === i && !q.article && !q.homophone);
  const isConnector = (w: string, k: number) =>
    (CONNECTORS.has(w) && !countAt(sourceEnd + k)) ||
    (pronounAt < 0 && k === 0 && (w === 'two' || w === 'too') && startsMention(items, sizes, sourceEnd + 1));
  const targetStart = words
    .slice(sourceEnd)
    .findIndex((w, k) => w !== '' && !isConnector(w, k) && w !== 'the' && w !== 'please');
  if (targetStart < 0) return undefined;
  const from = sourceEnd + targetStart;
  const newItem = items.find((m) => m.start >= from);
  const newSize = sizes.find((s) => s.start >= from);
  const newQuantity = quantities.find((q) => q.start >= from && !q.article && !q.homophone);
  // "make that a coke", "make that a small hawaiian": the article before the item (or its size) is a quantity of one.
  const countedAt = newSize && newItem && newSize.end === newItem.start ? newSize.start : newItem?.start;
  const restated = newQuantity ?? quantities.find((q) => q.article && q.end === countedAt);
  const ops: OrderOp[] = [];
  if (pronounAt >= 0 && newItem && restated && source.name === undefined) {
    // "make that two hawaiian pizzas", "make it one lemonade": a restatement of that item's line (the order swaps
    // the line in focus when it is another item of the same kind), not another line.
    const size = menu.sizeFor(newItem.item, newSize?.size ?? null);
    ops.push({
      kind: 'add',
      name: newItem.item.name,
      size,
      quantity: restated.value,
      explicitQuantity: true,
      increment: false,
      restate: true,
    });
    return { ops, trigger };
  }
  if (newItem && newItem.item.name !== source.name) {
    ops.push({
      kind: 'replace_item',
      target: source,
      name: newItem.item.name,
      size: menu.sizeFor(newItem.item, newSize?.size ?? null),
    });
    if (newQuantity)
      ops.push({ kind: 'set_quantity', target: { name: newItem.item.name }, quantity: newQuantity.value });
    return { ops, trigger };
  }
  const target: LineTarget = newItem && source.name === undefined ? { name: newItem.item.name } : source;
  if (newQuantity) ops.push({ kind: 'set_quantity', target, quantity: newQuantity.value });
  if (newSize) ops.push({ kind: 'set_size', target, size: newSize.size });
  return ops.length > 0 ? { ops, trigger } : undefined;
}

function startsMention(items: ItemMention[], sizes: SizeMention[], at: number): boolean {
  return items.some((m) => m.start === at) || sizes.some((s) => s.start === at);
}
