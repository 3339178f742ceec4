import type { OverAgentReading } from '@voiceroom/agent-core/stages';

/**
 * Typed frames passed between the pipeline's processors (pipecat style). Downstream frames flow from the caller's
 * audio towards the agent's audio output; upstream frames report what the output actually did. Every agent turn has
 * an id so that frames of a cancelled turn are recognised and dropped.
 */

export type DownstreamFrame =
  /** 16 kHz caller PCM; `atMs` is the clock time of its first sample. */
  | { kind: 'caller_audio'; pcm: Int16Array; atMs: number }
  /*
   * Caller frames carry two times: `atMs` on the clock (for latency metrics and transcripts) and `streamMs`, the
   * position in the caller's gap-free audio (for durations: a burst of late audio must not look short).
   */
  | { kind: 'user_started_speaking'; atMs: number; streamMs: number }
  | { kind: 'user_stopped_speaking'; atMs: number; streamMs: number }
  | {
      kind: 'transcription';
      text: string;
      final: boolean;
      atMs: number;
      streamMs: number;
      /** Finals: the recogniser's confidence (0..1) and its other hypotheses, when it gives them. */
      confidence?: number;
      alternatives?: string[];
      /** Finals of speech over the agent: the recogniser's own judgement of it (SttEvent's `overAgent`). */
      overAgent?: OverAgentReading;
    }
  /**
   * All caller audio up to `streamMs` went through VAD: the caller's time has advanced that far. `speechOnset`: the
   * VAD hears speech beginning again that it has not confirmed yet (VadStream.onset). `foregroundStartMs`,
   * `foregroundEndMs` and `foregroundTrailEndMs`: in speech, where the caller's own voice is in it (VadStream's).
   */
  | {
      kind: 'caller_audio_processed';
      streamMs: number;
      speechOnset?: boolean;
      foregroundStartMs?: number;
      foregroundEndMs?: number;
      foregroundTrailEndMs?: number;
    }
  /** End of the caller's turn: the agent should answer `text`. */
  | {
      kind: 'user_turn';
      text: string;
      speechEndAtMs: number;
      finalAtMs: number;
      atMs: number /** false while a human has taken the call over: record, do not answer */;
      answer: boolean;
      /** The lowest confidence of the finals that make up `text`, when the recogniser gives one. */
      confidence?: number;
      /** Other hypotheses of the whole of `text` (a turn of one final only), most likely first. */
      alternatives?: string[];
    }
  /** Say a fixed text (greeting) without asking the dialog. */
  | { kind: 'speak'; text: string }
  /** Caller barged in: cancel in-flight dialog and TTS work and drop queued audio. */
  | { kind: 'interruption' }
  /** Possible interruption: hold the output where it is. */
  | { kind: 'pause_output' }
  | { kind: 'resume_output' }
  /** An agent turn began (the output must account for it even if it never produces audio). */
  | { kind: 'agent_turn_started'; turnId: number }
  | { kind: 'agent_audio'; turnId: number; sentence: string; pcm: Int16Array; last: boolean }
  /** No more audio will come for this turn. */
  | { kind: 'reply_done'; turnId: number };

export type UpstreamFrame =
  | { kind: 'bot_started_speaking'; turnId: number; atMs: number }
  /** A new sentence started playing; `heardText` is everything played of the turn so far, that sentence included. */
  | { kind: 'bot_speaking_text'; turnId: number; heardText: string; atMs: number }
  /** The agent turn is over; `heardText` is what was actually played out to the caller. */
  | { kind: 'bot_turn_ended'; turnId: number; heardText: string; interrupted: boolean; atMs: number }
  /** Turn-taking judged the caller's speech over, though the room's voices hold it open: the VAD is to end it. */
  | { kind: 'end_caller_speech' };

export type FrameDirection = 'down' | 'up';
