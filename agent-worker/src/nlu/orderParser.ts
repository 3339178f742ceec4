import type { ItemMention, MenuMatcher, SizeMention } from './menuMatcher.ts';
import { parseQuantity } from './numbers.ts';
import type { LineTarget, OrderOp } from './order.ts';
import { findPhrase } from './text.ts';

interface QuantityMention {
  value: number;
  start: number;
  end: number;
  /** "a"/"an": one, but not said as a number. */
  article: boolean;
  /** "to"/"too" heard where "two" was meant. */
  homophone: boolean;
}

const REMOVE_PHRASES = [
  'remove',
  'cancel',
  'drop',
  'delete',
  'scratch',
  'minus',
  'forget',
  'without',
  'take off',
  'take out',
  'get rid of',
  'dont want',
  'do not want',
  'dont need',
  'no longer want',
  'hold the',
  'leave off',
  'leave out',
];
const ADD_WORDS = new Set([
  'add',
  'plus',
  'also',
  'want',
  'like',
  'have',
  'get',
  'take',
  'need',
  'instead',
  'give',
]);
const INCREMENT_WORDS = new Set(['another', 'more', 'extra', 'additional']);
const CHANGE_WORDS = new Set(['change', 'switch', 'swap', 'replace', 'make', 'turn', 'upgrade', 'downgrade']);
const PRONOUNS = new Set(['it', 'that', 'those', 'them', 'this', 'these', 'thatll', 'mine', 'em']);
const CONNECTORS = new Set(['to', 'into', 'for', 'with', 'a', 'an', 'instead']);
const CORRECTION_MARKERS = [
  'actually',
  'sorry',
  'wait',
  'no',
  'oops',
  'i meant',
  'rather',
  'instead',
  'make',
  'change',
  'correction',
  'scratch that',
  'of those',
  'of them',
  'of that',
  'of these',
];
const CLEAR_PHRASES = [
  'cancel the order',
  'cancel my order',
  'cancel everything',
  'start over',
  'cancel the whole order',
  'cancel it all',
];

export interface OrderParse {
  ops: OrderOp[];
  items: ItemMention[];
  sizes: SizeMention[];
}

/**
 * Turns one utterance into order operations: items with sizes and quantities, removals, and corrections of the
 * line in focus. `masked` positions (a name, address or phone already understood) are ignored.
 */
export function parseOrder(
  words: readonly string[],
  menu: MenuMatcher,
  masked: ReadonlySet<number> = new Set(),
): OrderParse {
  const visible = words.map((w, i) => (masked.has(i) ? '' : w));
  const items = menu.findItems(visible);
  const inItem = (i: number) => items.some((m) => i >= m.start && i < m.end);
  const sizes = menu.findSizes(visible).filter((s) => !inItem(s.start));
  const quantities = findQuantities(visible, items, sizes);

  if (CLEAR_PHRASES.some((p) => findPhrase(visible, p) >= 0) && items.length === 0)
    return { ops: [{ kind: 'clear' }], items, sizes };

  const change = parseChange(visible, menu, items, sizes, quantities);
  if (change) {
    // Items said before the change ("four cokes, no wait, make that five") are ordered first.
    const before = items.filter((m) => m.end <= change.trigger);
    const adds = before.length > 0 ? parseItems(visible, menu, before, sizes, quantities) : [];
    return { ops: [...adds, ...change.ops], items, sizes };
  }

  const correction = CORRECTION_MARKERS.some((m) => findPhrase(visible, m) >= 0);
  if (items.length === 0)
    return {
      ops: parseFocusCorrection(visible, sizes, quantities, correction),
      items,
      sizes,
    };

  return { ops: parseItems(visible, menu, items, sizes, quantities), items, sizes };
}

