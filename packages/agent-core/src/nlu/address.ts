/** Street addresses as callers say them: the house number, the street name and its kind, an apartment. */
import type { Found } from './customer.ts';
import { isDigits, isNumberWord, parseCardinal, parseDigitRun } from './numbers.ts';
import { isCommonStreetName } from './streetNames.ts';
import { COMMON_WORDS, capitalize, findPhrase, type Token } from './text.ts';

const STREET_TYPES: Readonly<Record<string, string>> = {
  street: 'Street',
  st: 'Street',
  avenue: 'Avenue',
  ave: 'Avenue',
  av: 'Avenue',
  road: 'Road',
  rd: 'Road',
  lane: 'Lane',
  ln: 'Lane',
  drive: 'Drive',
  dr: 'Drive',
  boulevard: 'Boulevard',
  blvd: 'Boulevard',
  way: 'Way',
  court: 'Court',
  ct: 'Court',
  place: 'Place',
  pl: 'Place',
  terrace: 'Terrace',
  circle: 'Circle',
  crescent: 'Crescent',
  parkway: 'Parkway',
  pkwy: 'Parkway',
  highway: 'Highway',
  hwy: 'Highway',
  square: 'Square',
  trail: 'Trail',
  alley: 'Alley',
  row: 'Row',
  plaza: 'Plaza',
};
const UNIT_WORDS = new Set(['apartment', 'apt', 'unit', 'suite', 'flat', 'room']);
const FUNCTION_WORDS = new Set(['the', 'and', 'its', 'for', 'with', 'that', 'this', 'from', 'you', 'your']);
/** Words that may sit between the house number and the street name without being part of it. */
const NOT_STREET_NAME = new Set(
  [...COMMON_WORDS].filter(
    (w) =>
      ![
        'oak',
        'park',
        'main',
        'high',
        'first',
        'second',
        'hill',
        'lake',
        'river',
        'church',
        'mill',
        'king',
        'queen',
        'market',
        'spring',
        'center',
        'north',
        'south',
        'east',
        'west',
        'new',
        'old',
        'long',
        'green',
        'sunset',
        'washington',
        'lincoln',
      ].includes(w),
  ),
);

/** "42 Baker Street, Apt 4B" from "forty two baker street apartment four b" (house number required). */
export function findAddress(tokens: readonly Token[], expecting = false): Found<string> | undefined {
  const words = tokens.map((t) => t.norm);
  return (
    streetWithKind(tokens, words, expecting) ?? (expecting ? streetWithoutType(tokens, words) : undefined)
  );
}

/**
 * A street said with its kind, its house number or not ("no, it's harbor road"): what a caller who names the address
 * they correct says of it, though the agent did not ask for the address. Only a common street name: unasked, words
 * before a street kind are as often a house number misheard ("for tea oak street" for "fourteen oak street").
 */
export function findStreet(tokens: readonly Token[]): Found<string> | undefined {
  const street = streetWithKind(
    tokens,
    tokens.map((t) => t.norm),
    true,
  );
  return street && isCommonStreetName(roadName(houseNumberOf(street.value)?.street ?? street.value))
    ? street
    : undefined;
}

