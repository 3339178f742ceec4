/** The last `size` levels (dB) fed, and the level a given share of them are under (ForegroundGate's levels). */
export class LevelWindow {
  readonly #levels: Float64Array;
  /** Where quantile() sorts a copy of #levels (no allocation per frame). */
  readonly #sorted: Float64Array;
  #fed = 0;

  constructor(size: number) {
    this.#levels = new Float64Array(size);
    this.#sorted = new Float64Array(size);
  }

  /** Levels fed since the start or the last reset (not only the ones held). */
  get fed(): number {
    return this.#fed;
  }

  push(db: number): void {
    this.#levels[this.#fed % this.#levels.length] = db;
    this.#fed++;
  }

  /** The level `share` of the levels held are under; undefined before any was fed. */
  quantile(share: number): number | undefined {
    const held = Math.min(this.#fed, this.#levels.length);
    if (held === 0) return undefined;
    const levels = this.#sorted.subarray(0, held);
    levels.set(this.#levels.subarray(0, held));
    return levels.sort()[Math.floor(share * (held - 1))];
  }

  reset(): void {
    this.#fed = 0;
  }
}
