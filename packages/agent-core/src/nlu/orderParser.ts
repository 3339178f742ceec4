import { parseChange } from './changeParser.ts';
import { findQuantities, lastWithin, PRONOUNS, type QuantityMention } from './mentions.ts';
import type { ItemMention, MenuMatcher, SizeMention } from './menuMatcher.ts';
import type { LineTarget, OrderOp } from './order.ts';
import { findPhrase } from './text.ts';

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
/** Words that make a size said with a kind of item a new size for the line in focus ("make it a large pizza"). */
const RESIZE_MARKERS = ['make', 'change', 'instead', 'actually', 'i meant', 'rather', 'switch'];
/** Words that make an item named after them a correction of its line ("actually two medium pepperoni"). */
const RESTATE_MARKERS = ['actually', 'sorry', 'i meant', 'rather', 'correction', 'make that', 'make it'];
const CLEAR_PHRASES = [
  'cancel the order',
  'cancel my order',
  'cancel everything',
  'start over',
  'cancel the whole order',
  'cancel it all',
];

/** More of one item than this in a phone order is a misheard number, not a quantity. */
const MAX_PLAUSIBLE_QUANTITY = 50;

export interface OrderParse {
  ops: OrderOp[];
  items: ItemMention[];
  sizes: SizeMention[];
}

/**
 * Turns one utterance into order operations: items with sizes and quantities, removals, and corrections of the
 * line in focus. `masked` positions (a name, address or phone already understood) are ignored. `bareNumbers`:
 * whether a number said on its own ("three") sets the quantity of the line in focus; `sizeAsked`: the agent asked
 * for the size of the line in focus ("a large pizza please" answers it).
 */
export function parseOrder(
  words: readonly string[],
  menu: MenuMatcher,
  masked: ReadonlySet<number> = new Set(),
  bareNumbers = true,
  sizeAsked = false,
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
  // "also a large pizza": an item whose name was lost (the caller is asked which), not a new size for the line in focus
  const lostItem =
    !sizeAsked &&
    sizes.some((s) => menu.categoryAt(visible, s.end) !== undefined) &&
    !RESIZE_MARKERS.some((m) => findPhrase(visible, m) >= 0);
  if (items.length === 0)
    return {
      ops: lostItem
        ? []
        : parseFocusCorrection(visible, sizes, quantities, correction, bareNumbers, sizeAsked),
      items,
      sizes,
    };

  return { ops: parseItems(visible, menu, items, sizes, quantities), items, sizes };
}

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
  for (const [k, mention] of items.entries()) {
    const before = words.slice(boundary, mention.start);
    const removeEnd = lastRemoveTriggerEnd(before);
    const addAt = lastIndexWhere(before, (w) => ADD_WORDS.has(w));
    if (removeEnd >= 0 && removeEnd >= addAt) removing = true;
    else if (addAt >= 0) removing = false;
    // "no coke": "no" governs only the item right after it.
    const bareNo = before.at(-1) === 'no' || (before.at(-1) === 'the' && before.at(-2) === 'no');

    const quantity =
      recountAfter(words, mention, quantities) ??
      lastWithin(quantities, boundary, mention.start) ??
      quantityAfter(words, mention, quantities);
    // "eighty eight river salad drive": a count no phone order has is a house or phone number, not a quantity.
    if (quantity && quantity.value > MAX_PLAUSIBLE_QUANTITY) {
      boundary = mention.end;
      continue;
    }
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
      const restate =
        !increment &&
        k === 0 &&
        addAt < 0 &&
        !words.includes('too') &&
        RESTATE_MARKERS.some((m) => findPhrase(before, m) >= 0);
      ops.push({
        kind: 'add',
        name: mention.item.name,
        size: sizeKey,
        quantity: quantity?.value ?? 1,
        explicitQuantity: quantity !== undefined && !quantity.article,
        increment,
        ...(restate ? { restate } : {}),
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

/**
 * "... the chicken wings to one": a count after "to" that ends the sentence is the item's new count, a change whose
 * verb the recogniser lost ("change" heard as "suite a"); it wins over a count heard before the item.
 */
function recountAfter(
  words: readonly string[],
  mention: ItemMention,
  quantities: QuantityMention[],
): QuantityMention | undefined {
  if (words[mention.end] !== 'to') return undefined;
  const q = quantities.find((x) => x.start === mention.end + 1 && !x.article);
  const rest = words.slice(q?.end ?? words.length).filter((w) => w !== '' && !FILLER_WORDS.has(w));
  return q && rest.length === 0 ? q : undefined;
}

function sizeForAll(
  words: readonly string[],
  items: ItemMention[],
  sizes: SizeMention[],
): SizeMention | undefined {
  const last = items.at(-1);
  const size = sizes.find((s) => last !== undefined && s.start >= last.end && s.start - last.end <= 3);
  if (!size || !words.slice(last?.end ?? 0, size.start).some((w) => ALL_WORDS.includes(w))) return undefined;
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
  bareNumbers: boolean,
  sizeAsked: boolean,
): OrderOp[] {
  const ops: OrderOp[] = [];
  const size = sizes.at(-1);
  const content = words.filter((w) => w !== '' && !FILLER_WORDS.has(w));
  // Unasked, a size alone resizes the line in focus only as a correction ("no, small") or said on its own ("small"):
  // "and a small" is an item whose name was lost, not a change to a size the caller already gave.
  if (size && (sizeAsked || correction || content.length === size.end - size.start)) {
    const target = ALL_WORDS.some((w) => words.includes(w)) ? { all: true } : {};
    ops.push({ kind: 'set_size', target, size: size.size });
  }
  const quantity = quantities.filter((q) => !q.article).at(-1);
  if (words.some((w) => INCREMENT_WORDS.has(w)) && (quantity || words.includes('one'))) {
    ops.push({ kind: 'increment', target: {}, quantity: quantity?.value ?? 1 });
    return ops;
  }
  // A bare number ("three") is only a quantity when it is all that was said.
  const bare = bareNumbers && quantity !== undefined && content.length === quantity.end - quantity.start;
  if (quantity && (correction || bare))
    ops.push({ kind: 'set_quantity', target: {}, quantity: quantity.value });
  return ops;
}

const ALL_WORDS = ['all', 'both', 'each', 'every', 'everything'];
const FILLER_WORDS = new Set(['please', 'um', 'uh', 'ok', 'okay', 'so', 'just', 'yeah', 'well']);

/** Words that change a line named after them ("change the coke to ...", "no coke"). */
const CHANGE_WORDS = new Set(['change', 'make', 'switch', 'swap', 'replace', 'no']);

/**
 * Whether the words said before an item order it or change its line: an add or increment word ("and add", "can I
 * also get", "another"), a removal ("take off the") or a change ("make it", "no").
 */
export function ordersItemAfter(before: readonly string[]): boolean {
  const orderWord = (w: string) => ADD_WORDS.has(w) || INCREMENT_WORDS.has(w) || CHANGE_WORDS.has(w);
  return before.some(orderWord) || lastRemoveTriggerEnd(before) >= 0;
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
  for (let i = words.length - 1; i >= 0; i--) if (test(words[i] ?? '')) return i;
  return -1;
}
