import { hintSentence } from './replies.ts';

/** A co-pilot's coaching hints for one call, each said once. */
export class CoachingHints {
  readonly #said = new Set<string>();

  /** What the agent says for the hints not said before in the call; they count as said from now on. */
  take(hints: readonly string[]): string[] {
    const fresh = hints.filter((h) => !this.#said.has(h));
    for (const hint of fresh) this.#said.add(hint);
    return fresh.map(hintSentence);
  }
}
