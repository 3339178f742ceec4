import type { KnowledgeEntry } from '@voiceroom/protocol';
import { singular } from './fuzzy.ts';
import { tokenize } from './text.ts';

/**
 * The knowledge entry whose keywords the utterance hits most (distinct stems). Ties go to the entry whose own
 * question shares more words with the utterance ("how long does delivery take" is "How long will it take?").
 */
export function matchKnowledge(
  words: readonly string[],
  knowledge: readonly KnowledgeEntry[],
): KnowledgeEntry | undefined {
  const stems = new Set(words.map(stem));
  let best: { entry: KnowledgeEntry; score: number; overlap: number } | undefined;
  for (const entry of knowledge) {
    const matched = new Set<string>();
    for (const keyword of entry.keywords) {
      const parts = keyword.toLowerCase().split(/\s+/).map(stem);
      if (parts.every((p) => stems.has(p))) matched.add(parts.join(' '));
    }
    const score = matched.size;
    if (score === 0) continue;
    const questionWords = new Set(tokenize(entry.question).map((t) => stem(t.norm)));
    const overlap = [...questionWords].filter((w) => stems.has(w)).length;
    if (!best || score > best.score || (score === best.score && overlap > best.overlap))
      best = { entry, score, overlap };
  }
  return best?.entry;
}

/** A crude stem: "delivering", "delivers", "delivery" and "deliver" all become "deliver". */
export function stem(word: string): string {
  let w = singular(word);
  for (let round = 0; round < 2; round++) {
    const suffix = ['ing', 'ery', 'ed', 'er', 'y'].find((s) => w.length - s.length >= 4 && w.endsWith(s));
    if (!suffix) break;
    w = w.slice(0, -suffix.length);
  }
  return w.length >= 5 && w.endsWith('e') ? w.slice(0, -1) : w;
}
