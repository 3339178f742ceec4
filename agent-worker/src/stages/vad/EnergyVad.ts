import type { Vad, VadStream } from '@voiceroom/agent-core/stages';
import { type FrameScorer, FrameVadStream } from './FrameVadStream.ts';
import type { VadTiming } from './VadStateMachine.ts';

/** Frames of 20 ms; the normalised level is 0 at the noise floor and 1 at DYNAMIC_RANGE_DB above it. */
const FRAME_SAMPLES = 320;
const DYNAMIC_RANGE_DB = 40;
const QUIETEST_FLOOR_DB = -70;
/** The noise floor follows quieter frames at once and louder ones slowly (dB per frame), so speech never lifts it. */
const FLOOR_RISE_DB_PER_FRAME = 0.02;

class EnergyScorer implements FrameScorer {
  readonly frameSamples = FRAME_SAMPLES;
  /** Starts at the first frame's level: a stream opening on noise adapts at once; on speech, at the first pause. */
  #floorDb: number | undefined;

  score(frame: Int16Array): number {
    let sum = 0;
    for (const s of frame) sum += s * s;
    const rms = Math.sqrt(sum / frame.length) / 32768;
    const db = rms > 0 ? 20 * Math.log10(rms) : -120;
    const floor = this.#floorDb ?? db;
    this.#floorDb = Math.max(QUIETEST_FLOOR_DB, db < floor ? db : floor + FLOOR_RISE_DB_PER_FRAME);
    return Math.min(1, Math.max(0, (db - this.#floorDb) / DYNAMIC_RANGE_DB));
  }

  reset(): void {
    this.#floorDb = undefined;
  }

  close(): void {}
}

/**
 * Energy VAD: RMS level over an adaptive noise floor, through the same speech state machine as Silero. Cheap and
 * dependency-free; fooled by loud non-speech (music, slamming doors), which is what Silero is for.
 */
export class EnergyVad implements Vad {
  readonly #timing: VadTiming;

  constructor(timing: VadTiming) {
    this.#timing = { ...timing, negativeThreshold: timing.negativeThreshold ?? timing.threshold * 0.6 };
  }

  get name(): string {
    return 'energy';
  }

  createStream(): VadStream {
    return new FrameVadStream(new EnergyScorer(), this.#timing);
  }

  close(): void {
    // Nothing loaded: each stream measures its own frames.
  }
}
