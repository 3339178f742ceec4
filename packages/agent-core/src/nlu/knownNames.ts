import { censusNames } from './censusNames.ts';
import { editDistance } from './fuzzy.ts';

/**
 * Letters a recogniser confuses when they are said one by one (they rhyme: "b", "d", "e", "p", "t" ...): one heard
 * for another of its group costs half a letter when a spelled name is matched against the names callers have.
 */
const RHYMING_LETTERS = ['bcdegptvz', 'mn', 'fsx', 'ajk', 'iy', 'qu'];
const GROUP = new Map(RHYMING_LETTERS.flatMap((group, g) => [...group].map((l) => [l, g] as const)));

function substitution(a: string, b: string): number {
  if (a === b) return 0;
  const group = GROUP.get(a);
  return group !== undefined && group === GROUP.get(b) ? 0.5 : 1;
}

/** Edit distance between two letter strings, a rhyming letter heard for another costing half (see above). */
export function spellingDistance(heard: string, name: string, limit = Number.POSITIVE_INFINITY): number {
  return editDistance(heard, name, limit, substitution);
}

/** A letter in four may be misheard: more than that and the letters are not taken for the name. */
const MISHEARD_SHARE = 0.25;

/** A run split into first and last name: each at least this long (a two-letter name is more often a mishearing). */
const SHORTEST_PART = 3;

interface Nearest {
  name: string;
  cost: number;
}

/**
 * The name of `names` (most common first) nearest to `letters`, the more common one on a tie; at most `limit`
 * mishearings away (by default a letter in four).
 */
function nearest(
  letters: string,
  names: readonly string[],
  limit = Math.max(1, letters.length * MISHEARD_SHARE),
): Nearest | undefined {
  let best: Nearest | undefined;
  for (const name of names) {
    if (Math.abs(name.length - letters.length) > limit) continue;
    const cost = spellingDistance(letters, name, Math.min(limit, best?.cost ?? limit));
    if (cost <= limit && (!best || cost < best.cost)) best = { name, cost };
  }
  return best;
}

/**
 * The common first and last name (census lists) that letters spelled by the caller most likely are, when the
 * recogniser misheard some of them ("c h r i s t i n s i m p s o n": Christian Simpson). `words`: the letters as
 * heard, split where the caller paused (first and last name), or one run to be split where it fits best. A name
 * that is no common name (too many letters to change) is undefined: the letters stand as heard.
 */
export function nearestKnownName(words: readonly string[]): string[] | undefined {
  const { first, last } = censusNames();
  if (words.length === 2) {
    const pair = nearestPair(words[0] as string, words[1] as string);
    return pair?.names;
  }
  if (words.length !== 1) return undefined;
  const letters = words[0] as string;
  let best: { names: string[]; cost: number } | undefined;
  const consider = (names: string[], cost: number) => {
    if (!best || cost < best.cost) best = { names, cost };
  };
  const alone = nearest(letters, [...first, ...last]);
  if (alone) consider([alone.name], alone.cost);
  for (let split = SHORTEST_PART; split <= letters.length - SHORTEST_PART; split++) {
    const pair = nearestPair(letters.slice(0, split), letters.slice(split));
    if (pair) consider(pair.names, pair.cost);
  }
  return best?.names;
}

/** A part of a two-word name may take more than its own share of mishearings, up to this share of its letters. */
const MISHEARD_PART_SHARE = 0.4;

/**
 * The common first and last name nearest to two spelled words. The mishearings allowed are shared by the whole
 * name (a letter in four of all its letters): the recogniser's errors bunch up ("h" heard as "i t" in "h o w a r d"),
 * so a word heard cleanly leaves room for the other to be heard worse, up to MISHEARD_PART_SHARE of its letters.
 */
function nearestPair(given: string, family: string): { names: string[]; cost: number } | undefined {
  const { first, last } = censusNames();
  const budget = Math.max(1, (given.length + family.length) * MISHEARD_SHARE);
  const partLimit = (letters: string, left: number) =>
    Math.min(left, Math.max(1, letters.length * MISHEARD_PART_SHARE));
  const firstName = nearest(given, first, partLimit(given, budget));
  const lastName = firstName && nearest(family, last, partLimit(family, budget - firstName.cost));
  if (!firstName || !lastName) return undefined;
  return { names: [firstName.name, lastName.name], cost: firstName.cost + lastName.cost };
}

let ranks: { first: Map<string, number>; last: Map<string, number> } | undefined;

/** How common `word` is as a first or last name (`place`): its census rank, lower is commoner; Infinity if none. */
function rank(word: string, place: 'first' | 'last'): number {
  if (!ranks) {
    const { first, last } = censusNames();
    const byRank = (names: readonly string[]) => {
      const map = new Map<string, number>();
      for (const [i, n] of names.entries()) if (!map.has(n)) map.set(n, i);
      return map;
    };
    ranks = { first: byRank(first), last: byRank(last) };
  }
  return ranks[place].get(word) ?? Number.POSITIVE_INFINITY;
}

/** Whether `word` is a common first or last name (in the census lists). */
export function isCommonName(word: string): boolean {
  return Number.isFinite(Math.min(rank(word, 'first'), rank(word, 'last')));
}

/** Whether `word` is a common first name (in the census list). */
export function isCommonFirstName(word: string): boolean {
  return Number.isFinite(rank(word, 'first'));
}

/** Whether `word` is a common last name and no common first name ("garcia"; not "james" or "teresa"). */
export function isSurnameOnly(word: string): boolean {
  return Number.isFinite(rank(word, 'last')) && !Number.isFinite(rank(word, 'first'));
}

/**
 * Two spellings of one spoken name ("rodgers" / "rogers", "sophie" / "sophia"): a letter apart, and not one the other
 * with an ending added ("roberts" / "robertson", "richard" / "richards" are other names, and sound so).
 */
function spellingVariants(a: string, b: string): boolean {
  return editDistance(a, b, 1) <= 1 && !a.startsWith(b) && !b.startsWith(a);
}

/**
 * A name heard (`name`, lowercase words) spelled as the commonest of the spellings the recogniser's other
 * hypotheses give for each word (`others`, the names they heard): a recogniser cannot hear how a name is spelled
 * ("sophie macdonald" over "sophia mcdonald"), so of the words a few letters apart in the same place, the one more
 * callers have (census rank) is the better guess. A word no hypothesis spells otherwise stays.
 */
export function commonestSpelling(name: readonly string[], others: readonly (readonly string[])[]): string[] {
  return name.map((word, i) => {
    const place = name.length === 2 && i === 0 ? 'first' : 'last';
    const placeRank = (w: string) =>
      name.length === 1 ? Math.min(rank(w, 'first'), rank(w, 'last')) : rank(w, place);
    let best = word;
    for (const other of others) {
      const alternative = other[i];
      if (other.length !== name.length || alternative === undefined) continue;
      if (!spellingVariants(alternative, word)) continue;
      if (placeRank(alternative) < placeRank(best)) best = alternative;
    }
    return best;
  });
}