function findQuantities(
  words: readonly string[],
  items: ItemMention[],
  sizes: SizeMention[],
): QuantityMention[] {
  const taken = (i: number) =>
    items.some((m) => i >= m.start && i < m.end) || sizes.some((s) => i >= s.start && i < s.end);
  const startsMention = (i: number) => items.some((m) => m.start === i) || sizes.some((s) => s.start === i);
  const found: QuantityMention[] = [];
  for (let i = 0; i < words.length; ) {
    const word = words[i]!;
    if (word === '' || taken(i)) {
      i++;
      continue;
    }
    if (
      (word === 'to' || word === 'too') &&
      startsMention(i + 1) &&
      !CHANGE_CONTEXT.has(words[i - 1] ?? '')
    ) {
      found.push({ value: 2, start: i, end: i + 1, article: false, homophone: true });
      i++;
      continue;
    }
    const q = parseQuantity(words, i);
    if (q && !Array.from({ length: q.length }, (_, k) => taken(i + k)).some(Boolean)) {
      found.push({
        value: q.value,
        start: i,
        end: i + q.length,
        article: q.length === 1 && (word === 'a' || word === 'an'),
        homophone: false,
      });
      i += q.length;
    } else {
      i++;
    }
  }
  return found;
}

/** After these words "to" is the preposition of a change, never "two". */
const CHANGE_CONTEXT = new Set([
  'it',
  'that',
  'them',
  'those',
  'one',
  'ones',
  'change',
  'switch',
  'swap',
  'upgrade',
  'downgrade',
  'go',
  'make',
]);

function parseItems(
  words: readonly string[],
  menu: MenuMatcher,
  items: ItemMention[],
  sizes: SizeMention[],
  quantities: QuantityMention[],
): OrderOp[] {
  const ops: OrderOp[] = [];
  const usedSizes = new Set<SizeMention>();
  let boundary = 0;
  let removing = false;
  for (let k = 0; k < items.length; k++) {
    const mention = items[k]!;
    const before = words.slice(boundary, mention.start);
    const removeEnd = lastRemoveTriggerEnd(before);
    const addAt = lastIndexWhere(before, (w) => ADD_WORDS.has(w));
    if (removeEnd >= 0 && removeEnd >= addAt) removing = true;
    else if (addAt >= 0) removing = false;
    // "no coke": "no" governs only the item right after it.
    const bareNo = before.at(-1) === 'no' || (before.at(-1) === 'the' && before.at(-2) === 'no');

    const quantity =
      lastWithin(quantities, boundary, mention.start) ?? quantityAfter(words, mention, quantities);
    // A size already given to the previous item ("pepperoni large and a hawaiian") is not this one's.
    let size = lastWithin(
      sizes.filter((s) => !usedSizes.has(s)),
      boundary,
      mention.start,
    );
    if (!size) size = sizeAfter(words, mention, items[k + 1], sizes, usedSizes);
    // "a pepperoni and a hawaiian, both large": a size after the last item, said for all of them.
    if (!size) size = sizeForAll(words, items, sizes);
    if (size) usedSizes.add(size);
    const sizeKey = menu.sizeFor(mention.item, size?.size ?? null);

    if (removing || bareNo) {
      const target: LineTarget = { name: mention.item.name, ...(sizeKey ? { size: sizeKey } : {}) };
      ops.push({ kind: 'remove', target, quantity: quantity && !quantity.article ? quantity.value : null });
    } else {
      const increment = before.some((w) => INCREMENT_WORDS.has(w));
      ops.push({
        kind: 'add',
        name: mention.item.name,
        size: sizeKey,
        quantity: quantity?.value ?? 1,
        explicitQuantity: quantity !== undefined && !quantity.article,
        increment,
      });
    }
    boundary = mention.end;
  }
  return ops;
}

/** "lemonades, three of them": a count right after the item, said as "N of them/those". */
function quantityAfter(
  words: readonly string[],
  mention: ItemMention,
  quantities: QuantityMention[],
): QuantityMention | undefined {
  const q = quantities.find(
    (x) => x.start === mention.end || (x.start === mention.end + 1 && words[mention.end] === 'please'),
  );
  if (!q || q.article || words[q.end] !== 'of' || !PRONOUNS.has(words[q.end + 1] ?? '')) return undefined;
  return q;
}

function sizeForAll(
  words: readonly string[],
  items: ItemMention[],
  sizes: SizeMention[],
): SizeMention | undefined {
  const last = items.at(-1);
  const size = sizes.find((s) => last !== undefined && s.start >= last.end && s.start - last.end <= 3);
  if (!size || !words.slice(last!.end, size.start).some((w) => ALL_WORDS.includes(w))) return undefined;
  return size;
}

