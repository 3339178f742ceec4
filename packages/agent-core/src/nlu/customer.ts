import {
  fitsNumberingPlan,
  isDialablePhoneNumber,
  isWholePhoneNumber,
  phoneDigits,
} from '@voiceroom/protocol';
import { isDigits, isNumberWord, parseDigitRun } from './numbers.ts';
import { findSpelledName } from './spelling.ts';
import { COMMON_WORDS, capitalize, findPhrase, type Token } from './text.ts';

/** Defined beside the protocol's schema for a whole number, which the server checks callback numbers with. */
export { fitsNumberingPlan, isDialablePhoneNumber, isWholePhoneNumber, phoneDigits };

/** A piece of customer information and the word positions it came from (so the order parser skips them). */
export interface Found<T> {
  value: T;
  start: number;
  end: number;
  /** A name the caller spelled letter by letter. */
  spelled?: true;
}

/** A phone number said digit by digit or written: at least seven digits. Formatted 555-123-4567 / 555-1234. */
export function findPhone(
  words: readonly string[],
  masked: ReadonlySet<number> = new Set(),
): Found<string> | undefined {
  const skip = new Set(['dash', 'hyphen']);
  for (let i = 0; i < words.length; i++) {
    if (masked.has(i)) continue;
    const run = parseDigitRun(words, i, skip);
    if (!run) continue;
    if (run.digits.length >= 7 && run.digits.length <= 15)
      return { value: formatPhone(run.digits), start: i, end: i + run.length };
    i += run.length - 1;
  }
  return undefined;
}

export function formatPhone(digits: string): string {
  if (digits.length === 10) return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
  if (digits.length === 11 && digits.startsWith('1')) return `1-${formatPhone(digits.slice(1))}`;
  if (digits.length === 7) return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  return digits;
}

const EMAIL_PATTERN = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const TLDS = new Set(['com', 'net', 'org', 'edu', 'io', 'co', 'uk', 'de', 'fr', 'us', 'ca', 'info', 'me']);

/** An email address written ("a@b.com") or spoken ("john dot smith at gmail dot com"). */
export function findEmail(text: string, words: readonly string[]): string | undefined {
  const written = EMAIL_PATTERN.exec(text);
  if (written) return written[0].toLowerCase().replace(/\.$/, '');
  for (let at = 1; at < words.length - 3; at++) {
    if (words[at] !== 'at') continue;
    // Domain: word (dot word)* ending in a known top-level domain.
    const domain = [words[at + 1] ?? ''];
    let j = at + 2;
    while (words[j] === 'dot' && words[j + 1] !== undefined) {
      domain.push(words[j + 1] ?? '');
      j += 2;
    }
    if (domain.length < 2 || !TLDS.has(domain.at(-1) ?? '')) continue;
    const local = [words[at - 1] ?? ''];
    let k = at - 2;
    while (
      k >= 1 &&
      (words[k] === 'dot' || words[k] === 'underscore') &&
      !COMMON_WORDS.has(words[k - 1] ?? '')
    ) {
      local.unshift(words[k - 1] ?? '', words[k] === 'dot' ? '.' : '_');
      k -= 2;
    }
    if (COMMON_WORDS.has(local.at(-1) ?? '')) continue;
    return `${local.join('')}@${domain.join('.')}`;
  }
  return undefined;
}

const NAME_INTROS = [
  'my name is',
  'my names',
  'the name is',
  'the names',
  'name is',
  'names',
  'this is',
  'call me',
  'under the name',
  'put it under',
  'its under',
  'under',
  'i am',
  'im',
  'its',
];
/** Intros that only mean a name when the agent just asked for one (or at the start of the call). */
const WEAK_INTROS = new Set(['this is', 'i am', 'im', 'its', 'under']);
const FILLERS = new Set([
  'yes',
  'yeah',
  'sure',
  'ok',
  'okay',
  'um',
  'uh',
  'its',
  'it',
  'is',
  'name',
  'my',
  'oh',
  'hi',
  'hello',
  'well',
  'right',
  'so',
  'the',
  'thats',
  'please',
  'thanks',
  'first',
  'last',
]);

