import type { MediaTicket, RoomRole } from '@voiceroom/protocol';

/** A participant as the SFU sees it (for the console, tests and call checks). */
export interface SfuParticipant {
  /** mediasoup: the peer id; LiveKit: the participant identity. */
  id: string;
  identity: string;
  displayName: string;
  /** Undefined for a participant that did not join with one of our tokens. */
  role: RoomRole | undefined;
  hidden: boolean;
  /** Names of the audio tracks it publishes (mediasoup: 'mic' or 'whisper' by audience). */
  tracks: string[];
}

export interface MediaTicketRequest {
  roomId: string;
  identity: string;
  name: string;
  role: RoomRole;
  listenOnly?: boolean;
}

/**
 * The room side of the SFU, as the control plane uses it (calls, staff tokens, readiness): today's mediasoup rooms
 * (created on first join through our signaling) or LiveKit rooms (created through its RoomService API).
 */
export interface SfuBackend {
  readonly kind: MediaTicket['backend'];
  /** Prepares a new call's room (LiveKit creates it, with the call's agent in its metadata). */
  createRoom(roomId: string, info: { agentId: string | null }): Promise<void>;
  /** Ends a room: its participants are disconnected. No-op when there is none. */
  closeRoom(roomId: string, reason: string): Promise<void>;
  roomExists(roomId: string): Promise<boolean>;
  listParticipants(roomId: string): Promise<SfuParticipant[]>;
  /** What a participant's client needs to reach the room's media (added to its room token's ticket). */
  mediaTicket(request: MediaTicketRequest): Promise<MediaTicket>;
}
