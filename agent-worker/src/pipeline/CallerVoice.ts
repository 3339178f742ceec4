/** How long a caller's softer last sounds may go on after their voice last stood over the room's (waitFrom). */
export const VOICE_TAIL_MS = 150;
/** The longest room's tail after the caller's voice that waitFrom counts the wait from the voice before. */
const ROOM_TAIL_MAX_MS = 500;
/**
 * How long the speech must have gone on before the caller's voice rose for quietFor to take what follows their voice
 * for a room: a speech model starts on a room's voices 70-350 ms before the caller's word (bench:overlap, babble),
 * while a caller's own soft start taken for a room lasts about a syllable's onset (bench:endpoint seed 5, pink 15 dB:
 * a phone number's later digits, under the level its first word rose from, were taken for the room for 1.6 s).
 */
const ROOM_LEAD_MIN_MS = 150;

/**
 * Where the caller's own voice is in their current speech (over the agent or not). Background voices may start the
 * speech before the caller's voice and hold it open after; the VAD tells where the caller's voice is in it (its
 * foreground). Until it does, the caller's voice is the whole speech.
 */
export class CallerVoice {
  #startAtMs = 0;
  /** Where the speech began, before any room's voices the VAD later found the caller's voice after. */
  #speechStartAtMs = 0;
  #endAtMs: number | undefined;
  /** The same with the caller's softer last sounds over the room (VadStream.foregroundTrailEndMs). */
  #trailEndAtMs: number | undefined;
  /** The VAD placed the caller's voice in the speech (a VAD without a foreground never does). */
  #placed = false;

  get startAtMs(): number {
    return this.#startAtMs;
  }

  /** The caller's speech started at `atMs`. */
  speechStarted(atMs: number): void {
    this.#startAtMs = atMs;
    this.#speechStartAtMs = atMs;
    this.#endAtMs = undefined;
    this.#trailEndAtMs = undefined;
    this.#placed = false;
  }

  /** The VAD placed the caller's voice in the speech and found no room's voices around it: the speech is theirs. */
  get alone(): boolean {
    return this.#placed && this.#endAtMs === undefined;
  }

  /** The VAD's foreground as speech goes on; true when the caller's voice turned out to start later than thought. */
  foreground(startMs: number | undefined, endMs: number | undefined, trailEndMs = endMs): boolean {
    this.#endAtMs = endMs;
    this.#trailEndAtMs = trailEndMs;
    this.#placed ||= startMs !== undefined;
    if (startMs === undefined || startMs <= this.#startAtMs) return false;
    this.#startAtMs = startMs;
    return true;
  }

  /**
   * Where the wait for more of the caller's words counts from, for speech the VAD ended at `speechEndMs`: VOICE_TAIL_MS
   * after the caller's own voice ended when the room's voices held the speech open a little longer, so an unfinished
   * sentence's pause is given the wait it has in a quiet room, not that plus the room's tail (bench:endpoint seeds 2
   * and 3: 300 ms of babble after the line held the VAD 128-320 ms past the voice, p50). The speech's end otherwise,
   * and when more than ROOM_TAIL_MAX_MS of speech followed the voice: that long is the caller's own softer words
   * more often than a room the VAD's gate knows (a clean line's soft start taken for a room put the "end" of its
   * voice 1,030 ms before the real one).
   */
  waitFrom(speechEndMs: number): number {
    const end = this.#trailEndAtMs;
    if (end === undefined || speechEndMs - end > ROOM_TAIL_MAX_MS) return speechEndMs;
    return Math.min(speechEndMs, end + VOICE_TAIL_MS);
  }

  /**
   * How long the speech has gone on at `nowMs` past the caller's own voice and its softer last sounds (VOICE_TAIL_MS
   * after the VAD's trail): the room's voices hold it open. Undefined while the VAD has not heard the voice end over a
   * room, or when the speech began less than ROOM_LEAD_MIN_MS before the caller's voice (no room was heard first).
   */
  quietFor(nowMs: number): number | undefined {
    const end = this.#trailEndAtMs;
    if (end === undefined || this.#startAtMs - this.#speechStartAtMs < ROOM_LEAD_MIN_MS) return undefined;
    return nowMs - (end + VOICE_TAIL_MS);
  }

  /** The caller's own voice stopped `hangoverMs` ago, though the room's voices hold the speech open. */
  endedBy(nowMs: number, hangoverMs: number): boolean {
    return this.#endAtMs !== undefined && nowMs - this.#endAtMs >= hangoverMs;
  }

  /**
   * The caller's voice was shorter than `limitMs`, and the speech (ending `speechEndMs`) did not go on past it for
   * longer than that either: that is the caller going on more quietly ("alright ... um ... can I get"), not the
   * room's tail.
   */
  shortIn(speechEndMs: number, limitMs: number): boolean {
    const end = this.#endAtMs;
    return end !== undefined && end - this.#startAtMs < limitMs && speechEndMs - end < limitMs;
  }
}
