import { isWholePhoneNumber, phoneDigits, streetName } from './customer.ts';
import { singular } from './fuzzy.ts';
import { normWords } from './text.ts';
import type { Expectation, Nlu, Understanding } from './understand.ts';

/** Whether an utterance answers what the agent asked for (a name for 'name', a yes or no for 'confirm', ...). */
export function answersExpectation(u: Understanding, expecting: Expectation): boolean {
  switch (expecting) {
    case 'name':
      return u.name !== undefined;
    case 'address':
      return u.address !== undefined;
    case 'phone':
      return u.phone !== undefined;
    case 'confirm':
    case 'yesno':
      return u.yes || u.no;
    case 'size':
      return u.ops.some((o) => o.kind === 'set_size' || (o.kind === 'add' && o.size !== null));
    case 'order':
      // "no" to "Anything else?" is the caller's answer: an alternative that adds items must not win over it.
      return u.ops.length > 0 || u.doneOrdering || u.no;
    case 'none':
      return true;
  }
}

/**
 * How well an utterance answers what the agent asked for: 0 not at all, 1 it answers, 2 the answer is well formed
 * (a phone number of 7, 10 or 11 digits, an address with its house number, a first and a last name said).
 */
export function answerQuality(u: Understanding, expecting: Expectation): 0 | 1 | 2 {
  if (!answersExpectation(u, expecting)) return 0;
  switch (expecting) {
    case 'phone': {
      const digits = phoneDigits(u.phone);
      return digits.length === 7 || isWholePhoneNumber(digits) ? 2 : 1;
    }
    case 'address':
      return /^\d/.test(u.address ?? '') ? 2 : 1;
    case 'name':
      // a spelling is heard without its pauses: two names from one run of letters are a guessed split ("a l a r r
      // y a": Alan Ryan), no better formed than the one name another reading spells ("l a r r y")
      return !u.nameSpelled && (u.name ?? '').includes(' ') ? 2 : 1;
    default:
      return 2;
  }
}

/** The hypothesis the dialog takes, and how much of the n-best list agrees with what it says. */
export interface RescoredHypothesis {
  text: string;
  /**
   * Share of the recogniser's hypotheses (best and alternatives) that say the same value for what the agent asked
   * (the same name, digits, address, yes or no): 1 when they all agree, low when the recogniser hesitated between
   * answers. Meant for the dialog to confirm ("Did you say ...?") instead of guessing when it is low.
   */
  agreement: number;
}

/** The value of what was asked for in an utterance, to compare hypotheses by ('' when it says none). */
function answerValue(u: Understanding, expecting: Expectation): string {
  switch (expecting) {
    case 'name':
      return u.name?.toLowerCase() ?? '';
    case 'address':
      return u.address?.toLowerCase() ?? '';
    case 'phone':
      return u.phone ?? '';
    case 'confirm':
    case 'yesno':
      return u.yes ? 'yes' : u.no ? 'no' : '';
    default:
      return JSON.stringify(u.ops);
  }
}

/**
 * N-best rescoring by the NLU: of the recogniser's hypotheses (best first), the first one that answers what the
 * agent asked best (see answerQuality), so "us" heard for "yes" after "Shall I place the order?" gives way to
 * "yes", and a phone number with a digit too many to the next hypothesis with the right count.
 */
export function rescoreHypotheses(
  nlu: Nlu,
  best: string,
  alternatives: readonly string[],
  expecting: Expectation,
): RescoredHypothesis {
  if (expecting === 'none' || alternatives.length === 0) return { text: best, agreement: 1 };
  const { text, understanding } = pick(nlu, [best, ...alternatives], expecting);
  const value = answerValue(understanding, expecting);
  const agreeing = [best, ...alternatives].filter(
    (t) => t === text || answerValue(nlu.understand(t, expecting), expecting) === value,
  ).length;
  return { text, agreement: agreeing / (alternatives.length + 1) };
}

/** The text rescoreHypotheses chooses, without reading the hypotheses after a well-formed answer. */
export function chooseHypothesis(
  nlu: Nlu,
  best: string,
  alternatives: readonly string[],
  expecting: Expectation,
): string {
  if (expecting === 'none' || alternatives.length === 0) return best;
  return pick(nlu, [best, ...alternatives], expecting).text;
}

/**
 * Asked for the address, the first hypothesis with the house number and the street that most of the n-best list
 * gives (more than half of the hypotheses with a numbered address; the best one's where there is no such majority):
 * a word misheard in the best hypothesis is often heard right in the others ("two hundred fifty four apple lane"
 * against four of "meadow lane"). A street heard without its kind does not vote against the same street heard with
 * one ("washington" in most hypotheses, "washington avenue" in one): the kind was lost, not heard otherwise, and the
 * hypothesis that has it is taken. Undefined when no hypothesis gives a numbered address.
 */
export function mostHeardAddress(nlu: Nlu, hypotheses: readonly string[]): string | undefined {
  const parts = hypotheses.map((text) => {
    const address = nlu.understand(text, 'address').address?.toLowerCase();
    const [, house, street] = /^(\d+) (.+)$/.exec(address ?? '') ?? [];
    return house && street ? { text, house, street, name: streetName(street) } : undefined;
  });
  const numbered = parts.filter((p) => p !== undefined);
  const [first] = numbered;
  if (!first) return undefined;
  const house = majority(numbered, (p) => p.house);
  const name = majority(numbered, (p) => p.name);
  const agreeing = numbered.filter((p) => p.house === house && p.name === name);
  const withKind = agreeing.filter((p) => p.street !== p.name);
  const street = withKind.length > 0 ? majority(withKind, (p) => p.street) : undefined;
  return (agreeing.find((p) => p.street === street) ?? agreeing[0])?.text;
}

/** The value more than half of `all` give; the first one's where none has a majority. */
function majority<T>(all: readonly T[], value: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of all) counts.set(value(item), (counts.get(value(item)) ?? 0) + 1);
  const [top, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return n * 2 > all.length ? top : value(all[0] as T);
}

/** The first hypothesis (best first) of the highest answerQuality; stops reading at a well-formed answer. */
function pick(
  nlu: Nlu,
  hypotheses: readonly string[],
  expecting: Expectation,
): { text: string; understanding: Understanding } {
  let chosen = {
    text: hypotheses[0] as string,
    understanding: nlu.understand(hypotheses[0] as string, expecting),
  };
  let quality = answerQuality(chosen.understanding, expecting);
  for (const text of hypotheses.slice(1)) {
    if (quality === 2) break;
    const understanding = nlu.understand(text, expecting);
    const q = answerQuality(understanding, expecting);
    if (q > quality) {
      chosen = { text, understanding };
      quality = q;
    }
  }
  return chosen;
}

/**
 * "make that a margherita pizzas": "a" (or "an") before an item said in the plural. The caller said a number the
 * recogniser lost, so the quantity heard is not the one meant.
 */
export function numberLost(nlu: Nlu, text: string): boolean {
  const words = normWords(text);
  const matcher = nlu.matcher;
  return matcher.findItems(words).some((m) => {
    const said = words[m.end - 1] ?? '';
    const names = [m.item.name, ...m.item.aliases].flatMap((n) => n.toLowerCase().split(/\s+/));
    const plural = singular(said) !== said && !names.includes(said);
    const sized = m.start > 0 && matcher.sizeAt(words, m.start - 1) !== undefined;
    const article = words[m.start - (sized ? 2 : 1)];
    return plural && (article === 'a' || article === 'an');
  });
}
