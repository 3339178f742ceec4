import { OPUS_RATE } from './OpusCodec.ts';
import { Resampler } from './Resampler.ts';
import { SampleFifo } from './SampleFifo.ts';

/**
 * Frames of silence a cancelled spurt ends with: the receiver's jitter buffer conceals a stream that stops mid-sound
 * by stretching that sound (Opus PLC), heard up to ~200 ms after a barge-in paused the agent (bench:voice); silence
 * decoded as audio ends it at once. Three frames outlast the pacer's lead.
 */
const CANCEL_SILENCE_FRAMES = 3;

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
  readonly #fifo: SampleFifo;
  /** Frames of silence still owed to a cancelled spurt (cancel()). */
  #cancelSilence = 0;

  constructor(source: () => Int16Array | null, inputRate: number, outputRate = OPUS_RATE) {
    this.#source = source;
    this.#resampler = new Resampler({ inputRate, outputRate });
    this.#frameSamples = outputRate / 50;
    this.#fifo = new SampleFifo(this.#frameSamples * 4);
  }

  /** The next 20 ms frame, or null when the source has nothing more right now. */
  pull(): Int16Array | null {
    while (this.#fifo.length < this.#frameSamples) {
      const chunk = this.#source();
      if (chunk === null) break;
      this.#fifo.push(this.#resampler.process(chunk));
    }
    if (this.#fifo.length === 0) {
      if (this.#cancelSilence === 0) return null;
      this.#cancelSilence--;
      return new Int16Array(this.#frameSamples);
    }
    this.#cancelSilence = 0;
    const frame = new Int16Array(this.#frameSamples);
    // short of a frame only at the end of a spurt: the rest is silence
    if (this.#fifo.shiftInto(frame) < this.#frameSamples) this.reset();
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

  /**
   * The output stopped for the caller (a pause for a possible barge-in, an interruption): buffered audio is dropped
   * and, unless the source goes on at once, the spurt ends with CANCEL_SILENCE_FRAMES of silence.
   */
  cancel(): void {
    this.reset();
    this.#cancelSilence = CANCEL_SILENCE_FRAMES;
  }

  /** Drops buffered audio and filter state (barge-in, end of spurt). */
  reset(): void {
    this.#fifo.clear();
    this.#resampler.reset();
  }
}
