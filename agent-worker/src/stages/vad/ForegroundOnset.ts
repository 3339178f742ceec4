/**
 * Where the caller's own voice is in speech that background voices started. A speech model takes a room's voices
 * (a café, a TV) for speech, so speech over the agent often starts at the room's noise, before the caller's word, and
 * goes on with it after: a short "yeah" measured that way outlasted the backchannel limit and was taken for a
 * barge-in. The caller, nearest the microphone, is louder than the room: once a frame comes RISE_DB above the level
 * the speech had until then (and that level lasted LEAD_FRAMES or more), the
 * caller's voice began at that frame, and it lasts as long as frames come at that rise over the room; with the
 * caller trailing off, as long as they stay HOLD_DB over it once it rose (trailEndMs). In a quiet room
 * speech starts with the caller's voice, and the foreground is the whole speech.
 */

/** Babble 15-20 dB under the caller (bench:robustness's noise) rises by more; a word's own syllables by less. */
const RISE_DB = 10;
/**
 * Once risen, how far over the room's mean level a frame is still the caller's softer voice (their last words trailing
 * off); the room's own louder syllables stay under it. Without it, a soft start taken for the room put the caller's
 * voice end 277-586 ms before the real end of speech in 4 clean lines (bench:endpoint seed 2), 87-176 ms with it.
 */
const HOLD_DB = 6;
/**
 * ~64 ms of Silero frames (32 ms): the speech model starts on background voices only 70-350 ms before the caller's
 * word (bench:overlap seed 2, babble), so a longer lead missed half of them; a word's soft start taken for the room
 * moves the caller's start by that little.
 */
const LEAD_FRAMES = 2;

export class ForegroundOnset {
  /** Summed power and count of the frames before the caller's voice. */
  #leadPower = 0;
  #leadFrames = 0;
  #startMs: number | undefined;
  /** The end of the latest frame at the caller's level, once their voice rose over the room. */
  #endMs: number | undefined;
  /** The same with the frames HOLD_DB over the room after it (the caller trailing off). */
  #trailEndMs: number | undefined;

  /** Where the caller's voice began in the current speech (ms, as fed), or undefined outside speech. */
  get startMs(): number | undefined {
    return this.#startMs;
  }

  /** Where the caller's voice ended so far, when it rose over the room's voices in the current speech. */
  get endMs(): number | undefined {
    return this.#endMs;
  }

  /** Where the caller's voice ended so far with their softer last sounds over the room (HOLD_DB). */
  get trailEndMs(): number | undefined {
    return this.#trailEndMs;
  }

  /** Feeds a frame of speech (or of its unconfirmed onset) of mean power `power` over [startMs, startMs + durationMs). */
  speech(power: number, startMs: number, durationMs: number): void {
    if (this.#startMs === undefined) this.#startMs = startMs;
    const leadDb = 10 * Math.log10(this.#leadPower / Math.max(1, this.#leadFrames));
    const overLeadDb = this.#leadFrames >= LEAD_FRAMES ? 10 * Math.log10(power) - leadDb : 0;
    const risen = overLeadDb >= RISE_DB;
    if (risen && this.#endMs === undefined) this.#startMs = startMs;
    if (risen) this.#endMs = startMs + durationMs;
    if (this.#endMs === undefined) {
      this.#leadPower += power;
      this.#leadFrames++;
    } else if (risen || overLeadDb >= HOLD_DB) this.#trailEndMs = startMs + durationMs;
  }

  /** Outside speech: the next speech frame starts new speech. */
  reset(): void {
    this.#leadPower = 0;
    this.#leadFrames = 0;
    this.#startMs = undefined;
    this.#endMs = undefined;
    this.#trailEndMs = undefined;
  }
}
