import { readFile } from 'node:fs/promises';
import { pronounce } from './espeakG2p.ts';

let cmudict: Promise<Map<string, string[]>> | undefined;

/** CMUdict as word -> pronunciations (alternates "word(2)" folded in), read once per process. */
function loadCmudict(path: string): Promise<Map<string, string[]>> {
  cmudict ??= readFile(path, 'utf8').then((text) => {
    const dict = new Map<string, string[]>();
    for (const line of text.split('\n')) {
      const space = line.indexOf(' ');
      if (space <= 0) continue;
      const word = line.slice(0, space).replace(/\(\d+\)$/, '');
      const phones = line
        .slice(space + 1)
        .replace(/#.*$/, '')
        .trim();
      const list = dict.get(word);
      if (list) list.push(phones);
      else dict.set(word, [phones]);
    }
    return dict;
  });
  return cmudict;
}

export interface PronunciationDictionary {
  /** Dictionary text in pocketsphinx format (`word PH ON ES`, alternates as `word(2)`). */
  text: string;
  /** Words pronounced by espeak-ng because CMUdict lacks them. */
  guessed: string[];
  /** Words that could not be pronounced at all (left out of the language model). */
  missing: string[];
}

/**
 * A dictionary restricted to `words` (a small dictionary makes the decoder start several times faster). Each of
 * `alsoRuleBased` that CMUdict has also gets espeak-ng's pronunciation where it is not one of CMUdict's: names that
 * people say more ways than the dictionary lists ("boulevard" said "boo-", "Monroe" with the "o" of "on").
 */
export async function buildPronunciationDictionary(
  words: Iterable<string>,
  cmudictPath: string,
  alsoRuleBased: Iterable<string> = [],
): Promise<PronunciationDictionary> {
  const dict = await loadCmudict(cmudictPath);
  const lines: string[] = [];
  const unknown: string[] = [];
  const all = new Set(words);
  const known = [...new Set(alsoRuleBased)].filter((word) => all.has(word) && dict.has(word));
  const ruleBased = await pronounce(known);
  for (const word of all) {
    const prons = dict.get(word);
    if (!prons) {
      unknown.push(word);
      continue;
    }
    const other = ruleBased.get(word);
    const variants = other === undefined || prons.includes(other) ? prons : [...prons, other];
    for (const [i, p] of variants.entries()) lines.push(`${word}${i === 0 ? '' : `(${i + 1})`} ${p}`);
  }
  const guessedMap = await pronounce(unknown.filter((w) => /^[a-z][a-z']*$/.test(w)));
  for (const [word, phones] of guessedMap) lines.push(`${word} ${phones}`);
  return {
    text: `${lines.sort().join('\n')}\n`,
    guessed: [...guessedMap.keys()],
    missing: unknown.filter((w) => !guessedMap.has(w)),
  };
}
