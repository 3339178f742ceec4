import { OPUS_RATE } from './OpusCodec.ts';
import { Resampler } from './Resampler.ts';

/**
 * Adapts a pull source of agent speech at the TTS rate (any chunk length) to exact 20 ms frames at `outputRate`
 * (48 kHz by default; the TTS rate itself when the encoder takes it, and then nothing is resampled) for the Opus
 * encoder. At the end of a spurt the last partial frame is padded with silence and the resampler restarts, so
 * no audio of one reply leaks into the next.
 */
export class ResamplingFrameSource {
  readonly #source: () => Int16Array | null;
  readonly #resampler: Resampler;
  readonly #frameSamples: number;
  #fifo: Int16Array;
  #length = 0;

  constructor(source: () => Int16Array | null, inputRate: number, outputRate = OPUS_RATE) {
    this.#source = source;
    this.#resampler = new Resampler({ inputRate, outputRate });
    this.#frameSamples = outputRate / 50;
    this.#fifo = new Int16Array(this.#frameSamples * 4);
  }

  /** The next 20 ms frame, or null when the source has nothing more right now. */
  pull(): Int16Array | null {
    while (this.#length < this.#frameSamples) {
      const chunk = this.#source();
      if (chunk === null) {
        if (this.#length === 0) return null;
        const frame = new Int16Array(this.#frameSamples);
        frame.set(this.#fifo.subarray(0, this.#length));
        this.reset();
        return frame;
      }
      this.#append(this.#resampler.process(chunk));
    }
    const frame = this.#fifo.slice(0, this.#frameSamples);
    this.#fifo.copyWithin(0, this.#frameSamples, this.#length);
    this.#length -= this.#frameSamples;
    return frame;
  }

  /**
   * Like pull(), for a pacer that must keep its clock: a source that throws is reset, reported through `onError`,
   * and this tick sends nothing (the call goes on).
   */
  pullOrSkip(onError: (error: Error) => void): Int16Array | null {
    try {
      return this.pull();
    } catch (error) {
      this.reset();
      onError(error instanceof Error ? error : new Error(String(error)));
      return null;
    }
  }

  /** Drops buffered audio and filter state (barge-in, end of spurt). */
  reset(): void {
    this.#length = 0;
    this.#resampler.reset();
  }

  #append(samples: Int16Array): void {
    if (this.#length + samples.length > this.#fifo.length) {
      const grown = new Int16Array((this.#length + samples.length) * 2);
      grown.set(this.#fifo.subarray(0, this.#length));
      this.#fifo = grown;
    }
    this.#fifo.set(samples, this.#length);
    this.#length += samples.length;
  }
}
