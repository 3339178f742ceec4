import { spokenWords } from '@voiceroom/agent-core/nlu';

/**
 * A finite-state grammar in sphinxbase's FSG text format (what pocketsphinx's fsg_model_readfile reads): states,
 * word transitions and empty ones, each state's outgoing weights turned into probabilities.
 */
export class FsgBuilder {
  readonly start = 0;
  readonly final = 1;
  #states = 2;
  readonly #arcs: { from: number; to: number; word: string | undefined; weight: number }[] = [];

  state(): number {
    return this.#states++;
  }

  /** A transition saying `word` (or nothing, for `undefined`). */
  arc(from: number, to: number, word: string | undefined, weight = 1): void {
    if (weight > 0) this.#arcs.push({ from, to, word, weight });
  }

  /** A path saying the words of `phrase` in turn, from `from` to `to`. */
  phrase(from: number, to: number, phrase: string, weight = 1): void {
    const words = spokenWords(phrase);
    let at = from;
    for (const [i, word] of words.entries()) {
      const next = i === words.length - 1 ? to : this.state();
      this.arc(at, next, word, i === 0 ? weight : 1);
      at = next;
    }
    if (words.length === 0) this.arc(from, to, undefined, weight);
  }

  /** Every word the grammar says. */
  words(): string[] {
    return [...new Set(this.#arcs.flatMap((a) => (a.word ? [a.word] : [])))].sort();
  }

  toText(name: string): string {
    const totals = new Map<number, number>();
    for (const a of this.#arcs) totals.set(a.from, (totals.get(a.from) ?? 0) + a.weight);
    const lines = [
      `FSG_BEGIN ${name}`,
      `NUM_STATES ${this.#states}`,
      `START_STATE ${this.start}`,
      `FINAL_STATE ${this.final}`,
      ...this.#arcs.map((a) => {
        const probability = (a.weight / (totals.get(a.from) as number)).toPrecision(6);
        return `TRANSITION ${a.from} ${a.to} ${probability}${a.word ? ` ${a.word}` : ''}`;
      }),
      'FSG_END',
    ];
    return `${lines.join('\n')}\n`;
  }
}
