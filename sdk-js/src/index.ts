import { Room } from './Room.ts';
import type { ConnectOptions } from './types.ts';

/**
 * Joins a voice room: `url` is the server origin, `token` a room token from the control plane (POST /api/calls).
 * Resolves once joined and ready to receive; then call `room.publishMicrophone()` to speak.
 */
export function connect(url: string, token: string, options?: ConnectOptions): Promise<Room> {
  return Room.connect(url, token, options);
}

export type {
  AgentPresence,
  AgentState,
  AgentStateEvent,
  CallbackRequest,
  CallEndedNotice,
  ConsoleState,
  HandoffAcceptance,
  HandoffAcceptedNotice,
  HandoffCancelledNotice,
  HandoffClosedNotice,
  HandoffRequest,
  HandoffSummary,
  LiveCall,
  Presence,
  StageFailedEvent,
  Takeover,
  TranscriptEvent,
  TurnMetricsEvent,
} from '@voiceroom/protocol';
export { attachAudio } from './attachAudio.ts';
export { ConsoleClient, type ConsoleClientEvents, type ConsoleClientOptions } from './ConsoleClient.ts';
export { Copilot } from './Copilot.ts';
export { SdkErrorCode, VoiceRoomError } from './errors.ts';
export { Room } from './Room.ts';
export { TypedEmitter } from './TypedEmitter.ts';
export type {
  Audience,
  ConnectionState,
  ConnectOptions,
  LocalPeer,
  Participant,
  PublishOptions,
  RemoteTrack,
  RoomEvents,
} from './types.ts';
