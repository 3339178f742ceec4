/**
 * Tells the caller's own speech from quieter speech behind it. Background voices (a room, a café, a TV) sound like
 * speech to a speech model, so after the caller stops the VAD went on hearing "speech" until the background did
 * too, and the end of the turn came that much later (~300 ms in bench:robustness's babble, for as long as the room
 * talks in a real one). They are quieter than the caller, who is nearest the microphone: 15-20 dB in that bench.
 * While speech goes on, a frame (its level smoothed over ~100 ms) is background when it is both more than
 * FOREGROUND_RANGE_DB under the caller's recent speech level and no louder than the room's background level plus
 * BACKGROUND_MARGIN_DB; the caller's speech ends once BACKGROUND_FRAMES_TO_END such frames came in a row, and such
 * frames do not start speech again after it (the level the caller last spoke at is kept until they speak again). That run
 * keeps the short hold the model itself has over a pause: without it, short pauses inside a sentence ended speech
 * too ("no, thanks, let's keep going" answered after "no": bench:robustness seed 1, false cut-offs 5 of 85
 * utterances).
 *
 * The background level is the level a quarter of the last BACKGROUND_WINDOW_FRAMES smoothed levels are under (~2 s,
 * longer than a word: it holds the room before the caller spoke and the gaps between their words). Without it, the
 * caller's own softer words (a trailing "we'd", "wait", 16 dB or more under their loudest) counted as background in
 * a quiet room and were split off as turns of their own (the customer-call e2e test); in a quiet room they stand far
 * above the background, so there the gate never acts. Not the quietest level: a room of voices dips far under its
 * usual level for a moment when its talkers pause together, and its louder syllables then stood more than
 * BACKGROUND_MARGIN_DB above that dip, held the caller's speech and started it again after it (bench:endpoint with
 * the babble playing through the call, seeds 2 and 3: turns ended ~1.1 s after the caller, p50).
 */

const FOREGROUND_RANGE_DB = 16;
/**
 * How far above the room's quietest level background voices still reach (their louder syllables). bench:vad seed 1
 * (20 calls) in babble at 15 dB SNR: the VAD's end 250 ms after the caller's (p50) with 6 dB, 174 with 10.
 */
const BACKGROUND_MARGIN_DB = 10;
/** ~100 ms of Silero frames (32 ms). */
const BACKGROUND_FRAMES_TO_END = 3;
/** Frames the level is smoothed over (Silero frames of 32 ms: ~100 ms, longer than the gaps between words). */
const SMOOTHING_FRAMES = 3;
/** Frames the background level is taken over (~2 s of Silero frames). */
const BACKGROUND_WINDOW_FRAMES = 62;
/** The share of those frames quieter than the background level. */
const BACKGROUND_QUANTILE = 0.25;
/** How fast the speech level falls back (dB per second) when the caller goes on more quietly. */
const LEVEL_DECAY_DB_PER_S = 1.6;
const SILENT_DB = -120;

export class ForegroundGate {
  readonly #powers = new Float64Array(SMOOTHING_FRAMES);
  /** Smoothed levels (dB) of the last BACKGROUND_WINDOW_FRAMES frames, in and out of speech. */
  readonly #recentDb = new Float64Array(BACKGROUND_WINDOW_FRAMES).fill(SILENT_DB);
  /** Where #backgroundDb sorts a copy of #recentDb (no allocation per frame). */
  readonly #sorted = new Float64Array(BACKGROUND_WINDOW_FRAMES);
  #frames = 0;
  /** The caller's speech level (dBFS) in their latest speech; undefined before they spoke. */
  #levelDb: number | undefined;
  /** Frames in a row too quiet to be the caller. */
  #backgroundFrames = 0;

  /**
   * Feeds one frame's mean power (every frame, in order). `speaking`: the VAD is in speech; `speechScore`: and it scores this
   * frame as speech. False when such frames have stayed at the background's level, far under the caller's, or
   * would start speech at that level.
   */
  foreground(power: number, frameMs: number, speaking: boolean, speechScore: boolean): boolean {
    this.#powers[this.#frames % SMOOTHING_FRAMES] = power;
    const filled = Math.min(this.#frames + 1, SMOOTHING_FRAMES);
    let sum = 0;
    for (let i = 0; i < filled; i++) sum += this.#powers[i] as number;
    const db = decibels(sum / filled);
    this.#recentDb[this.#frames % BACKGROUND_WINDOW_FRAMES] = db;
    this.#frames++;
    if (!speaking) {
      this.#backgroundFrames = 0;
      // the room's voices after the caller's speech would start a turn of their own, and hold it as long as they talk
      return !(speechScore && this.#background(db));
    }
    if (!speechScore) return true;
    const decayed = (this.#levelDb ?? db) - (LEVEL_DECAY_DB_PER_S * frameMs) / 1000;
    this.#levelDb = Math.max(db, decayed);
    this.#backgroundFrames = this.#background(db) ? this.#backgroundFrames + 1 : 0;
    return this.#backgroundFrames < BACKGROUND_FRAMES_TO_END;
  }

  reset(): void {
    this.#powers.fill(0);
    this.#recentDb.fill(SILENT_DB);
    this.#frames = 0;
    this.#levelDb = undefined;
    this.#backgroundFrames = 0;
  }

  /** A frame of this level is as loud as the room's background and far under the caller's level. */
  #background(db: number): boolean {
    const level = this.#levelDb;
    return (
      level !== undefined &&
      db < level - FOREGROUND_RANGE_DB &&
      db <= this.#backgroundDb() + BACKGROUND_MARGIN_DB
    );
  }

  /** The room's background level: the BACKGROUND_QUANTILE of the recent smoothed levels. */
  #backgroundDb(): number {
    const seen = Math.min(this.#frames, BACKGROUND_WINDOW_FRAMES);
    if (seen === 0) return Number.POSITIVE_INFINITY;
    const levels = this.#sorted.subarray(0, seen);
    levels.set(this.#recentDb.subarray(0, seen));
    return levels.sort()[Math.floor(BACKGROUND_QUANTILE * (seen - 1))] as number;
  }
}

const decibels = (power: number) => (power > 0 ? 10 * Math.log10(power) : SILENT_DB);
