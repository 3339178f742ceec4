import type { ItemMention, SizeMention } from './menuMatcher.ts';
import { parseQuantity } from './numbers.ts';

/** Quantities heard in an utterance, and small helpers the order parsers share. */

export interface QuantityMention {
  value: number;
  start: number;
  end: number;
  /** "a"/"an": one, but not said as a number. */
  article: boolean;
  /** "to"/"too" heard where "two" was meant. */
  homophone: boolean;
}

/** Words that point back at a line: "make that three", "two of those". */
export const PRONOUNS = new Set(['it', 'that', 'those', 'them', 'this', 'these', 'thatll', 'mine', 'em']);

export function findQuantities(
  words: readonly string[],
  items: ItemMention[],
  sizes: SizeMention[],
): QuantityMention[] {
  const taken = (i: number) =>
    items.some((m) => i >= m.start && i < m.end) || sizes.some((s) => i >= s.start && i < s.end);
  const startsMention = (i: number) => items.some((m) => m.start === i) || sizes.some((s) => s.start === i);
  const found: QuantityMention[] = [];
  for (let i = 0; i < words.length; ) {
    const word = words[i] ?? '';
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

export function lastWithin<T extends { start: number; end: number }>(
  mentions: readonly T[],
  from: number,
  to: number,
): T | undefined {
  let found: T | undefined;
  for (const m of mentions) if (m.start >= from && m.end <= to) found = m;
  return found;
}
