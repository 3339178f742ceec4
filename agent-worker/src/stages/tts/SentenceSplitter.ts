/**
 * Incremental sentence splitter for streamed dialog text. A boundary is punctuation (. ! ?, optionally closed by
 * quotes or brackets) followed by whitespace, so a token stream "15." + "50" never splits a price; abbreviations
 * ("Mr.", "St.", "e.g."), initials ("J. Smith") and ellipses followed by lower case do not end a sentence.
 */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'ave',
  'blvd',
  'rd',
  'ln',
  'no',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'approx',
  'apt',
  'dept',
  'est',
  'inc',
  'ltd',
  'co',
  'mt',
  'ft',
  'oz',
  'lb',
  'min',
  'max',
  'a.m',
  'p.m',
]);

const BOUNDARY = /([.!?]+|\u2026)["')\]]*(?=\s)|\n+/g;

export class SentenceSplitter {
  #buffer = '';

  /** Adds text; returns the sentences it completed, trimmed, in order. */
  push(text: string): string[] {
    this.#buffer += text;
    const sentences: string[] = [];
    let start = 0;
    BOUNDARY.lastIndex = 0;
    for (let match = BOUNDARY.exec(this.#buffer); match; match = BOUNDARY.exec(this.#buffer)) {
      const end = match.index + match[0].length;
      const rest = this.#buffer.slice(end).trimStart();
      if (!match[0].startsWith('\n')) {
        // An ellipsis ends the sentence only before a capital: wait for the next word to judge.
        if (isEllipsis(match[0]) && rest.length === 0) break;
        if (this.#isNotBoundary(start, match.index, match[0], rest)) continue;
      }
      const sentence = this.#buffer.slice(start, end).trim();
      if (sentence.length > 0) sentences.push(sentence);
      start = end;
    }
    this.#buffer = this.#buffer.slice(start);
    return sentences;
  }

  /** Returns whatever is left (the last sentence, possibly without final punctuation). */
  flush(): string | undefined {
    const rest = this.#buffer.trim();
    this.#buffer = '';
    return rest.length > 0 ? rest : undefined;
  }

  #isNotBoundary(start: number, dotIndex: number, punctuation: string, rest: string): boolean {
    if (isEllipsis(punctuation)) return /^[a-z]/.test(rest);
    if (punctuation !== '.') return false;
    const before = this.#buffer.slice(start, dotIndex);
    const word = /([A-Za-z.]+)$/.exec(before)?.[1] ?? '';
    if (ABBREVIATIONS.has(word.toLowerCase())) return true;
    // A single capital letter is an initial ("J. Smith"), unless it is the whole sentence ("Plan B.").
    return /^[A-Z]$/.test(word) && before.trim().length > 1;
  }
}

function isEllipsis(punctuation: string): boolean {
  return punctuation.startsWith('..') || punctuation.startsWith('\u2026');
}

/** Splits a whole text at once. */
export function splitSentences(text: string): string[] {
  const splitter = new SentenceSplitter();
  const sentences = splitter.push(text);
  const last = splitter.flush();
  return last ? [...sentences, last] : sentences;
}
