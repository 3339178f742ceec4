import type { ItemMention, SizeMention } from './menuMatcher.ts';
import { digitSoundalike, parseQuantity } from './numbers.ts';

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
    const soundalike = countSoundalikeAt(words, i, startsMention);
    if (soundalike !== undefined) {
      found.push({ value: soundalike, start: i, end: i + 1, article: false, homophone: false });
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

/** Larger soundalikes ("ate", "add") are too often words to be read as a count. */
const MOST_SOUNDALIKE_COUNT = 4;
/** What may follow a count that ends a change: "make that want", "... to please", "... for instead". */
const AFTER_COUNT = new Set(['please', 'instead', 'of', 'then', 'thanks', 'actually']);

/**
 * A soundalike of a count where a change can only be followed by one: right after "make it/that" ("make that want a
 * small hawaiian", "make it to cokes": "make" takes no "to") and after the "to" of a change ("change the coke to
 * to"), when what follows is an item or a size or the end of the sentence (perhaps after an "a" the recogniser
 * heard in the count's tail). Elsewhere these are words ("i want a coke", "a coke for me").
 */
function countSoundalikeAt(
  words: readonly string[],
  i: number,
  startsMention: (i: number) => boolean,
): number | undefined {
  const value = digitSoundalike(words[i] ?? '');
  if (value === undefined || value < 1 || value > MOST_SOUNDALIKE_COUNT) return undefined;
  const before = words[i - 1] ?? '';
  const afterMake = words[i - 2] === 'make' && PRONOUNS.has(before);
  const afterChangeTo =
    (before === 'to' || before === 'into') && words.slice(0, i - 1).some((w) => CHANGE_VERBS.has(w));
  if (!afterMake && !afterChangeTo) return undefined;
  const next = words[i + 1];
  const countsSomething =
    next === undefined ||
    next === '' ||
    AFTER_COUNT.has(next) ||
    startsMention(i + 1) ||
    ((next === 'a' || next === 'an') && (i + 2 >= words.length || startsMention(i + 2)));
  return countsSomething ? value : undefined;
}

const CHANGE_VERBS = new Set(['change', 'switch', 'make', 'turn']);

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
