import type { FsgBuilder } from './fsgBuilder.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

/**
 * The share of spellings taken to be of a name in none of the lists: enough for any letters to come through, little
 * enough that a listed name misheard by a letter or two still reads as itself.
 */
const UNLISTED_SHARE = 0.2;

/**
 * How a name's rank in its list (0 the commonest) weighs its spelling: the commonest hundred about alike, then
 * falling with the rank (a name at rank 1000 a tenth as likely as the first). The lists give ranks, not counts, and
 * callers spell the names the recogniser missed, which are not mostly the commonest ones.
 */
function rankWeight(rank: number): number {
  return 1 / (1 + rank / 100);
}

/**
 * One spelled word, from `from` to `to`: a path per listed name (`names`: lists, each most common first, said letter
 * by letter, a doubled letter also as "double l"), weighted by how common the name is, beside a path of any letters
 * weighted by which letter follows which in those names. The recogniser then hears a listed name whole, the letters
 * it cannot tell apart (b/d/e/p/t/v, m/n, f/s) settled by the name they spell, and any other name as its letters.
 */
export function spelledWord(
  fsg: FsgBuilder,
  from: number,
  to: number,
  names: readonly (readonly string[])[],
): void {
  const weights = nameWeights(names);
  const unlisted = fsg.state();
  fsg.arc(from, unlisted, undefined, weights.size > 0 ? UNLISTED_SHARE : 1);
  letterSequence(fsg, unlisted, to, [...weights.keys()]);
  if (weights.size === 0) return;
  const listed = fsg.state();
  fsg.arc(from, listed, undefined, 1 - UNLISTED_SHARE);
  nameTree(fsg, listed, to, weights);
}

/** Each name (its letters, two or more) and its weight, summed over the lists it is in. */
function nameWeights(lists: readonly (readonly string[])[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const list of lists)
    for (const [rank, name] of list.entries()) {
      const letters = name.toLowerCase().replace(/[^a-z]/g, '');
      if (letters.length >= 2) weights.set(letters, (weights.get(letters) ?? 0) + rankWeight(rank));
    }
  return weights;
}

interface Prefix {
  state: number;
  next: Map<string, Prefix>;
  /** The weight of the names starting with this prefix. */
  weight: number;
  /** The weight of the name that is this prefix (0 for none). */
  whole: number;
}

/**
 * The names as a letter tree from `root` (a state per prefix): the transition to a letter weighs as much as the
 * names it leads to, the way out to `to` as much as the name ending there, so that a path's probability is its
 * name's share of the weight.
 */
function nameTree(fsg: FsgBuilder, root: number, to: number, weights: ReadonlyMap<string, number>): void {
  const tree: Prefix = { state: root, next: new Map(), weight: 0, whole: 0 };
  for (const [name, weight] of weights) {
    let prefix = tree;
    prefix.weight += weight;
    for (const letter of name) {
      let longer = prefix.next.get(letter);
      if (!longer) {
        longer = { state: fsg.state(), next: new Map(), weight: 0, whole: 0 };
        prefix.next.set(letter, longer);
      }
      longer.weight += weight;
      prefix = longer;
    }
    prefix.whole += weight;
  }
  const pending = [tree];
  for (let prefix = pending.pop(); prefix; prefix = pending.pop()) {
    fsg.arc(prefix.state, to, undefined, prefix.whole);
    for (const [letter, longer] of prefix.next) {
      fsg.arc(prefix.state, longer.state, letter, longer.weight);
      pending.push(longer);
      // "double l" as often as "l l"
      const doubled = longer.next.get(letter);
      if (!doubled) continue;
      const saidDouble = fsg.state();
      fsg.arc(prefix.state, saidDouble, 'double', doubled.weight);
      fsg.arc(saidDouble, doubled.state, letter);
    }
  }
}

/**
 * Any letters, from `from` to `to`. States: the letter just said. A transition to the next letter weighs as often
 * as that pair comes in the example names (plus one, so that any name can be spelled); the same for the first and
 * the last letter of a word.
 */
function letterSequence(fsg: FsgBuilder, from: number, to: number, examples: readonly string[]): void {
  const after = new Map(LETTERS.map((l) => [l, fsg.state()]));
  const count = new Map<string, number>();
  const add = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);
  for (const letters of examples) {
    add(`^${letters[0]}`);
    add(`${letters.at(-1)}$`);
    for (let i = 1; i < letters.length; i++) add(`${letters[i - 1]}${letters[i]}`);
  }
  const weight = (key: string) => 1 + (count.get(key) ?? 0);
  for (const letter of LETTERS) fsg.arc(from, after.get(letter) as number, letter, weight(`^${letter}`));
  for (const previous of LETTERS) {
    const state = after.get(previous) as number;
    const doubled = fsg.state();
    let pairs = 0;
    for (const letter of LETTERS) {
      fsg.arc(state, after.get(letter) as number, letter, weight(`${previous}${letter}`));
      fsg.arc(doubled, after.get(letter) as number, letter, weight(`${letter}${letter}`));
      pairs += weight(`${previous}${letter}`);
    }
    // "double l": as likely as any pair repeating a letter
    fsg.arc(state, doubled, 'double', pairs / LETTERS.length);
    fsg.arc(state, to, undefined, weight(`${previous}$`) * LETTERS.length);
  }
}
