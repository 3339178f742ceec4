import { editDistance } from './fuzzy.ts';
import { nearestKnownName, spellingDistance } from './knownNames.ts';
import { capitalize, type Token } from './text.ts';

/** A spelled run and the word positions it took (customer.ts's Found, kept here so the two import one way). */
interface Spelled<T> {
  value: T;
  start: number;
  end: number;
  spelled: true;
}

/** Words a recogniser writes for a spoken letter ("see" for C); only trusted inside a run of letters. */
const LETTER_SOUNDALIKES: Readonly<Record<string, string>> = {
  bee: 'b',
  be: 'b',
  see: 'c',
  sea: 'c',
  dee: 'd',
  gee: 'g',
  eye: 'i',
  jay: 'j',
  kay: 'k',
  el: 'l',
  em: 'm',
  en: 'n',
  oh: 'o',
  pea: 'p',
  queue: 'q',
  are: 'r',
  ess: 's',
  tea: 't',
  you: 'u',
  vee: 'v',
  ex: 'x',
  why: 'y',
  zee: 'z',
};

/** The letter(s) of a spelled piece at `i` ("s", "double s", "double u" for W) and how many words it took. */
function letterAt(
  words: readonly string[],
  i: number,
): { letters: string; length: number; plain: boolean } | undefined {
  const w = words[i] ?? '';
  if (/^\p{L}$/u.test(w)) return { letters: w, length: 1, plain: true };
  const next = words[i + 1] ?? '';
  if (w === 'double') {
    if (next === 'u' || next === 'you') return { letters: 'w', length: 2, plain: true };
    const letter = /^\p{L}$/u.test(next) ? next : LETTER_SOUNDALIKES[next];
    if (letter) return { letters: letter + letter, length: 2, plain: true };
  }
  const soundalike = LETTER_SOUNDALIKES[w];
  return soundalike ? { letters: soundalike, length: 1, plain: false } : undefined;
}

/**
 * A name spelled letter by letter ("s a r a h", "a double l e n"), as the agent asks for after failing to catch
 * it: the longest run of letters with at least two said as letters. A pause in the run ("w i l l i a m ... r o g e r
 * s") ends a word: first and last name. Letters a common name is a few mishearings away from are that name (see
 * nearestKnownName).
 */
export function findSpelledName(
  tokens: readonly Token[],
  masked: ReadonlySet<number>,
): Spelled<string> | undefined {
  const words = tokens.map((t) => t.norm);
  let best: Spelled<string[]> | undefined;
  for (let i = 0; i < words.length; i++) {
    let j = i;
    const pieces: Array<{ letters: string; pause: boolean }> = [];
    let plain = 0;
    for (let piece = letterAt(words, j); piece && !masked.has(j); piece = letterAt(words, j)) {
      pieces.push({ letters: piece.letters, pause: j > i && tokens[j]?.pauseBefore === true });
      if (piece.plain) plain++;
      j += piece.length;
    }
    const parts = splitAtPauses(pieces);
    const length = parts.join('').length;
    if (plain >= 2 && length >= 2 && (!best || length > best.value.join('').length))
      best = { value: parts, start: i, end: j, spelled: true };
    i = Math.max(i, j - 1);
  }
  if (!best) return undefined;
  const heard = best.value.filter((p) => p !== '');
  const name = tokens[best.start - 1]?.norm === 'its' ? withSaidS(heard) : nearestKnown(heard);
  return { ...best, value: (name?.names ?? heard).map(capitalize).join(' ') };
}

/** The common name `heard` is nearest to (see nearestKnownName) and how many mishearings away. */
function nearestKnown(heard: readonly string[]): { names: string[]; cost: number } | undefined {
  const names = nearestKnownName(heard);
  return names && { names, cost: spellingDistance(heard.join(''), names.join('')) };
}

/**
 * Letters heard after "it's": a spelling's first "s" is often heard as "it's" ("it's c o double t" for S C O T T),
 * so the letters with an "s" before them are taken when they are nearer a common name than the letters alone.
 */
function withSaidS(heard: readonly string[]): { names: string[]; cost: number } | undefined {
  const alone = nearestKnown(heard);
  const [first = '', ...rest] = heard;
  const withS = nearestKnown([`s${first}`, ...rest]);
  return withS && (!alone || withS.cost < alone.cost) ? withS : alone;
}

/**
 * The words of a spelled run: a pause starts a new one, unless pauses come between most letters ("S. A. R. A. H."
 * is one word) or the word before it would be a single letter.
 */
function splitAtPauses(pieces: ReadonlyArray<{ letters: string; pause: boolean }>): string[] {
  const pauses = pieces.filter((p) => p.pause).length;
  const split = pauses * 2 < pieces.length - 1;
  const parts = [''];
  for (const piece of pieces) {
    if (split && piece.pause && (parts.at(-1)?.length ?? 0) >= 2) parts.push('');
    parts[parts.length - 1] += piece.letters;
  }
  return parts;
}

/** A whole utterance that is one spelled word ("r o g e r s"), capitalised; undefined for anything else. */
export function spelledWord(words: readonly string[]): string | undefined {
  const found = findSpelledName(
    words.map((norm) => ({ norm, raw: norm })),
    new Set(),
  );
  return found && found.start === 0 && found.end === words.length && !found.value.includes(' ')
    ? found.value
    : undefined;
}

/**
 * A first name spelled in one segment and the last name in the next ("w i l l i a m", then "r o g e r s"): the full
 * name. Not when the second spelling is the first one again with a letter or two changed (the caller re-spelling it).
 */
export function spelledLastName(first: string, words: readonly string[]): string | undefined {
  const last = spelledWord(words);
  if (!last || editDistance(first.toLowerCase(), last.toLowerCase(), 2) <= 2) return undefined;
  return `${first} ${last}`;
}
