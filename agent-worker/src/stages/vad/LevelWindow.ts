/** The last `size` levels (dB) fed, and the level a given share of them are under (ForegroundGate's room levels). */
export class LevelWindow {
  readonly #levels: Float64Array;
  /** Where quantile() sorts a copy of #levels (no allocation per frame). */
  readonly #sorted: Float64Array;
  #fed = 0;

  constructor(size: number) {
    this.#levels = new Float64Array(size);
    this.#sorted = new Float64Array(size);
  }

  push(db: number): void {
    this.#levels[this.#fed % this.#levels.length] = db;
    this.#fed++;
  }

  /**
   * The level `share` of the levels held above `floorDb` are under; undefined when those are not most of the levels
   * held (none fed yet, or mostly at the floor).
   */
  quantile(share: number, floorDb = Number.NEGATIVE_INFINITY): number | undefined {
    const held = Math.min(this.#fed, this.#levels.length);
    let above = 0;
    for (let i = 0; i < held; i++) {
      const db = this.#levels[i] as number;
      if (db > floorDb) this.#sorted[above++] = db;
    }
    if (above === 0 || 2 * above < held) return undefined;
    return this.#sorted.subarray(0, above).sort()[Math.floor(share * (above - 1))];
  }

  reset(): void {
    this.#fed = 0;
  }
}
