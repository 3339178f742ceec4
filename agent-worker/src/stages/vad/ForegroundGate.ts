/**
 * Tells the caller's own speech from quieter speech behind it. Background voices (a room, a café, a TV) sound like
 * speech to a speech model, so after the caller stops the VAD went on hearing "speech" until the background did
 * too, and the end of the turn came that much later (~300 ms in bench:robustness's babble). They are quieter than
 * the caller, who is nearest the microphone: 15-20 dB in that bench. While speech goes on, a frame whose level
 * (smoothed over ~100 ms) stays more than FOREGROUND_RANGE_DB under the caller's recent speech level is not the
 * caller's. The caller's own words stay within that range of one another; a real pause falls far below it, so
 * pauses end speech as they do without background, and in quiet the gate changes nothing.
 */

const FOREGROUND_RANGE_DB = 14;
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

  /**
   * Feeds one frame (every frame, in order). `speaking`: the VAD is in speech; `speechScore`: and it scores this
   * frame as speech. False when such a frame is too far under the caller's speech level to be the caller's.
   */
  foreground(frame: Int16Array, frameMs: number, speaking: boolean, speechScore: boolean): boolean {
    this.#powers[this.#frames++ % SMOOTHING_FRAMES] = meanPower(frame);
    if (!speaking) this.#levelDb = undefined;
    if (!speaking || !speechScore) return true;
    const filled = Math.min(this.#frames, SMOOTHING_FRAMES);
    let sum = 0;
    for (let i = 0; i < filled; i++) sum += this.#powers[i] as number;
    const db = sum > 0 ? 10 * Math.log10(sum / filled) : SILENT_DB;
    const level = Math.max(db, (this.#levelDb ?? db) - (LEVEL_DECAY_DB_PER_S * frameMs) / 1000);
    this.#levelDb = level;
    return db >= level - FOREGROUND_RANGE_DB;
  }

  reset(): void {
    this.#powers.fill(0);
    this.#frames = 0;
    this.#levelDb = undefined;
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
