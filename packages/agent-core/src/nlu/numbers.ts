/** Spoken and written numbers: quantities ("a couple of"), digit strings ("five five five oh one"), and back to words. */

const UNITS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
};
const TEENS: Readonly<Record<string, number>> = {
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const ZERO_WORDS = new Set(['zero', 'oh', 'o']);

export function isNumberWord(word: string): boolean {
  return word in UNITS || word in TEENS || word in TENS || word === 'hundred' || word === 'thousand';
}

/** A word a spoken number or digit run can hold: "5", "five", "twenty", "hundred", "oh", "double". */
export function isNumberPart(word: string): boolean {
  return (
    isDigits(word) ||
    isNumberWord(word) ||
    (ZERO_WORDS.has(word) && word !== 'o') ||
    word === 'double' ||
    word === 'triple'
  );
}

export function isDigits(word: string): boolean {
  return /^\d+$/.test(word);
}

export interface NumberMatch {
  value: number;
  /** How many words it used. */
  length: number;
}

/** A standard cardinal from words at `i` ("twenty two", "one hundred and five", "12"), up to 999,999. */
export function parseCardinal(words: readonly string[], i: number): NumberMatch | undefined {
  const first = words[i];
  if (first === undefined) return undefined;
  if (isDigits(first)) return first.length <= 6 ? { value: Number(first), length: 1 } : undefined;
  let total = 0;
  let current = 0;
  let j = i;
  let lastKind: 'unit' | 'teen' | 'tens' | 'hundred' | 'thousand' | undefined;
  while (j < words.length) {
    const w = words[j] ?? '';
    if (
      w in UNITS &&
      (lastKind === undefined || lastKind === 'tens' || lastKind === 'hundred' || lastKind === 'thousand')
    ) {
      current += UNITS[w] ?? 0;
      lastKind = 'unit';
    } else if (w in TEENS && (lastKind === undefined || lastKind === 'hundred' || lastKind === 'thousand')) {
      current += TEENS[w] ?? 0;
      lastKind = 'teen';
    } else if (w in TENS && (lastKind === undefined || lastKind === 'hundred' || lastKind === 'thousand')) {
      current += TENS[w] ?? 0;
      lastKind = 'tens';
    } else if (w === 'hundred' && (lastKind === 'unit' || lastKind === 'teen') && current < 100) {
      current *= 100;
      lastKind = 'hundred';
    } else if (w === 'thousand' && lastKind !== undefined && lastKind !== 'thousand' && total === 0) {
      total = current * 1000;
      current = 0;
      lastKind = 'thousand';
    } else if (w === 'and' && (lastKind === 'hundred' || lastKind === 'thousand') && j + 1 < words.length) {
      // "one hundred and five": only when a number follows.
      const next = words[j + 1] ?? '';
      if (!(next in UNITS || next in TEENS || next in TENS)) break;
    } else {
      break;
    }
    j++;
  }
  if (lastKind === undefined) return undefined;
  return { value: total + current, length: j - i };
}

const QUANTITY_PHRASES: ReadonlyArray<readonly [string[], number]> = [
  [['half', 'a', 'dozen'], 6],
  [['a', 'couple', 'of'], 2],
  [['a', 'couple'], 2],
  [['couple', 'of'], 2],
  [['a', 'pair', 'of'], 2],
  [['a', 'few'], 3],
  [['a', 'dozen'], 12],
  [['a', 'single'], 1],
  [['a'], 1],
  [['an'], 1],
  [['single'], 1],
  [['dozen'], 12],
];

/** A quantity at `i`: digits, number words or phrases such as "a couple of" and "half a dozen". */
export function parseQuantity(words: readonly string[], i: number): NumberMatch | undefined {
  for (const [phrase, value] of QUANTITY_PHRASES) {
    if (phrase.every((p, k) => words[i + k] === p)) return { value, length: phrase.length };
  }
  const cardinal = parseCardinal(words, i);
  if (cardinal === undefined || cardinal.value < 1 || cardinal.value > 1000) return undefined;
  return cardinal;
}

export interface DigitsMatch {
  digits: string;
  length: number;
}

/**
 * A run of spoken or written digits at `i`, as people say phone and house numbers: "five five five one two three
 * four", "one twenty three", "double two", "oh", "555 1234". Stops at the first word that is not part of a number.
 */
export function parseDigitRun(
  words: readonly string[],
  i: number,
  skip: ReadonlySet<string> = new Set(),
): DigitsMatch | undefined {
  let digits = '';
  let j = i;
  let end = i;
  while (j < words.length) {
    const w = words[j] ?? '';
    const next = words[j + 1] ?? '';
    if (isDigits(w)) {
      digits += w;
      j++;
    } else if (ZERO_WORDS.has(w) && (w !== 'o' || digits.length > 0)) {
      digits += '0';
      j++;
    } else if ((w === 'double' || w === 'triple') && (next in UNITS || ZERO_WORDS.has(next))) {
      digits += String(UNITS[next] ?? 0).repeat(w === 'double' ? 2 : 3);
      j += 2;
    } else if (w in UNITS && next !== 'hundred' && next !== 'thousand') {
      // Units in a row stay separate digits ("five five five").
      digits += String(UNITS[w] ?? 0);
      j++;
    } else if (w in UNITS || w in TEENS || w in TENS) {
      // A group said as one number: "twenty three", "twelve", "four hundred ten", "five hundred and five".
      const group = parseCardinal(words, j);
      if (group === undefined) break;
      digits += String(group.value);
      j += group.length;
    } else if (digits.length >= 3 && DIGIT_SOUNDALIKES[w] !== undefined && isDigitWord(next)) {
      // Inside a run of digits a recogniser's "to", "for", "won" can only be digits.
      digits += DIGIT_SOUNDALIKES[w];
      j++;
    } else if (skip.has(w) && digits.length > 0) {
      j++;
      continue;
    } else {
      break;
    }
    end = j;
  }
  return digits.length === 0 ? undefined : { digits, length: end - i };
}

/** Words speech recognisers write for digits ("to" for two); only trusted in the middle of a digit run. */
const DIGIT_SOUNDALIKES: Readonly<Record<string, string>> = {
  won: '1',
  want: '1',
  what: '1',
  to: '2',
  too: '2',
  do: '2',
  tree: '3',
  free: '3',
  third: '3',
  for: '4',
  fore: '4',
  floor: '4',
  or: '4',
  fifth: '5',
  sixth: '6',
  seventh: '7',
  ate: '8',
  eighth: '8',
  add: '8',
  ninth: '9',
  night: '9',
  nein: '9',
  of: '0',
  sarah: '0',
};

/** The digit a recogniser's soundalike word stands for ("to" 2, "won" 1), if it is one. */
export function digitSoundalike(word: string): number | undefined {
  const digit = Object.hasOwn(DIGIT_SOUNDALIKES, word) ? DIGIT_SOUNDALIKES[word] : undefined;
  return digit === undefined ? undefined : Number(digit);
}

function isDigitWord(word: string): boolean {
  return isDigits(word) || word in UNITS || ZERO_WORDS.has(word) || DIGIT_SOUNDALIKES[word] !== undefined;
}

const UNIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEEN_WORDS = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS_WORDS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 0..999,999 as English words, for speech ("thirty-three"). */
export function numberToWords(n: number): string {
  const value = Math.floor(Math.abs(n));
  if (value < 10) return UNIT_WORDS[value] ?? '';
  if (value < 20) return TEEN_WORDS[value - 10] ?? '';
  if (value < 100) {
    const unit = value % 10;
    return (TENS_WORDS[Math.floor(value / 10)] ?? '') + (unit ? `-${UNIT_WORDS[unit]}` : '');
  }
  if (value < 1000) {
    const rest = value % 100;
    return `${UNIT_WORDS[Math.floor(value / 100)]} hundred${rest ? ` ${numberToWords(rest)}` : ''}`;
  }
  const rest = value % 1000;
  return `${numberToWords(Math.floor(value / 1000))} thousand${rest ? ` ${numberToWords(rest)}` : ''}`;
}

/** A price as a person says it: "fifteen dollars fifty", "thirty-three dollars", "fifty cents". */
export function priceToWords(amount: number, currency = 'USD'): string {
  const cents = Math.round(amount * 100);
  const whole = Math.floor(cents / 100);
  const rest = cents % 100;
  const unit =
    currency === 'USD' ? 'dollar' : currency === 'EUR' ? 'euro' : currency === 'GBP' ? 'pound' : 'unit';
  if (whole === 0) return `${numberToWords(rest)} cents`;
  const main = `${numberToWords(whole)} ${unit}${whole === 1 ? '' : 's'}`;
  return rest === 0 ? main : `${main} ${numberToWords(rest)}`;
}
