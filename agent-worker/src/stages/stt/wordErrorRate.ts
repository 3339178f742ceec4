import { normalizeTranscript } from './lm/normalize.ts';

/** Word-level Levenshtein distance between reference and hypothesis, after normalisation. */
export function wordErrors(reference: string, hypothesis: string): { errors: number; words: number } {
  const ref = normalizeTranscript(reference);
  const hyp = normalizeTranscript(hypothesis);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = (previous[j - 1] as number) + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return { errors: previous[hyp.length] as number, words: ref.length };
}

/** Word error rate of a set of utterances (total errors over total reference words). */
export function wordErrorRate(pairs: Iterable<{ reference: string; hypothesis: string }>): number {
  let errors = 0;
  let words = 0;
  for (const { reference, hypothesis } of pairs) {
    const e = wordErrors(reference, hypothesis);
    errors += e.errors;
    words += e.words;
  }
  return words === 0 ? 0 : errors / words;
}
