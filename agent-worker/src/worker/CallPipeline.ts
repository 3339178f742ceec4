import type { AgentConfig, SessionCallEvent } from '@voiceroom/sdk/protocol';
import type { Logger } from 'pino';

/**
 * What a call session needs from the voice pipeline (agent-worker/src/pipeline implements it). Pull model: the
 * media path calls `pullAudio` exactly when it sends that frame, so what was pulled is what the caller heard.
 */
export interface CallPipeline {
  /** Rate of the PCM `pullAudio` returns (the TTS rate). */
  readonly outputSampleRate: number;
  /** Media is flowing: greet the caller. */
  start(): void;
  /** The caller's decoded audio, mono 16 kHz, gap-free. */
  pushCallerAudio(pcm16k: Int16Array, atMs?: number): void;
  /** The next 20 ms of agent speech at `outputSampleRate`, or null while silent. */
  pullAudio(): Int16Array | null;
  /** Co-pilot whisper. */
  addHint(text: string): void;
  /** Takeover: stop listening and speaking until unmuted. */
  setMuted(muted: boolean): void;
  /** Idempotent; never throws. */
  close(): void;
}

export interface CallPipelineOptions {
  roomId: string;
  config: AgentConfig;
  emit(event: SessionCallEvent): void;
  logger: Logger;
}

export type CallPipelineFactory = (options: CallPipelineOptions) => Promise<CallPipeline>;
