import { houseNumberOf, roadName, streetName } from './address.ts';
import { isDialablePhoneNumber, phoneDigits } from './customer.ts';
import { singular } from './fuzzy.ts';
import type { Hypothesis } from './Hypothesis.ts';
import { isCommonStreetName } from './streetNames.ts';
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
    case 'check':
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
 * (a dialable phone number, as the dialog takes one without asking again: 10 digits, 11 with the country code, and
 * no area code or exchange starting with 0 or 1; an address with its house number, a first and a last name said).
 */
export function answerQuality(u: Understanding, expecting: Expectation): 0 | 1 | 2 {
  if (!answersExpectation(u, expecting)) return 0;
  switch (expecting) {
    case 'phone': {
      return isDialablePhoneNumber(phoneDigits(u.phone)) ? 2 : 1;
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
    case 'check':
      return u.yes ? 'yes' : u.no ? 'no' : '';
    default:
      return JSON.stringify(u.ops);
  }
}

/**
 * N-best rescoring by the NLU: of the recogniser's hypotheses (best first), the first one that answers what the
 * agent asked best (see answerQuality), so "us" heard for "yes" after "Shall I place the order?" gives way to
 * "yes", and a phone number with a digit too many or too few (seven: the area code lost, or the last digits heard
 * as "thank you") to the next hypothesis with the whole count.
 */
export function rescoreHypotheses(
  best: Hypothesis,
  alternatives: readonly Hypothesis[],
  expecting: Expectation,
): RescoredHypothesis {
  if (expecting === 'none' || alternatives.length === 0) return { text: best.text, agreement: 1 };
  const chosen = pick([best, ...alternatives], expecting);
  const value = answerValue(chosen.understood(expecting), expecting);
  const agreeing = [best, ...alternatives].filter(
    (h) => h.text === chosen.text || answerValue(h.understood(expecting), expecting) === value,
  ).length;
  return { text: chosen.text, agreement: agreeing / (alternatives.length + 1) };
}

/** The hypothesis rescoreHypotheses chooses, without reading the hypotheses after a well-formed answer. */
export function chooseHypothesis(
  best: Hypothesis,
  alternatives: readonly Hypothesis[],
  expecting: Expectation,
): Hypothesis {
  if (expecting === 'none' || alternatives.length === 0) return best;
  return pick([best, ...alternatives], expecting);
}

/**
 * Asked for the address, the first hypothesis with the house number that most of the n-best list gives (more than
 * half of the hypotheses with a numbered address; the best one's where there is no such majority) and the street
 * that most of the best formed ones give: a word misheard in the best hypothesis is often heard right in the others
 * ("two hundred fifty four apple lane" against four of "meadow lane"). A street is well formed when it has its kind
 * and is a common street name (isCommonStreetName): a hypothesis that lost the kind, or heard a word no street is
 * called, ended the street in the wrong place, and does not vote against one that heard it whole ("ridge road"
 * against three of "river" and a "richard", the phone number after them). Of the hypotheses that agree, the one with
 * the kind most of them give is taken. Undefined when no hypothesis gives a numbered address.
 */
export function mostHeardAddress(hypotheses: readonly Hypothesis[]): Hypothesis | undefined {
  const numbered = hypotheses.flatMap((hypothesis) => {
    const address = hypothesis.understood('address').address?.toLowerCase();
    const parts = address === undefined ? undefined : houseNumberOf(address);
    if (!parts) return [];
    const { house, street } = parts;
    // the apartment apart ("42 oak street, apt 4b"); it still votes with the kind, as part of `street`
    const [road = street] = street.split(',');
    const name = streetName(road);
    const form = (road !== name ? 1 : 0) + (isCommonStreetName(name) ? 1 : 0);
    return [{ hypothesis, house, street, road, name, form }];
  });
  if (numbered.length === 0) return undefined;
  const house = majority(numbered, (p) => p.house);
  const bestFormed = Math.max(...numbered.map((p) => p.form));
  const formed = numbered.filter((p) => p.form === bestFormed);
  const name =
    heardAcross(
      formed.map((p) => p.name),
      numbered.map((p) => p.name),
    ) ?? majority(formed, (p) => p.name);
  const named = numbered.filter((p) => p.name === name);
  const agreeing = named.some((p) => p.house === house) ? named.filter((p) => p.house === house) : named;
  const withKind = agreeing.filter((p) => p.road !== p.name);
  const street = withKind.length > 0 ? majority(withKind, (p) => p.street) : undefined;
  return (agreeing.find((p) => p.street === street) ?? agreeing[0])?.hypothesis;
}

/**
 * Of the street names the best formed hypotheses give, the one more than half of all the `heard` street names are or
 * end with: a word misheard into the street ahead of its name ("six hundred seventy green madison place" for "673
 * Madison Place") still says the name, though it leaves the street ill formed.
 */
function heardAcross(names: readonly string[], heard: readonly string[]): string | undefined {
  const support = (name: string) => heard.filter((h) => h === name || h.endsWith(` ${name}`)).length;
  return names.find((name) => support(name) * 2 > heard.length);
}

/**
 * A caller who says an address at the read-back, or when asked for it again, and does not say yes is correcting the
 * one the agent holds: a hypothesis that hears that same address again is the mishearing that made the correction
 * necessary ("no, the address is 4002 harbor road" heard as the "poplar road" read back, "harbor road" only in a
 * lower hypothesis). The hypotheses that give another address, where there are any; all of them otherwise.
 */
export function withoutRejectedAddress(
  hypotheses: readonly Hypothesis[],
  expecting: Expectation,
  held: string | null,
): readonly Hypothesis[] {
  if (!held || (expecting !== 'confirm' && expecting !== 'address')) return hypotheses;
  const rejected = held.toLowerCase();
  const best = hypotheses[0]?.understood(expecting);
  if (!best || best.yes || best.address?.toLowerCase() !== rejected) return hypotheses;
  const others = hypotheses.filter((h) => {
    const address = h.understood(expecting).address;
    return address && address.toLowerCase() !== rejected;
  });
  // a correction gives the whole address: a reading that lost the house number is not the one the caller said
  const numbered = others.filter((h) => /^\d/.test(h.understood(expecting).address ?? ''));
  const taken = numbered.length > 0 ? numbered : others;
  return taken.length > 0 ? taken : hypotheses;
}

/**
 * How many of the recogniser's hypotheses (best first) are read for doubt about a house number: the lower ones
 * disagree on the number about as often when it is right as when it is wrong (bench:slots seed 1, 55 addresses: any
 * of five hypotheses disagreeing marked 9 of 10 numbers heard wrong on the right street but 11 of 24 right ones; the
 * best two, 7 of 10 and 7 of 24).
 */
const DOUBT_FROM_HYPOTHESES = 2;

/**
 * Whether the recogniser was unsure of the house number of `address`, the one the dialog took from `hypotheses` (the
 * recogniser's, best first): one of the best of them heard the same street with another number, or with number
 * words that make no house number ("four thousand seven hundred sixty sixteen" beside 4716). Where they agree on the
 * street, the number is what they disagree on; a street heard otherwise says nothing of the number.
 */
export function houseNumberDoubted(address: string, hypotheses: readonly Hypothesis[]): boolean {
  const held = houseNumberOf(address);
  if (!held) return false;
  const street = roadName(held.street);
  return hypotheses.slice(0, DOUBT_FROM_HYPOTHESES).some((hypothesis) => {
    const heard = hypothesis.understood('address').address;
    if (!heard) return false;
    const other = houseNumberOf(heard);
    return roadName(other?.street ?? heard) === street && other?.house !== held.house;
  });
}

/**
 * The recogniser's confidence in an address answer below which its house number is unsure even where the best
 * hypotheses agree on it. A misheard number is usually misheard the same way in every hypothesis (and in every repeat:
 * "six hundred" heard as "eight hundred" three times), so agreement alone caught 4 of 12 numbers heard wrong on the
 * right street in bench:dialog seeds 1-3 (61 address answers), while reading 7 of the 15 right ones by digit anyway.
 * PocketSphinx's posterior for a whole address is near nothing, right or wrong (at most 0.078 in those 61): below 0.1
 * all 12 wrong numbers are read by digit (and the 15 right ones), at no turn and no cost but a longer read-back; a
 * number the recogniser is sure of (a clean answer said digit by digit reached 0.6 in bench:slots) is read as usual.
 */
export const HOUSE_NUMBER_SURE = 0.1;

/**
 * Whether the house number of `address` is unsure: the best hypotheses doubt it (houseNumberDoubted), or the
 * recogniser's `confidence` in the answer is below `sure`.
 */
export function houseNumberUnsure(
  address: string,
  hypotheses: readonly Hypothesis[],
  confidence: number | undefined,
  sure = HOUSE_NUMBER_SURE,
): boolean {
  if (!houseNumberOf(address)) return false;
  return (confidence !== undefined && confidence < sure) || houseNumberDoubted(address, hypotheses);
}

/** The value more than half of `all` give; the first one's where none has a majority. */
function majority<T>(all: readonly T[], value: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of all) counts.set(value(item), (counts.get(value(item)) ?? 0) + 1);
  const [top, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return n * 2 > all.length ? top : value(all[0] as T);
}

/** The first hypothesis (best first) of the highest answerQuality; stops reading at a well-formed answer. */
function pick(hypotheses: readonly Hypothesis[], expecting: Expectation): Hypothesis {
  let chosen = hypotheses[0] as Hypothesis;
  let quality = answerQuality(chosen.understood(expecting), expecting);
  for (const hypothesis of hypotheses.slice(1)) {
    if (quality === 2) break;
    const q = answerQuality(hypothesis.understood(expecting), expecting);
    if (q > quality) {
      chosen = hypothesis;
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
