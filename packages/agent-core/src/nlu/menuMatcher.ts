import type { MenuItem } from '@voiceroom/protocol';
import { matchWord, singular } from './fuzzy.ts';
import { COMMON_WORDS } from './text.ts';

/** Where a menu item or size was heard in a list of normalised words: [start, end). */
export interface ItemMention {
  item: MenuItem;
  start: number;
  end: number;
  fuzzy: boolean;
}

export interface SizeMention {
  size: string;
  start: number;
  end: number;
}

interface Phrase {
  item: MenuItem;
  words: string[];
}

const SIZE_SYNONYMS: Readonly<Record<string, string[]>> = {
  large: ['big', 'largest', 'biggest'],
  medium: ['regular', 'mid', 'middle'],
  small: ['little', 'smallest'],
};

/** Finds menu items (by name or alias, tolerant of plurals and ASR slips) and sizes in an utterance. */
export class MenuMatcher {
  readonly #items: readonly MenuItem[];
  readonly #phrases: Phrase[];
  /** heard word(s) -> size key */
  readonly #sizeWords: Array<{ words: string[]; size: string }>;

  constructor(items: readonly MenuItem[]) {
    this.#items = items;
    this.#phrases = [];
    for (const item of items) {
      const names = new Set([item.name, ...item.aliases].map((n) => n.toLowerCase().replace(/['’]/g, '')));
      const nameWords = item.name.toLowerCase().split(/\s+/);
      const category = item.category?.toLowerCase();
      // "pepperoni pizza" in category "pizza" is also just "pepperoni".
      if (category && nameWords.length > 1 && nameWords.at(-1) === category)
        names.add(nameWords.slice(0, -1).join(' '));
      for (const name of names)
        this.#phrases.push({ item, words: name.split(/[^\p{L}\p{N}]+/u).filter(Boolean) });
    }
    this.#phrases.sort((a, b) => b.words.length - a.words.length);
    const sizes = new Set(items.flatMap((i) => Object.keys(i.sizes ?? {})));
    this.#sizeWords = [];
    for (const size of sizes) {
      const key = size.toLowerCase();
      this.#sizeWords.push({ words: key.split(/\s+/), size });
      for (const synonym of SIZE_SYNONYMS[key] ?? []) this.#sizeWords.push({ words: [synonym], size });
    }
    this.#sizeWords.sort((a, b) => b.words.length - a.words.length);
  }

  get items(): readonly MenuItem[] {
    return this.#items;
  }

  get sizes(): string[] {
    return [...new Set(this.#sizeWords.map((s) => s.size))];
  }

  findItem(name: string): MenuItem | undefined {
    const lower = name.toLowerCase();
    return (
      this.#items.find((i) => i.name.toLowerCase() === lower) ??
      this.#items.find((i) => i.aliases.some((a) => a.toLowerCase() === lower))
    );
  }

  /** The item mentioned at `i`, preferring the longest and then exact matches. */
  itemAt(words: readonly string[], i: number): ItemMention | undefined {
    let best: ItemMention | undefined;
    for (const phrase of this.#phrases) {
      const match = matchPhrase(words, i, phrase.words);
      if (match === undefined) continue;
      const better =
        best === undefined || match.end > best.end || (match.end === best.end && best.fuzzy && !match.fuzzy);
      if (better) best = { item: phrase.item, start: i, end: match.end, fuzzy: match.fuzzy };
    }
    return best;
  }

  findItems(words: readonly string[], from = 0, to = words.length): ItemMention[] {
    const mentions: ItemMention[] = [];
    for (let i = from; i < to; ) {
      const mention = this.itemAt(words, i);
      if (mention && mention.end <= to) {
        mentions.push(mention);
        i = mention.end;
      } else {
        i++;
      }
    }
    return mentions;
  }

  /** A menu category named by a word ("pizzas", "drinks"), lowercase, or undefined. */
  categoryAt(words: readonly string[], i: number): string | undefined {
    const word = singular(words[i] ?? '');
    if (word === '') return undefined;
    return this.#items.find((item) => item.category?.toLowerCase() === word)?.category?.toLowerCase();
  }

  sizeAt(words: readonly string[], i: number): SizeMention | undefined {
    for (const { words: sizeWords, size } of this.#sizeWords) {
      const exact = sizeWords.every((w, k) => words[i + k] === w);
      const heard = words[i] ?? '';
      const fuzzy =
        !exact &&
        sizeWords.length === 1 &&
        !COMMON_WORDS.has(heard) &&
        matchWord(heard, sizeWords[0] ?? '') !== 'none';
      if (exact || fuzzy) return { size, start: i, end: i + sizeWords.length };
    }
    return undefined;
  }

  findSizes(words: readonly string[], from = 0, to = words.length): SizeMention[] {
    const sizes: SizeMention[] = [];
    for (let i = from; i < to; ) {
      const size = this.sizeAt(words, i);
      if (size) {
        sizes.push(size);
        i = size.end;
      } else {
        i++;
      }
    }
    return sizes;
  }

  /** The size key an item uses for a heard size, or null when the item has no sizes. */
  sizeFor(item: MenuItem, size: string | null): string | null {
    if (!item.sizes || size === null) return null;
    return size in item.sizes ? size : null;
  }

  unitPrice(item: MenuItem, size: string | null): number | null {
    if (item.sizes) return size !== null ? (item.sizes[size] ?? null) : null;
    return item.price ?? null;
  }
}

function matchPhrase(
  words: readonly string[],
  i: number,
  phrase: readonly string[],
): { end: number; fuzzy: boolean } | undefined {
  let j = i;
  let fuzzy = false;
  for (const known of phrase) {
    const heard = words[j];
    if (heard === undefined) return undefined;
    const match = matchWord(heard, known);
    // Everyday words are never a slip of a menu word ("large" is not "lager").
    const single = match === 'fuzzy' && COMMON_WORDS.has(heard) ? 'none' : match;
    if (single !== 'none') {
      fuzzy ||= single === 'fuzzy';
      j++;
      continue;
    }
    // ASR sometimes splits a long word in two ("pepper only").
    const next = words[j + 1];
    if (known.length >= 6 && next !== undefined && matchWord(heard + next, known) !== 'none') {
      fuzzy = true;
      j += 2;
      continue;
    }
    return undefined;
  }
  return { end: j, fuzzy };
}