function streetWithKind(
  tokens: readonly Token[],
  words: readonly string[],
  expecting: boolean,
): Found<string> | undefined {
  for (let s = 0; s < words.length; s++) {
    const type = STREET_TYPES[words[s] ?? ''];
    if (!type) continue;
    // Street name: up to three words before the type.
    let nameStart = s;
    while (nameStart > 0 && s - nameStart < 3) {
      const w = words[nameStart - 1] ?? '';
      if (isDigits(w) || isNumberWord(w) || w === 'oh' || NOT_STREET_NAME.has(w) || STREET_TYPES[w]) break;
      nameStart--;
    }
    // Asked for the address, "twelve order drive" is a street the recogniser misheard ("Orchard Drive"), not
    // nothing: taken (the read-back lets the caller correct it) instead of asking again and again.
    const misheard = words[s - 1] ?? '';
    if (nameStart === s && expecting && /^[a-z]{3,}$/.test(misheard) && !isNumberWord(misheard)) {
      if (!FUNCTION_WORDS.has(misheard) && houseNumberBefore(words, s - 1)) nameStart = s - 1;
    }
    if (nameStart === s) continue;
    const house = houseNumberBefore(words, nameStart);
    if (!house && !expecting) continue;
    const street = tokens
      .slice(nameStart, s)
      .map((t) => streetWord(t.norm))
      .join(' ');
    let end = s + 1;
    let text = `${house?.digits ? `${house.digits} ` : ''}${street} ${type}`;
    // The apartment may come a few words later ("... bay street but it's the back entrance, apartment six").
    let unit: Found<string> | undefined;
    for (let u = end; u < Math.min(words.length, end + 8) && !unit; u++) unit = unitAt(words, u);
    if (unit) {
      text += `, Apt ${unit.value}`;
      end = unit.end;
    }
    return { value: text, start: house?.start ?? nameStart, end };
  }
  return undefined;
}

/**
 * Asked for the address, a house number and a street name whose type the recogniser lost ("it's forty two
 * market"): taken as "42 Market" (the read-back says it, the caller can correct it) instead of asking round again.
 */
function streetWithoutType(tokens: readonly Token[], words: readonly string[]): Found<string> | undefined {
  const streetName = (w: string) =>
    /^[a-z]{3,}$/.test(w) && !isNumberWord(w) && !FUNCTION_WORDS.has(w) && !NOT_STREET_NAME.has(w);
  for (let s = 1; s < words.length; s++) {
    const house = streetName(words[s] ?? '') ? houseNumberBefore(words, s) : undefined;
    if (!house?.digits) continue;
    let end = s;
    while (end < words.length && end - s < 3 && streetName(words[end] ?? '')) end++;
    const street = tokens
      .slice(s, end)
      .map((t) => streetWord(t.norm))
      .join(' ');
    return { value: `${house.digits} ${street}`, start: house.start, end };
  }
  return undefined;
}

/** How callers say an answer again ("no, I said ..."). */
const RESTATING = ['i said', 'i meant'];

/**
 * Whether the caller says a street again ("no, I said two hundred forty nine market", its kind lost): a house number
 * and a street name after "I said", which the order would otherwise take as 249 of the line in focus. A menu word
 * after the number ("I said two pepperoni") makes it an order.
 */
export function restatesStreet(tokens: readonly Token[], menuWords: ReadonlySet<string>): boolean {
  const words = tokens.map((t) => t.norm);
  const said = RESTATING.map((p) => findPhrase(words, p)).filter((i) => i >= 0);
  if (said.length === 0) return false;
  const from = Math.min(...said) + 2;
  const street = streetWithoutType(tokens.slice(from), words.slice(from));
  return (
    street !== undefined && !words.slice(from + street.start, from + street.end).some((w) => menuWords.has(w))
  );
}

/** A street without its kind ("washington avenue": "washington"); a street heard without one as it is. */
export function streetName(street: string): string {
  const words = street.split(' ');
  return words.length > 1 && STREET_TYPES[words.at(-1)?.toLowerCase() ?? '']
    ? words.slice(0, -1).join(' ')
    : street;
}

/** A street's name without its kind and apartment, in lower case ("harbor" of "Harbor Road, Apt 4"). */
export function roadName(street: string): string {
  const [road = street] = street.split(',');
  return streetName(road).toLowerCase();
}

/**
 * A hesitation, or a short word the recogniser put into a number ("three i thousand four hundred fifty", "three
 * thousand three hundred and an one"): between two number words it is not part of the address, and it would cut the
 * house number to its last words.
 */
const NUMBER_SLIPS = new Set(['uh', 'um', 'er', 'ah', 'i', 'a', 'an']);

