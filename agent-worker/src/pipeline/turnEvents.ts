/** What the turn-taking state machine is configured with, fed and answers (TurnStateMachine.ts). */
import type { OverAgentReading, SttExpectation } from '@voiceroom/agent-core/stages';
import type { AgentState } from '@voiceroom/protocol';
import type { EndpointingBounds } from './endpointing.ts';
import type { RepromptReason, RepromptSettings } from './OwedReply.ts';

/** The subset of AgentConfig['turn'] the state machine needs. */
export interface TurnSettings extends EndpointingBounds, RepromptSettings {
  minInterruptionMs: number;
  minInterruptionWords: number;
  falseInterruptionTimeoutMs: number;
  /**
   * How long after the real end of speech the VAD reports it (its minimum silence). While the VAD still says
   * "speaking" the speech may already have ended, so the duration rule fires only once that much more has passed.
   */
  vadHangoverMs: number;
  /**
   * How far before the first speech frame the VAD places the start of speech (its prefix padding): the speech itself
   * is that much shorter than its start to end.
   */
  vadPrefixMs: number;
  /**
   * Speech over the agent's audible reply that ends within this long (counted from its first speech frame) is a
   * backchannel whatever words the recogniser made of it ("mm hmm" heard as "seven eight seven"), unless it has a
   * stop word; a real sentence lasts longer. Default 700 ms.
   */
  backchannelMaxMs?: number;
}

export const DEFAULT_BACKCHANNEL_MAX_MS = 700;

export type TurnInput =
  | { type: 'user_speech_start'; atMs: number }
  | { type: 'user_speech_end'; atMs: number }
  /**
   * `alternatives`: a final's other hypotheses (the recogniser's n-best), best first; `overAgent`: a final of speech
   * over the agent, as the recogniser judged it on its own.
   */
  | {
      type: 'user_transcript';
      text: string;
      final: boolean;
      atMs: number;
      alternatives?: readonly string[];
      overAgent?: OverAgentReading;
    }
  /** An agent turn (reply or greeting) was requested: the agent is thinking. */
  | { type: 'agent_turn_started'; atMs: number }
  /** The first frame of the agent's audio went out. */
  | { type: 'agent_audio_started'; atMs: number }
  /** The agent turn ended (all audio played, or cancelled). */
  | { type: 'agent_turn_ended'; atMs: number }
  /**
   * Time passed; `speechOnset`: the VAD hears speech beginning that it has not confirmed yet; `foregroundStartMs` and
   * `foregroundEndMs`: in speech that background voices started, where the caller's own voice is in it;
   * `foregroundTrailEndMs`: where it ends with the caller's softer last sounds over the room (VadStream's).
   */
  | {
      type: 'tick';
      atMs: number;
      speechOnset?: boolean;
      foregroundStartMs?: number;
      foregroundEndMs?: number;
      foregroundTrailEndMs?: number;
    }
  /** What the agent's question (as it plays) asks the caller for: judges when the answer is complete. */
  | { type: 'agent_asked'; expecting: SttExpectation; atMs: number };

export type TurnAction =
  | { type: 'state'; state: AgentState }
  | { type: 'pause_output' }
  | { type: 'resume_output' }
  /** Real barge-in: cancel the agent turn. */
  | { type: 'interrupt' }
  /** The caller's voice ended on a complete answer the room's voices hold open: end their speech now (RoomHeldAnswer). */
  | { type: 'end_caller_speech' }
  /** The caller finished a turn: answer it. */
  | { type: 'commit_user_turn'; text: string; speechEndAtMs: number; finalAtMs: number }
  /** The caller spoke and no reply came of it, or a question got no reply: say so and ask again. */
  | { type: 'reprompt'; reason: RepromptReason };
