import type { EventEmitter } from 'node:events';

/** Who an inbound audio stream belongs to, whatever carries it. */
export interface InboundAudioInfo {
  peerId: string;
  role: string;
  /** 'staff': a co-pilot whisper for the agent, not the caller. */
  audience?: 'everyone' | 'staff';
}

/** The agent's voice: pulled one 20 ms chunk at a time at `sampleRate`, or null while silent. */
export interface AgentVoiceSource {
  readonly sampleRate: number;
  pull(): Int16Array | null;
}

export interface MediaTransportEvents {
  /** Media flows both ways (the caller can hear the agent): the pipeline may greet. Emitted once. */
  ready: [];
  /** Inbound audio, mono 16 kHz, gap-free per stream; `atMs` since that stream began. */
  audio: [pcm16k: Int16Array, atMs: number, stream: InboundAudioInfo];
  streamadded: [stream: InboundAudioInfo];
  streamremoved: [stream: InboundAudioInfo];
  /** The first frame of a new agent talk spurt left for the room. */
  spurt: [];
  /** The voice source threw, the socket failed or the room went away; the session should be closed. */
  error: [error: Error];
}

/**
 * How a call's audio reaches the agent and leaves it, whatever the SFU: an RTP PlainTransport pair with mediasoup
 * (MediaSession) or a LiveKit room joined with @livekit/rtc-node (LiveKitTransport). The agent's voice is pulled
 * from an AgentVoiceSource in real time, so what was pulled is what the room was sent.
 */
export interface MediaTransport extends EventEmitter<MediaTransportEvents> {
  readonly kind: 'rtp' | 'livekit';
  readonly closed: boolean;
  /**
   * Barge-in: drops agent audio already pulled but not yet played out (a LiveKit AudioSource queue), and ends the
   * spurt with a few frames of silence so the receiver does not conceal its abrupt end by stretching the last sound.
   * Audio already on the wire (the RTP pacer's lead) cannot be recalled.
   */
  cancelOutput(): void;
  /** Counters for the session's end-of-call log line. */
  summary(): Record<string, unknown>;
  /** Idempotent. */
  close(): void;
}
