/**
 * Tells the caller's own speech from quieter speech behind it. Background voices (a room, a café, a TV) sound like
 * speech to a speech model, so after the caller stops the VAD went on hearing "speech" until the background did
 * too, and the end of the turn came that much later (~300 ms in bench:robustness's babble). They are quieter than
 * the caller, who is nearest the microphone: 15-20 dB in that bench. While speech goes on, a frame whose level
 * (smoothed over ~100 ms) is more than FOREGROUND_RANGE_DB under the caller's recent speech level is not the
 * caller's once BACKGROUND_FRAMES_TO_END such frames came in a row. That run keeps the short hold the model itself
 * has over a pause: without it, short pauses inside a sentence ended speech too ("no, thanks, let's keep going"
 * answered after "no": bench:robustness seed 1, false cut-offs 5 of 85 utterances).
 */

const FOREGROUND_RANGE_DB = 16;
/** ~100 ms of Silero frames (32 ms). */
const BACKGROUND_FRAMES_TO_END = 3;
/** Frames the level is smoothed over (Silero frames of 32 ms: ~100 ms, longer than the gaps between words). */
const SMOOTHING_FRAMES = 3;
/** How fast the speech level falls back (dB per second) when the caller goes on more quietly. */
const LEVEL_DECAY_DB_PER_S = 1.6;
const SILENT_DB = -120;

export class ForegroundGate {
  readonly #powers = new Float64Array(SMOOTHING_FRAMES);
  #frames = 0;
  /** The caller's speech level (dBFS) in the current speech, undefined outside speech. */
  #levelDb: number | undefined;
  /** Frames in a row too quiet to be the caller. */
  #backgroundFrames = 0;

  /**
   * Feeds one frame (every frame, in order). `speaking`: the VAD is in speech; `speechScore`: and it scores this
   * frame as speech. False when such frames have stayed too far under the caller's speech level to be the caller's.
   */
  foreground(frame: Int16Array, frameMs: number, speaking: boolean, speechScore: boolean): boolean {
    this.#powers[this.#frames++ % SMOOTHING_FRAMES] = meanPower(frame);
    if (!speaking) {
      this.#levelDb = undefined;
      this.#backgroundFrames = 0;
    }
    if (!speaking || !speechScore) return true;
    const filled = Math.min(this.#frames, SMOOTHING_FRAMES);
    let sum = 0;
    for (let i = 0; i < filled; i++) sum += this.#powers[i] as number;
    const db = sum > 0 ? 10 * Math.log10(sum / filled) : SILENT_DB;
    const level = Math.max(db, (this.#levelDb ?? db) - (LEVEL_DECAY_DB_PER_S * frameMs) / 1000);
    this.#levelDb = level;
    this.#backgroundFrames = db >= level - FOREGROUND_RANGE_DB ? 0 : this.#backgroundFrames + 1;
    return this.#backgroundFrames < BACKGROUND_FRAMES_TO_END;
  }

  reset(): void {
    this.#powers.fill(0);
    this.#frames = 0;
    this.#levelDb = undefined;
    this.#backgroundFrames = 0;
  }
}

function meanPower(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const s = (frame[i] as number) / 32768;
    sum += s * s;
  }
  return frame.length === 0 ? 0 : sum / frame.length;
}