function houseNumberBefore(
  words: readonly string[],
  nameStart: number,
): { digits: string | undefined; start: number } | undefined {
  let start = nameStart;
  while (start > 0) {
    const w = words[start - 1] ?? '';
    const numberAnd = w === 'and' && (words[start - 2] === 'hundred' || words[start - 2] === 'thousand');
    // "twenty nine o three": recognisers write the spoken zero as the letter
    const letterZero = w === 'o' && isNumberWord(words[start - 2] ?? '');
    const before = words[start - 2] ?? '';
    const afterNumber = isNumberWord(before) || (before === 'and' && isNumberWord(words[start - 3] ?? ''));
    const slip = start < nameStart && NUMBER_SLIPS.has(w) && afterNumber;
    if (
      isDigits(w) ||
      isNumberWord(w) ||
      w === 'oh' ||
      w === 'double' ||
      w === 'triple' ||
      numberAnd ||
      letterZero ||
      slip
    )
      start--;
    else break;
  }
  if (start === nameStart) return undefined;
  const said = words.slice(start, nameStart).filter((w) => !NUMBER_SLIPS.has(w));
  if (!wellFormed(said)) return { digits: undefined, start };
  // The run may start with a quantity-like word that belongs to the sentence ("at one twenty three"), that is fine.
  const run = parseDigitRun(said, 0);
  if (!run || run.digits.length > 6) return undefined;
  return { digits: run.digits, start };
}

/**
 * A house number said with "hundred" or "thousand" is one number ("four thousand six hundred twenty two", "forty six
 * hundred"): digits around it are words the recogniser made up ("four two thousand eight hundred twenty two" is no
 * way to say 42822, nor "three thousand three hundred ten twenty six" 331026). Such a reading gives the street without
 * a house number (its words still the address's, not a quantity), so it casts no vote among the hypotheses, and
 * where none gives one the agent asks for the number.
 */
function wellFormed(said: readonly string[]): boolean {
  if (!said.some((w) => w === 'hundred' || w === 'thousand')) return true;
  return parseCardinal(said, 0)?.length === said.length;
}

function unitAt(words: readonly string[], i: number): Found<string> | undefined {
  if (!UNIT_WORDS.has(words[i] ?? '')) return undefined;
  let j = i + 1;
  if (words[j] === 'number') j++;
  const word = words[j];
  if (word === undefined) return undefined;
  if (/^\d+[a-z]?$/.test(word) || /^[a-z]\d+$/.test(word))
    return { value: word.toUpperCase(), start: i, end: j + 1 };
  const run = parseDigitRun(words, j);
  if (!run) {
    if (/^[a-z]$/.test(word)) return { value: word.toUpperCase(), start: i, end: j + 1 };
    return undefined;
  }
  let value = run.digits;
  let end = j + run.length;
  const letter = words[end];
  // "four b"; "two a" only at the end, where "a" cannot be the article.
  if (letter !== undefined && /^[a-z]$/.test(letter) && (letter !== 'a' || end === words.length - 1)) {
    value += letter.toUpperCase();
    end++;
  }
  return { value, start: i, end };
}

function streetWord(word: string): string {
  return /^\d+(st|nd|rd|th)$/.test(word) ? word : capitalize(word);
}

/** How callers name the number alone when they correct it ("no, the house number is forty six twenty two"). */
export const HOUSE_NUMBER_PHRASES = ['house number', 'street number', 'building number'];
const HOUSE_NUMBER_LEADS = new Set(['is', 'its', 'was', 'should', 'be']);

/** A house number named alone, as callers correct one ("no, the house number is forty six twenty two"). */
export function namedHouseNumber(
  words: readonly string[],
  masked: ReadonlySet<number> = new Set(),
): Found<string> | undefined {
  return houseNumberAfter(HOUSE_NUMBER_PHRASES, words, masked);
}

