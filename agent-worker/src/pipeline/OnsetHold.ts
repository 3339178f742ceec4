import type { TurnAction } from './turnEvents.ts';

/**
 * Holds the agent's audible reply while the VAD hears speech begin over it but has not confirmed it yet (its
 * minSpeechMs, ~4 Silero frames): the caller hears the agent stop that much sooner on a real barge-in (bench:voice,
 * issue 13: stop p95 under 300 ms). The hold only quiets the output; the agent's state stays `speaking` and nothing is
 * judged of it. Confirmed speech takes over with its own pause (and the backchannel rules); a sound the VAD drops
 * lets the reply go on from where it was held.
 */
export class OnsetHold {
  #held = false;

  /**
   * Per caller-audio tick: pauses the output when an onset begins over the audible reply, resumes it when a held
   * onset passed without becoming speech and the reply is still audible.
   */
  tick(onset: boolean, replyAudible: boolean, actions: TurnAction[]): void {
    if (onset && replyAudible && !this.#held) {
      this.#held = true;
      actions.push({ type: 'pause_output' });
    } else if (!onset && this.#held) {
      this.#held = false;
      if (replyAudible) actions.push({ type: 'resume_output' });
    }
  }

  /** The onset became speech (its pause takes over), or a new agent turn began (its output starts unpaused). */
  release(): void {
    this.#held = false;
  }
}
