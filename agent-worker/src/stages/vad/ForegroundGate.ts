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
 * The room's level is the BACKGROUND_QUANTILE of a longer window (ROOM_WINDOW_FRAMES, every frame: the caller's
 * pauses and digital silence included), kept ROOM_CEILING_DB under the caller's speech level. Once the gate heard
 * ROOM_KNOWN_FRAMES of the stream, a frame within BACKGROUND_MARGIN_DB of it starts no speech (before the caller ever
 * spoke too), and in speech a frame within ROOM_MARGIN_DB of it is background whatever the caller's level. With a
 * room only 15 dB under the caller through the whole call, its louder syllables came within FOREGROUND_RANGE_DB of
 * the caller's level: they started speech before the caller spoke and held it after, and most lines never ended
 * (bench:endpoint `--bed continuous`, babble 15 dB). A room level learnt from frames outside speech only (session
 * 10) took a voice heard alone, whose frames it vetoed, for the room, and locked that voice out (a stream that starts
 * on speech, 2 s talk and 0.4 s silence: no speech start in 20 s); learnt from every frame and kept under the
 * caller's level, it cannot be the caller's.
 *
 * A call's stream opens as the agent greets, and a room of voices heard from its first frame started speech before
 * the gate knew the room; the room's level then counted as the caller's, and that speech lasted into the caller's
 * first line and past it (bench:endpoint `--bed continuous`, babble 15 dB, seed 3: three first lines never ended).
 * While the agent holds the turn the caller listens, so the frames the stream opens with wait (FrameVadStream holds
 * them) until the gate heard AGENT_TURN_ROOM_FRAMES, and are then judged against the room they were part of: the
 * room's voices start nothing, and a caller's word over the greeting, above the room, starts speech where it began.
 * Outside the agent's turn nothing waits: a stream that starts on speech starts it at once.
 *
 * What the microphone hears while the agent holds the turn is the room (and echo residue), none of it the caller's: in
 * speech, its BACKGROUND_QUANTILE is a room level that need not be kept ROOM_CEILING_DB under the caller's, only
 * FOREGROUND_RANGE_DB (a frame that near the caller's level is theirs). Kept 20 dB under, a room of voices whose
 * quiet level was 17 dB under the caller's speech level held their line open as long as its louder syllables went on
 * (bench:endpoint `--bed continuous` seed 3, babble 15 dB: a first line and the caller's repeat of it never ended).
 * Not outside speech: a caller who talked over the whole greeting would be learnt as that room, and their next words
 * would start nothing until the agent's next turn.
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
 * In speech, how far above the room's level a frame is still the room: its louder syllables (babble 15 dB under the
 * caller through the whole call, bench:endpoint seed 2: 90% of the room's frames within 6 dB of its quantile).
 */
const ROOM_MARGIN_DB = 6;
/**
 * Frames the room's level is taken over (~6 s): in a quiet room the silence before a line stays in a quarter of it
 * through a line of 4 s, so the caller's own quieter frames are not taken for the room (over BACKGROUND_WINDOW_FRAMES
 * they would be, after 1.5 s of talk).
 */
const ROOM_WINDOW_FRAMES = 188;
/**
 * How far under the caller's speech level the room's level stays. The caller's level follows their loudest
 * syllables; babble 15 dB under the caller stays further under it than this.
 */
const ROOM_CEILING_DB = 20;
/**
 * ~0.5 s of Silero frames: before that the gate knows no room. Longer than the VAD takes to confirm speech, so a
 * stream that starts on the caller's speech (a supervisor's looping microphone) starts it, and their level keeps the
 * room's under them from then on.
 */
const ROOM_KNOWN_FRAMES = 16;
/**
 * ~1 s of Silero frames: while the agent holds the turn, frames wait until the gate heard this much of the stream, and
 * are then judged against the room they were part of. Twice ROOM_KNOWN_FRAMES, so that a first word said over the
 * greeting as the call connects ("hello?", ~0.5 s) is not most of what the room is learnt from.
 */
const AGENT_TURN_ROOM_FRAMES = 31;
/** How fast the speech level falls back (dB per second) when the caller goes on more quietly. */
const LEVEL_DECAY_DB_PER_S = 1.6;
const SILENT_DB = -120;

export class ForegroundGate {
  readonly #powers = new Float64Array(SMOOTHING_FRAMES);
  /** Smoothed levels (dB) of recent frames, in and out of speech. */
  readonly #recent = new LevelWindow(BACKGROUND_WINDOW_FRAMES);
  /** The same over the room's longer window. */
  readonly #room = new LevelWindow(ROOM_WINDOW_FRAMES);
  /** The levels heard while the agent held the turn (the caller listening). */
  readonly #listened = new LevelWindow(ROOM_WINDOW_FRAMES);
  /** The caller's speech level (dBFS) in their latest speech; undefined before they spoke. */
  #levelDb: number | undefined;
  /** Frames in a row too quiet to be the caller. */
  #backgroundFrames = 0;
  #agentTurn = false;

  /**
   * The agent holds the turn (its greeting or a reply): the caller is listening, so what the microphone hears is most
   * likely the room.
   */
  setAgentTurn(active: boolean): void {
    this.#agentTurn = active;
  }

  /**
   * Frames are to wait for the room: the agent holds the turn and the gate has not heard AGENT_TURN_ROOM_FRAMES of
   * the stream yet. They are judged (foreground) once it has or the agent's turn ends.
   */
  get awaitingRoom(): boolean {
    return this.#agentTurn && this.#room.fed < AGENT_TURN_ROOM_FRAMES;
  }

  /** Learns one frame's mean power (every frame, in order); returns its smoothed level (dB) for `foreground`. */
  hear(power: number): number {
    const frames = this.#room.fed;
    this.#powers[frames % SMOOTHING_FRAMES] = power;
    const filled = Math.min(frames + 1, SMOOTHING_FRAMES);
    let sum = 0;
    for (let i = 0; i < filled; i++) sum += this.#powers[i] as number;
    const db = decibels(sum / filled);
    this.#recent.push(db);
    this.#room.push(db);
    if (this.#agentTurn) this.#listened.push(db);
    return db;
  }

  /**
   * Judges a frame heard at smoothed level `db` (every frame, in order, after `hear`). `speaking`: the VAD is in
   * speech; `speechScore`: and it scores this frame as speech. False when such frames have stayed at the background's
   * level, far under the caller's, or would start speech at that level.
   */
  foreground(db: number, frameMs: number, speaking: boolean, speechScore: boolean): boolean {
    if (!speaking) {
      this.#backgroundFrames = 0;
      // the room's voices would start a turn of their own (before the caller ever spoke too) and hold it as long as
      // they talk
      return !(speechScore && (this.#background(db) || this.#atRoomLevel(db, BACKGROUND_MARGIN_DB)));
    }
    if (!speechScore) return true;
    const decayed = (this.#levelDb ?? db) - (LEVEL_DECAY_DB_PER_S * frameMs) / 1000;
    const level = Math.max(db, decayed);
    this.#levelDb = level;
    const background =
      this.#background(db) || this.#atRoomLevel(db, ROOM_MARGIN_DB) || this.#atListenedLevel(db, level);
    this.#backgroundFrames = background ? this.#backgroundFrames + 1 : 0;
    return this.#backgroundFrames < BACKGROUND_FRAMES_TO_END;
  }

  reset(): void {
    this.#powers.fill(0);
    this.#recent.reset();
    this.#room.reset();
    this.#listened.reset();
    this.#levelDb = undefined;
    this.#backgroundFrames = 0;
  }

  /** A frame of this level is as loud as the room's background and far under the caller's level. */
  #background(db: number): boolean {
    const level = this.#levelDb;
    return (
      level !== undefined &&
      db < level - FOREGROUND_RANGE_DB &&
      db <= (this.#recent.quantile(BACKGROUND_QUANTILE) ?? Number.POSITIVE_INFINITY) + BACKGROUND_MARGIN_DB
    );
  }

  /** A frame of this level is within `marginDb` of the room's level (kept under the caller's level). */
  #atRoomLevel(db: number, marginDb: number): boolean {
    const heard = this.#room.fed < ROOM_KNOWN_FRAMES ? undefined : this.#room.quantile(BACKGROUND_QUANTILE);
    if (heard === undefined) return false;
    const room = this.#levelDb === undefined ? heard : Math.min(heard, this.#levelDb - ROOM_CEILING_DB);
    return db <= room + marginDb;
  }

  /** In speech, a frame of this level is within ROOM_MARGIN_DB of the room heard as the caller listened. */
  #atListenedLevel(db: number, levelDb: number): boolean {
    const listened =
      this.#listened.fed < ROOM_KNOWN_FRAMES ? undefined : this.#listened.quantile(BACKGROUND_QUANTILE);
    return listened !== undefined && db <= Math.min(listened, levelDb - FOREGROUND_RANGE_DB) + ROOM_MARGIN_DB;
  }
}

const decibels = (power: number) => (power > 0 ? 10 * Math.log10(power) : SILENT_DB);