/** The caller's name after an introduction ("my name is Maria Lopez"), or alone when the agent asked for it. */
export function findName(
  tokens: readonly Token[],
  expecting: boolean,
  excluded: ReadonlySet<string> = new Set(),
  masked: ReadonlySet<number> = new Set(),
): Found<string> | undefined {
  const words = tokens.map((t) => t.norm);
  // A name stops where an address or phone number begins ("peter johnson seventeen oak street").
  const isNameWord = (i: number) => {
    const w = words[i];
    return (
      w !== undefined &&
      !masked.has(i) &&
      /^\p{L}{2,}$/u.test(w) &&
      !isNumberWord(w) &&
      !COMMON_WORDS.has(w) &&
      !excluded.has(w)
    );
  };
  for (const intro of NAME_INTROS) {
    const at = findPhrase(words, intro);
    if (at < 0) continue;
    const weak = WEAK_INTROS.has(intro);
    // "this is Tom" opens a call; deeper in a sentence it rarely introduces a name unless one was asked for. "It's"
    // starts every other answer ("it's 12 Oak Street", "it's the pepperoni"): a name only when one was asked for.
    if (weak && !expecting && (at > 2 || intro === 'its')) continue;
    const start = at + intro.split(' ').length;
    const said = nameWordsFrom(start, 1, isNameWord, words);
    if (said.length === 0) continue;
    return {
      value: formatName(said.map((i) => tokens[i] as Token)),
      start: at,
      end: (said.at(-1) as number) + 1,
    };
  }
  if (!expecting) return undefined;
  const spelled = findSpelledName(tokens, masked);
  if (spelled) return spelled;
  // Asked for a name, the caller's last few name-like words are it ("uh put it under Garcia", "sarah connor please").
  let end = words.length;
  const trailing = (w: string) => FILLERS.has(w) || isNumberWord(w) || isDigits(w);
  while (end > 0 && (trailing(words[end - 1] ?? '') || masked.has(end - 1))) end--;
  const said = nameWordsFrom(end - 1, -1, isNameWord, words).reverse();
  if (said.length === 0) return undefined;
  return { value: formatName(said.map((i) => tokens[i] as Token)), start: said[0] as number, end };
}

/** A hesitation or a stray "is" the recogniser put between the first and the last name ("katherine uh macdonald"). */
const INSIDE_NAME = new Set(['um', 'uh', 'er', 'hmm', 'is']);

/**
 * The positions of up to three name words from `from` on in `step` direction (1 forward, -1 back), over a filler
 * between two of them (see INSIDE_NAME), which is left out.
 */
function nameWordsFrom(
  from: number,
  step: 1 | -1,
  isNameWord: (i: number) => boolean,
  words: readonly string[],
): number[] {
  const said: number[] = [];
  for (let i = from; said.length < 3 && i >= 0 && i < words.length; i += step) {
    if (isNameWord(i)) said.push(i);
    else if (!(said.length > 0 && INSIDE_NAME.has(words[i] ?? '') && isNameWord(i + step))) break;
  }
  return said;
}

/**
 * Names the census lists (and so the name model) hold as the census clerk abbreviated them: the pronunciation
 * dictionary says "wm" as William, so the recogniser writes it for a William about as often as the name itself.
 */
const ABBREVIATED_NAMES: Readonly<Record<string, string>> = { wm: 'William' };

function formatName(tokens: readonly Token[]): string {
  return tokens
    .map(
      (t) =>
        ABBREVIATED_NAMES[t.norm] ??
        (/^\p{Lu}/u.test(t.raw) ? t.raw : t.raw.split("'").map(capitalize).join("'")),
    )
    .join(' ');
}