function sizeAfter(
  words: readonly string[],
  mention: ItemMention,
  next: ItemMention | undefined,
  sizes: SizeMention[],
  used: Set<SizeMention>,
): SizeMention | undefined {
  const candidate = sizes.find(
    (s) => s.start >= mention.end && !used.has(s) && (!next || s.start < next.start),
  );
  if (!candidate) return undefined;
  const gap = words.slice(mention.end, candidate.start);
  if (gap.length > 2 || gap.some((w) => w === 'and' || w === 'plus')) return undefined;
  // "pepperoni large and a coke" but not "pepperoni and large hawaiian": the next item must not take it first.
  if (next) {
    const between = words.slice(candidate.end, next.start);
    if (!between.some((w) => w === 'and' || w === 'plus' || w === 'with') && between.length < 2)
      return undefined;
  }
  return candidate;
}

/** Utterances without an item name: "large", "medium for all of them", "actually three", "another one". */
function parseFocusCorrection(
  words: readonly string[],
  sizes: SizeMention[],
  quantities: QuantityMention[],
  correction: boolean,
): OrderOp[] {
  const ops: OrderOp[] = [];
  const size = sizes.at(-1);
  if (size) {
    const target = ALL_WORDS.some((w) => words.includes(w)) ? { all: true } : {};
    ops.push({ kind: 'set_size', target, size: size.size });
  }
  const quantity = quantities.filter((q) => !q.article).at(-1);
  if (words.some((w) => INCREMENT_WORDS.has(w)) && (quantity || words.includes('one'))) {
    ops.push({ kind: 'increment', target: {}, quantity: quantity?.value ?? 1 });
    return ops;
  }
  // A bare number ("three") is only a quantity when it is all that was said.
  const content = words.filter((w) => w !== '' && !FILLER_WORDS.has(w));
  const bare = quantity !== undefined && content.length === quantity.end - quantity.start;
  if (quantity && (correction || bare))
    ops.push({ kind: 'set_quantity', target: {}, quantity: quantity.value });
  return ops;
}

const ALL_WORDS = ['all', 'both', 'each', 'every', 'everything'];
const FILLER_WORDS = new Set(['please', 'um', 'uh', 'ok', 'okay', 'so', 'just', 'yeah', 'well']);

/** "change the large to a medium", "make the pepperoni a hawaiian", "make that three", "a lemonade instead of the coke". */
function parseChange(
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
  const targetStart = words
    .slice(sourceEnd)
    .findIndex((w) => w !== '' && !CONNECTORS.has(w) && w !== 'the' && w !== 'please');
  if (targetStart < 0) return undefined;
  const from = sourceEnd + targetStart;
  const newItem = items.find((m) => m.start >= from);
  const newSize = sizes.find((s) => s.start >= from);
  const newQuantity = quantities.find((q) => q.start >= from && !q.article && !q.homophone);
  const ops: OrderOp[] = [];
  if (pronounAt >= 0 && newItem && newQuantity && source.name === undefined) {
    // "make that two hawaiian pizzas": a restatement of that item's quantity, not a swap of the last item.
    const size = menu.sizeFor(newItem.item, newSize?.size ?? null);
    ops.push({
      kind: 'add',
      name: newItem.item.name,
      size,
      quantity: newQuantity.value,
      explicitQuantity: true,
      increment: false,
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

/** Index of the last word of the last removal phrase ("dont want" -> the "want"), or -1. */
function lastRemoveTriggerEnd(words: readonly string[]): number {
  let last = -1;
  for (const phrase of REMOVE_PHRASES) {
    const length = phrase.split(' ').length;
    let at = findPhrase(words, phrase);
    while (at >= 0) {
      last = Math.max(last, at + length - 1);
      at = findPhrase(words, phrase, at + 1);
    }
  }
  return last;
}

function lastIndexWhere(words: readonly string[], test: (w: string) => boolean): number {
  for (let i = words.length - 1; i >= 0; i--) if (test(words[i]!)) return i;
  return -1;
}

function lastWithin<T extends { start: number; end: number }>(
  mentions: readonly T[],
  from: number,
  to: number,
): T | undefined {
  let found: T | undefined;
  for (const m of mentions) if (m.start >= from && m.end <= to) found = m;
  return found;
}
