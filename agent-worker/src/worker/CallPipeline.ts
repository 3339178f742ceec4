import type { AgentConfig, SessionCallEvent, SessionResume } from '@voiceroom/protocol';
import type { Logger } from 'pino';

/**
 * What a call session needs from the voice pipeline (agent-worker/src/pipeline implements it). Pull model: the
 * media path calls `pullAudio` exactly when it sends that frame, so what was pulled is what the caller heard.
 */
export interface CallPipeline {
  /** Rate of the PCM `pullAudio` returns (the TTS rate). */
  readonly outputSampleRate: number;
  /** Media is flowing: greet the caller (or, resuming a call, say so and ask where the call stands). */
  start(): void;
  /** The caller's decoded audio, mono 16 kHz, gap-free. */
  pushCallerAudio(pcm16k: Int16Array, atMs?: number): void;
  /** The next 20 ms of agent speech at `outputSampleRate`, or null while silent. */
  pullAudio(): Int16Array | null;
  /** Co-pilot whisper. */
  addHint(text: string): void;
  /**
   * A co-pilot's audio whisper (mono 16 kHz), meant as coaching for the agent, never as the caller's words: an
   * implementation transcribes it into hints. Optional: without it whispers are not heard by the AI.
   */
  pushWhisperAudio?(pcm16k: Int16Array): void;
  /**
   * Nobody took the handoff: the agent says so and offers a callback (a `callback` event when the caller agrees).
   * Optional: without it the caller is not told.
   */
  handoffUnanswered?(): void;
  /**
   * A human agent speaking to the caller (barge or takeover), mono 16 kHz: transcribed as speaker `human` and part
   * of the agent's history. Optional: without it the human's words are not in the record.
   */
  pushHumanAudio?(pcm16k: Int16Array): void;
  /** Takeover: stop listening and speaking until unmuted. */
  setMuted(muted: boolean): void;
  /** Idempotent; never throws. */
  close(): void;
}

export interface CallPipelineOptions {
  roomId: string;
  config: AgentConfig;
  /** The call so far when this agent takes over from a lost one (see SessionResume). */
  resume?: SessionResume;
  emit(event: SessionCallEvent): void;
  /**
   * The caller started talking over the agent: the media path drops agent audio it was handed but has not played
   * yet (a queue at the SFU client). Optional for pipelines to call; pulling nothing more stops the rest.
   */
  cancelOutput?(): void;
  logger: Logger;
}

export type CallPipelineFactory = (options: CallPipelineOptions) => Promise<CallPipeline>;
