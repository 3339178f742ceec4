import { LevelWindow } from './LevelWindow.ts';

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
 *
 * The room's level is also kept apart from the caller's speech: the same quantile over the frames outside speech
 * only (the room while the agent talks and between the caller's lines; digital silence is no room). Speech starts
 * only on a frame more than BACKGROUND_MARGIN_DB above it, so a room that talks before the caller ever did (the
 * first frames of a stream included) starts no turn; and in speech a frame within ROOM_MARGIN_DB of it is
 * background whatever the caller's level. With a room only 15 dB under the caller through the whole call, its
 * louder syllables came within FOREGROUND_RANGE_DB of the caller's level: they started speech before the caller
 * spoke and held it after, and most turns never ended (bench:endpoint `--bed continuous`, babble 15 dB, seed 2: 20
 * of 24 lines).
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
/**
 * In speech, how far above the room's level (outside speech) a frame is still the room: its louder syllables (babble
 * 15 dB under the caller through the whole call, bench:endpoint seed 2: 90% of the room's frames within 6 dB of it).
 */
const ROOM_MARGIN_DB = 6;
/** How fast the speech level falls back (dB per second) when the caller goes on more quietly. */
const LEVEL_DECAY_DB_PER_S = 1.6;
const SILENT_DB = -120;
/**
 * A frame this quiet (-80 dBFS) is digital silence: a quiet line, or the silence a stalled stream is filled with
 * (InboundAudioStream). Outside speech the room's level is taken over the other frames while they are most of them
 * (else the room is silent). Counted as the room, a stall's silence would drop its level under a loaded machine's
 * stalls, and the room's voices would then start and hold speech: the likely cause of one turn held ~30 s live
 * (bench:robustness, babble 15 dB through the call, load average 25).
 */
const SILENT_POWER = 1e-8;

export class ForegroundGate {
  readonly #powers = new Float64Array(SMOOTHING_FRAMES);
  /** Smoothed levels (dB) of recent frames, in and out of speech. */
  readonly #recent = new LevelWindow(BACKGROUND_WINDOW_FRAMES);
  /** Smoothed levels of recent frames outside speech: the room as heard without the caller. */
  readonly #room = new LevelWindow(BACKGROUND_WINDOW_FRAMES);
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
    this.#recent.push(db);
    this.#frames++;
    if (!speaking) {
      this.#backgroundFrames = 0;
      this.#room.push(power > SILENT_POWER ? db : SILENT_DB);
      // the room's voices would start a turn of their own (before the caller ever spoke too) and hold it as long as
      // they talk
      return !(
        speechScore &&
        (this.#atRoomLevel(db, BACKGROUND_MARGIN_DB) ||
          (this.#levelDb !== undefined && this.#underCaller(db, this.#levelDb)))
      );
    }
    if (!speechScore) return true;
    const decayed = (this.#levelDb ?? db) - (LEVEL_DECAY_DB_PER_S * frameMs) / 1000;
    this.#levelDb = Math.max(db, decayed);
    const background = this.#underCaller(db, this.#levelDb) || this.#atRoomLevel(db, ROOM_MARGIN_DB);
    this.#backgroundFrames = background ? this.#backgroundFrames + 1 : 0;
    return this.#backgroundFrames < BACKGROUND_FRAMES_TO_END;
  }

  reset(): void {
    this.#powers.fill(0);
    this.#recent.reset();
    this.#room.reset();
    this.#frames = 0;
    this.#levelDb = undefined;
    this.#backgroundFrames = 0;
  }

  /** A frame of this level is as loud as the background of the caller's recent speech and far under their level. */
  #underCaller(db: number, levelDb: number): boolean {
    const background = this.#recent.quantile(BACKGROUND_QUANTILE) ?? Number.POSITIVE_INFINITY;
    return db < levelDb - FOREGROUND_RANGE_DB && db <= background + BACKGROUND_MARGIN_DB;
  }

  /** A frame of this level is within `marginDb` of the room's level as heard outside speech. */
  #atRoomLevel(db: number, marginDb: number): boolean {
    const room = this.#room.quantile(BACKGROUND_QUANTILE, SILENT_DB);
    return room !== undefined && db <= room + marginDb;
  }
}

const decibels = (power: number) => (power > 0 ? 10 * Math.log10(power) : SILENT_DB);
