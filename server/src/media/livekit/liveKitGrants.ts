import { liveKitMetadata, type RoomGrants, type RoomRole } from '@voiceroom/protocol';
import { TrackSource, type VideoGrant } from 'livekit-server-sdk';

/**
 * Our room grants as a LiveKit VideoGrant (pure). Audio from the microphone only, no data channel (hints and
 * takeovers go through our API, which audits them):
 * - canPublish: speaking, or whispering (a whisper is a published `whisper` track that its publisher lets only the
 *   agent and staff subscribe to: LiveKit has no server-side per-track rule, the SFU enforces the publisher's);
 * - canSubscribe as granted; hidden for silent listeners (in LiveKit hidden means hidden from everyone, agent
 *   included, not only from the customer as on mediasoup).
 */
export function liveKitVideoGrant(roomId: string, grants: RoomGrants): VideoGrant {
  const canPublish = grants.canPublish || grants.canWhisper;
  return {
    roomJoin: true,
    room: roomId,
    canPublish,
    ...(canPublish ? { canPublishSources: [TrackSource.MICROPHONE] } : {}),
    canSubscribe: grants.canSubscribe,
    canPublishData: false,
    canUpdateOwnMetadata: false,
    hidden: grants.hidden,
  };
}

/** The grant the AI agent's worker joins with: it must publish its voice and hear everyone (never hidden). */
export function liveKitAgentGrant(roomId: string): VideoGrant {
  return {
    roomJoin: true,
    room: roomId,
    canPublish: true,
    canPublishSources: [TrackSource.MICROPHONE],
    canSubscribe: true,
    canPublishData: false,
    canUpdateOwnMetadata: false,
    agent: true,
  };
}

export interface LiveKitTokenClaims {
  identity: string;
  name: string;
  role: RoomRole;
  metadata: string;
}

export function liveKitClaims(identity: string, name: string, role: RoomRole): LiveKitTokenClaims {
  return { identity, name, role, metadata: liveKitMetadata(role, name) };
}
