/** The subset of AgentConfig['turn'] that decides when the agent asks again. */
export interface RepromptSettings {
  /** See TurnConfigSchema.repromptAfterMs. Default 1500 ms. */
  repromptAfterMs?: number;
  /** See TurnConfigSchema.noInputRepromptMs. Default 6000 ms. */
  noInputRepromptMs?: number;
}

/** Caller speech came to nothing, or a question got no reply at all. */
export type RepromptReason = 'speech_unanswered' | 'no_input';

const DEFAULT_REPROMPT_AFTER_MS = 1500;
const DEFAULT_NO_INPUT_REPROMPT_MS = 6000;
/** Finals come 0.1-0.4 s after speech, up to ~3.3 s on a machine loaded 15-fold (README, bench:handoff). */
const FINAL_OVERDUE_MS = 5000;
/** A caller who stays silent is asked this many times in a row, not for ever (they may have put the phone down). */
const MAX_NO_INPUT_REPROMPTS = 2;

/**
 * When the agent owes the caller a word while nobody holds the floor (TurnStateMachine's reprompt), on stream time:
 * - the caller spoke (long enough to be a barge-in) and nothing came of it: no words recognised, or a reply that
 *   ended without a sound; repromptAfterMs after that speech ended (a final that never comes counts as empty once
 *   FINAL_OVERDUE_MS late: a stalled recogniser);
 * - the agent's turn ended on a question and no reply started for noInputRepromptMs: the caller's answer may
 *   have been too faint or short for the VAD (bench:robustness seed 2 call 1: flite kal's
 *   "correct" after a long read-back scored 0.26-0.69 by Silero, under its 0.5 threshold, twice).
 */
export class OwedReply {
  readonly #settings: RepromptSettings;
  /** The end of the caller's latest speech that no agent audio has followed yet. */
  #speechEndMs: number | undefined;
  /** The agent's question ended here and no reply has started since. */
  #askedAtMs: number | undefined;
  #noInputReprompts = 0;

  constructor(settings: RepromptSettings) {
    this.#settings = settings;
  }

  callerSpoke(endMs: number): void {
    this.#speechEndMs = endMs;
  }

  /** Speech that comes to nothing leaves the question unanswered: only a reply ends the wait. */
  callerStarted(): void {
    this.#noInputReprompts = 0;
  }

  agentAudioStarted(): void {
    this.#speechEndMs = undefined;
  }

  agentTurnStarted(): void {
    this.#askedAtMs = undefined;
  }

  /** The agent's turn played out; `asked`: it ended on a question. */
  agentTurnEnded(atMs: number, asked: boolean): void {
    this.#askedAtMs = asked && this.#noInputReprompts < MAX_NO_INPUT_REPROMPTS ? atMs : undefined;
  }

  /** When to ask again, judged only while the floor is free; `awaitingFinal`: the recogniser owes a final. */
  deadlineMs(awaitingFinal: boolean): number | undefined {
    if (this.#speechEndMs !== undefined) {
      const after = this.#settings.repromptAfterMs ?? DEFAULT_REPROMPT_AFTER_MS;
      return this.#speechEndMs + after + (awaitingFinal ? FINAL_OVERDUE_MS : 0);
    }
    if (this.#askedAtMs === undefined) return undefined;
    return this.#askedAtMs + (this.#settings.noInputRepromptMs ?? DEFAULT_NO_INPUT_REPROMPT_MS);
  }

  /** The reprompt was asked for: it is the reply owed. Says which wait ran out. */
  reprompted(): RepromptReason {
    const reason = this.#speechEndMs === undefined ? 'no_input' : 'speech_unanswered';
    if (reason === 'no_input') this.#noInputReprompts++;
    this.#speechEndMs = undefined;
    this.#askedAtMs = undefined;
    return reason;
  }
}
