/** Tolerant word comparison for ASR output: plurals, one or two wrong letters, words split in two. */

export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ch|sh|ss|x|z|o)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

const sameOrNot = (x: string, y: string) => (x === y ? 0 : 1);

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`; `substitute` prices a changed letter. */
export function editDistance(
  a: string,
  b: string,
  max = Number.POSITIVE_INFINITY,
  substitute: (x: string, y: string) => number = sameOrNot,
): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = substitute(a[i - 1] as string, b[j - 1] as string);
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** How many edits a word of this length may have and still count as the same word. */
function allowedEdits(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 5) return 1;
  return 0;
}

export type WordMatch = 'exact' | 'fuzzy' | 'none';

/** Compares a heard word with a known word (a menu or size word). */
export function matchWord(heard: string, known: string): WordMatch {
  const a = singular(heard);
  const b = singular(known);
  if (a === b || heard === known) return 'exact';
  const edits = allowedEdits(b);
  if (edits === 0 || a.length < 4 || a[0] !== b[0]) return 'none';
  return editDistance(a, b, edits) <= edits ? 'fuzzy' : 'none';
}
