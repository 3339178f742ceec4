import type { VadEvent } from '@voiceroom/agent-core/stages';

export interface VadTiming {
  /** Probability at or above which a frame counts as speech. */
  threshold: number;
  /** Speech ends only when the probability falls below this (hysteresis; defaults to threshold - 0.15). */
  negativeThreshold?: number;
  /** How far before the first speech frame `speech_start.atMs` is placed. */
  prefixPaddingMs: number;
  /** Speech must last this long before `speech_start` is emitted (drops clicks and coughs). */
  minSpeechMs: number;
  /** Silence must last this long before `speech_end` is emitted. */
  minSilenceMs: number;
}

/**
 * Turns a sequence of per-frame speech probabilities into speech_start/speech_end events. Pure: no audio, no
 * clock; time is the stream position in milliseconds.
 *
 * speech_start.atMs = first speech frame minus prefix padding (never before 0);
 * speech_end.atMs = end of the last speech frame, emitted once minSilenceMs of silence followed it.
 */
export class VadStateMachine {
  readonly #timing: Required<VadTiming>;
  #speaking = false;
  #runStartMs = -1;
  #speechStartMs = 0;
  #lastSpeechEndMs = 0;

  constructor(timing: VadTiming) {
    this.#timing = {
      ...timing,
      negativeThreshold: timing.negativeThreshold ?? Math.max(0, timing.threshold - 0.15),
    };
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  /** Outside speech, a run of speech frames has begun that is not yet minSpeechMs long. */
  get onset(): boolean {
    return !this.#speaking && this.#runStartMs >= 0;
  }

  /** Whether a frame of this probability keeps speech going. */
  keepsSpeech(probability: number): boolean {
    return probability >= this.#timing.negativeThreshold;
  }

  /** Feeds one frame covering [startMs, startMs + durationMs). */
  frame(probability: number, startMs: number, durationMs: number): VadEvent | undefined {
    const endMs = startMs + durationMs;
    const t = this.#timing;
    if (!this.#speaking) {
      if (probability >= t.threshold) {
        if (this.#runStartMs < 0) this.#runStartMs = startMs;
        if (endMs - this.#runStartMs >= Math.max(t.minSpeechMs, durationMs)) {
          this.#speaking = true;
          this.#speechStartMs = Math.max(0, this.#runStartMs - t.prefixPaddingMs);
          this.#lastSpeechEndMs = endMs;
          this.#runStartMs = -1;
          return { type: 'speech_start', atMs: this.#speechStartMs };
        }
      } else {
        this.#runStartMs = -1;
      }
      return undefined;
    }
    if (this.keepsSpeech(probability)) {
      this.#lastSpeechEndMs = endMs;
      return undefined;
    }
    if (endMs - this.#lastSpeechEndMs >= t.minSilenceMs) {
      this.#speaking = false;
      const atMs = this.#lastSpeechEndMs;
      return { type: 'speech_end', atMs, durationMs: atMs - this.#speechStartMs };
    }
    return undefined;
  }

  /** Ends the current speech at its last speech frame, as if its minimum silence had passed. */
  endSpeech(): VadEvent | undefined {
    if (!this.#speaking) return undefined;
    this.#speaking = false;
    const atMs = this.#lastSpeechEndMs;
    return { type: 'speech_end', atMs, durationMs: atMs - this.#speechStartMs };
  }

  reset(): void {
    this.#speaking = false;
    this.#runStartMs = -1;
    this.#speechStartMs = 0;
    this.#lastSpeechEndMs = 0;
  }
}
