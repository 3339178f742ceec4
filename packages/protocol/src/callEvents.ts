import { z } from 'zod';

/**
 * Live call events: produced by the agent worker (transcripts, agent state, turn latency), relayed by the server to
 * every participant of the room (socket notification of the same name) and persisted as the call goes.
 */

export const SpeakerSchema = z.enum(['customer', 'agent', 'human']);
export type Speaker = z.infer<typeof SpeakerSchema>;

export const TranscriptEventSchema = z.object({
  roomId: z.string().min(1).max(128),
  /** Stable per utterance: partials and the final of one utterance share it. */
  segmentId: z.string().min(1).max(64),
  speaker: SpeakerSchema,
  text: z.string().max(10_000),
  final: z.boolean(),
  /** Milliseconds since the call started. */
  startMs: z.number().int().nonnegative(),
  endMs: z.number().int().nonnegative(),
  /** For an agent reply cut by barge-in: true, and `text` holds only what the caller heard. */
  interrupted: z.boolean().default(false),
  /** A recognised final: the recogniser's confidence in `text` (0..1), when it gives one. */
  confidence: z.number().min(0).max(1).optional(),
  /** A recognised final: the recogniser's other hypotheses of it, most likely first (what the dialog chose from). */
  alternatives: z.array(z.string().max(10_000)).max(16).optional(),
});
export type TranscriptEvent = z.infer<typeof TranscriptEventSchema>;

export const AgentStateSchema = z.enum(['idle', 'listening', 'thinking', 'speaking', 'paused']);
export type AgentState = z.infer<typeof AgentStateSchema>;

export const AgentStateEventSchema = z.object({
  roomId: z.string().min(1).max(128),
  state: AgentStateSchema,
});
export type AgentStateEvent = z.infer<typeof AgentStateEventSchema>;

const ms = z.number().nonnegative().max(600_000);

export const StageKindSchema = z.enum(['vad', 'stt', 'dialog', 'tts']);
export type StageKind = z.infer<typeof StageKindSchema>;

/**
 * How the call carried on after a stage failed: `fallback` (the offline provider took over), `apology` (the agent
 * said so, and asked for a human when it cannot go on), `handoff` (a human was asked for without a word: no voice
 * left), `none` (only the failed turn was lost).
 */
export const StageRecoverySchema = z.enum(['fallback', 'apology', 'handoff', 'none']);
export type StageRecovery = z.infer<typeof StageRecoverySchema>;

/** A stage of the agent's pipeline failed during the call; recorded with the call. */
export const StageFailedEventSchema = z.object({
  roomId: z.string().min(1).max(128),
  stage: StageKindSchema,
  /** The provider that failed, e.g. `sherpa-onnx`. */
  provider: z.string().min(1).max(64),
  message: z.string().max(500),
  recovery: StageRecoverySchema,
  /** With `fallback`: the provider that took over. */
  fallbackProvider: z.string().min(1).max(64).optional(),
  /** Milliseconds since the call started. */
  atMs: z.number().int().nonnegative(),
});
export type StageFailedEvent = z.infer<typeof StageFailedEventSchema>;

export const TurnMetricsEventSchema = z.object({
  roomId: z.string().min(1).max(128),
  turn: z.number().int().nonnegative(),
  /** End of caller speech (VAD) -> end-of-utterance decision. */
  eouMs: ms,
  /** End of caller speech -> final transcript. */
  asrFinalMs: ms,
  /** Dialog request -> first token/sentence. */
  dialogFirstTokenMs: ms,
  /** First sentence to TTS -> first synthesized audio. */
  ttsFirstAudioMs: ms,
  /** End of caller speech -> first agent RTP packet sent (server-side view; browsers measure their own). */
  voiceToVoiceMs: ms,
  interrupted: z.boolean(),
});
export type TurnMetricsEvent = z.infer<typeof TurnMetricsEventSchema>;
