const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
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
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** Spells a non-negative integer below one million the way a caller says it ("one hundred twenty three"). */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1_000_000) throw new RangeError(`cannot spell ${n}`);
  if (n < 20) return ONES[n] as string;
  if (n < 100) return `${TENS[Math.floor(n / 10)]}${n % 10 ? ` ${ONES[n % 10]}` : ''}`;
  if (n < 1000) return `${ONES[Math.floor(n / 100)]} hundred${n % 100 ? ` ${numberToWords(n % 100)}` : ''}`;
  return `${numberToWords(Math.floor(n / 1000))} thousand${n % 1000 ? ` ${numberToWords(n % 1000)}` : ''}`;
}

/** A price such as 15.5 in words: "fifteen fifty", "fifteen dollars fifty", "nine dollars". */
export function priceToWords(price: number): string[] {
  const dollars = Math.floor(price);
  const cents = Math.round((price - dollars) * 100);
  const d = numberToWords(dollars);
  if (cents === 0) return [`${d} dollars`, d];
  const c = numberToWords(cents);
  return [`${d} ${c}`, `${d} dollars ${c}`, `${d} dollars and ${c} cents`];
}
