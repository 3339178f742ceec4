import type {
  AgentStateEvent,
  MediaTicket,
  RoomGrants,
  RoomRole,
  StageFailedEvent,
  Takeover,
  TranscriptEvent,
  TurnMetricsEvent,
} from '@voiceroom/protocol';
import type { VoiceRoomError } from './errors.ts';

/** Someone else in the room (the local peer is not listed). */
export interface Participant {
  readonly peerId: string;
  readonly displayName: string;
  /** Role from their room token; `agent_ai` is the AI agent. Undefined for a peer the server never introduced. */
  readonly role: RoomRole | undefined;
}

export interface RemoteTrack {
  readonly consumerId: string;
  readonly participant: Participant;
  readonly track: MediaStreamTrack;
  /** The sender paused (muted) their microphone. */
  readonly muted: boolean;
}

/** The local peer, as the server admitted it. */
export interface LocalPeer {
  readonly peerId: string;
  readonly roomId: string;
  readonly role: RoomRole;
  readonly grants: RoomGrants;
}

export type ConnectionState = 'connected' | 'reconnecting' | 'disconnected';

export type RoomEvents = {
  participantJoined: Participant;
  participantLeft: { participant: Participant; reason: string };
  trackSubscribed: { participant: Participant; track: MediaStreamTrack };
  trackUnsubscribed: { participant: Participant; track: MediaStreamTrack };
  /** A remote participant muted or unmuted their microphone. */
  trackMuted: { participant: Participant; track: MediaStreamTrack; muted: boolean };
  /** Our own microphone was muted/unmuted, by us or by the server (`byServer`). */
  muteChanged: { muted: boolean; byServer: boolean };
  /** The server stopped our microphone (e.g. a listen-only supervisor handed the call back); publish again to speak. */
  microphoneClosed: { reason: string };
  /** Who is speaking now (server-side audio levels); `peerId` null after silence, `isLocal` when it is us. */
  activeSpeaker: { peerId: string | null; isLocal: boolean };
  /** Staff only: someone took the call over from the AI, or handed it back (`takeover: null`). */
  copilotState: { takeover: Takeover };
  transcript: TranscriptEvent;
  agentState: AgentStateEvent;
  turnMetrics: TurnMetricsEvent;
  /** Staff only: a stage of the AI agent's pipeline failed during the call, and how it carried on. */
  stageFailed: StageFailedEvent;
  connectionStateChanged: ConnectionState;
  /** The room ended for us. With `rejoin: true` the SDK is already rejoining on its own. */
  roomClosed: { reason: string; rejoin: boolean };
  /** Something failed in the background (a consumer, a recovery step); the room keeps going if it can. */
  error: VoiceRoomError;
};

/** Who hears what we publish: everyone, or (a co-pilot whisper) only the AI agent and staff. */
export type Audience = 'everyone' | 'staff';

export interface PublishOptions {
  audience?: Audience;
}

export interface ConnectOptions {
  /** socket.io transports in order of preference (default: websocket). */
  transports?: ('websocket' | 'polling' | 'webtransport')[];
  /** STUN/TURN servers, as returned with the room token by POST /api/calls or /api/rooms/:id/token. */
  iceServers?: RTCIceServer[];
  /** Per-request ack timeout (default 10 s). */
  requestTimeoutMs?: number;
  /** Where the media goes, as the call ticket says (`ticket.media`); default mediasoup. */
  media?: MediaTicket;
}
