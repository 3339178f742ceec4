/**
 * Where the caller's own voice is in their current speech over the agent. Background voices may start the speech
 * before the caller's voice and hold it open after; the VAD tells where the caller's voice is in it (its foreground).
 * Until it does, the caller's voice is the whole speech.
 */
export class CallerVoice {
  #startAtMs = 0;
  #endAtMs: number | undefined;
  /** The VAD placed the caller's voice in the speech (a VAD without a foreground never does). */
  #placed = false;

  get startAtMs(): number {
    return this.#startAtMs;
  }

  /** The caller's speech started at `atMs`. */
  speechStarted(atMs: number): void {
    this.#startAtMs = atMs;
    this.#endAtMs = undefined;
    this.#placed = false;
  }

  /** The VAD placed the caller's voice in the speech and found no room's voices around it: the speech is theirs. */
  get alone(): boolean {
    return this.#placed && this.#endAtMs === undefined;
  }

  /** The VAD's foreground as speech goes on; true when the caller's voice turned out to start later than thought. */
  foreground(startMs: number | undefined, endMs: number | undefined): boolean {
    this.#endAtMs = endMs;
    this.#placed ||= startMs !== undefined;
    if (startMs === undefined || startMs <= this.#startAtMs) return false;
    this.#startAtMs = startMs;
    return true;
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