/** How callers say the whole address again as they correct it ("no, the address is ...", "no, I said ..."). */
const RESTATED_ADDRESS_PHRASES = ['address is', ...RESTATING];

/**
 * The house number of an address said again whose street was lost ("no, I said 828 Hickory Court" heard as "no i said
 * eight hundred twenty eight get three colas"): the number the caller led with, which corrects the one held. Not when
 * a street name follows it (the street was heard, as another: the whole address is asked for again), nor when
 * nothing does (the caller was cut off in the middle of the address).
 */
export function restatedHouseNumber(
  words: readonly string[],
  masked: ReadonlySet<number> = new Set(),
): Found<string> | undefined {
  const number = houseNumberAfter(RESTATED_ADDRESS_PHRASES, words, masked);
  const after = words.slice(number?.end);
  return after.length > 0 && !after.some((w) => isCommonStreetName(w)) ? number : undefined;
}

function houseNumberAfter(
  phrases: readonly string[],
  words: readonly string[],
  masked: ReadonlySet<number>,
): Found<string> | undefined {
  for (const phrase of phrases) {
    const at = findPhrase(words, phrase);
    if (at < 0) continue;
    let from = at + phrase.split(' ').length;
    while (HOUSE_NUMBER_LEADS.has(words[from] ?? '')) from++;
    const number = houseNumberAt(words, from, masked);
    if (number) return { ...number, start: at };
  }
  return undefined;
}

/** What may be said around a house number given alone ("no, it's forty six twenty two please"). */
const AROUND_A_NUMBER = new Set([
  ...HOUSE_NUMBER_LEADS,
  ...[
    'no',
    'nope',
    'it',
    'the',
    'number',
    'i',
    'said',
    'actually',
    'sorry',
    'please',
    'oh',
    'um',
    'uh',
    'er',
  ],
]);

/**
 * Asked about the address, a number said alone in an answer that names no street ("no, forty six twenty two"):
 * not one among other words ("i'd like six", a yes misheard).
 */
export function bareHouseNumber(
  words: readonly string[],
  masked: ReadonlySet<number> = new Set(),
): Found<string> | undefined {
  let number: Found<string> | undefined;
  for (let i = 0; i < words.length && !number; i++) number = houseNumberAt(words, i, masked);
  if (!number) return undefined;
  const around = [...words.slice(0, number.start), ...words.slice(number.end)];
  return around.every((w) => AROUND_A_NUMBER.has(w)) ? number : undefined;
}

function houseNumberAt(
  words: readonly string[],
  i: number,
  masked: ReadonlySet<number>,
): Found<string> | undefined {
  if (masked.has(i)) return undefined;
  const run = parseDigitRun(words, i);
  if (!run || run.digits.length > 6 || !wellFormed(words.slice(i, i + run.length))) return undefined;
  return { value: run.digits, start: i, end: i + run.length };
}

/**
 * The address after the caller gave `heard` with the agent holding `held`: a numbered address replaces it; a street
 * said without a number keeps the house number held ("no, it's harbor road" for "4622 Harbor Lane"); a house number
 * said alone keeps the street held ("no, forty six twenty two"). Undefined when it says nothing of the address.
 */
export function correctedAddress(
  held: string | null,
  heard: { address: string | undefined; houseNumber: string | undefined },
): string | undefined {
  const kept = held === null ? undefined : houseNumberOf(held);
  if (heard.address !== undefined)
    return kept && !houseNumberOf(heard.address) ? `${kept.house} ${heard.address}` : heard.address;
  if (heard.houseNumber === undefined || held === null) return undefined;
  return `${heard.houseNumber} ${kept?.street ?? held}`;
}

/** "4622 Harbor Road, Apt 4" as its house number and the rest; undefined for a street held without a number. */
export function houseNumberOf(address: string): { house: string; street: string } | undefined {
  const [, house, street] = /^(\d+) (.+)$/.exec(address) ?? [];
  return house && street ? { house, street } : undefined;
}
