/** A queue of 16-bit samples in one buffer that grows as needed and is reused, so a steady stream allocates nothing. */
export class SampleFifo {
  #buffer: Int16Array;
  #length = 0;

  constructor(capacity: number) {
    this.#buffer = new Int16Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  push(samples: Int16Array): void {
    if (this.#length + samples.length > this.#buffer.length) {
      const grown = new Int16Array((this.#length + samples.length) * 2);
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(samples, this.#length);
    this.#length += samples.length;
  }

  /** Moves the oldest samples into `target` from `at` on, as many as fit or there are; returns how many. */
  shiftInto(target: Int16Array, at = 0): number {
    const count = Math.min(this.#length, target.length - at);
    target.set(this.#buffer.subarray(0, count), at);
    this.#buffer.copyWithin(0, count, this.#length);
    this.#length -= count;
    return count;
  }

  clear(): void {
    this.#length = 0;
  }
}
