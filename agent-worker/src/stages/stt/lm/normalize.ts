import { spell } from './spokenPrices.ts';

/**
 * Turns free text into the word sequence a recogniser would output: lower case, digits spelled out,
 * punctuation removed (apostrophes inside words kept: "i'd", "luigi's").
 */
export function normalizeTranscript(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\$(\d+)\.(\d\d)\b/g, (_m, d: string, c: string) => `${d} dollars ${c}`)
    .replace(/\d+/g, (digits) => (digits.length <= 6 ? ` ${spell(Number(digits))} ` : ` ${digits} `))
    .replace(/[^a-z' ]+/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0);
}
