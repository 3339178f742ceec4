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
