import { z } from 'zod';
import { type RoomRole, RoomRoleSchema } from './grants.ts';

/**
 * What a LiveKit room looks like to VoiceRoom (server, agent worker and SDK agree on these names).
 * Identities: customer `customer:<peerId>`, AI agent `agent:<sessionId>`, staff `staff:<userId>`.
 * Tracks: `mic` (a customer's or staff member's voice, for everyone), `agent-voice` (the AI agent), `whisper`
 * (a staff member's audio for the agent and other staff only: its publisher allows only those subscribers).
 */
export const LIVEKIT_TRACKS = { mic: 'mic', agentVoice: 'agent-voice', whisper: 'whisper' } as const;

export const LiveKitIdentityKindSchema = z.enum(['customer', 'agent', 'staff']);
export type LiveKitIdentityKind = z.infer<typeof LiveKitIdentityKindSchema>;

export function liveKitIdentity(kind: LiveKitIdentityKind, id: string): string {
  return `${kind}:${id}`;
}

/** The kind of a LiveKit identity ('customer:…', 'agent:…', 'staff:…'), or undefined for anything else. */
export function liveKitIdentityKind(identity: string): LiveKitIdentityKind | undefined {
  const parsed = LiveKitIdentityKindSchema.safeParse(identity.slice(0, identity.indexOf(':')));
  return parsed.success ? parsed.data : undefined;
}

/** Participant metadata (JSON) the server puts into every LiveKit token it mints. */
export const LiveKitParticipantMetadataSchema = z.object({
  role: RoomRoleSchema,
  name: z.string().min(1).max(128),
});
export type LiveKitParticipantMetadata = z.infer<typeof LiveKitParticipantMetadataSchema>;

/** Parses a participant's metadata; undefined when it is not ours (e.g. a participant joined with a foreign token). */
export function parseLiveKitMetadata(metadata: string | undefined): LiveKitParticipantMetadata | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = LiveKitParticipantMetadataSchema.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function liveKitMetadata(role: RoomRole, name: string): string {
  return JSON.stringify({ role, name } satisfies LiveKitParticipantMetadata);
}

/**
 * How a client reaches a call's media, in the call ticket (POST /api/calls) and the staff ticket
 * (POST /api/rooms/:roomId/token): mediasoup through our signaling with the room token, or a LiveKit room.
 */
export const MediaTicketSchema = z.discriminatedUnion('backend', [
  z.object({ backend: z.literal('mediasoup') }),
  z.object({
    backend: z.literal('livekit'),
    /** The LiveKit server's WebSocket URL (ws:// or wss://). */
    url: z.string().regex(/^wss?:\/\/\S+$/, 'a ws:// or wss:// URL'),
    /** A LiveKit access token for this participant, minted by our control plane from the room grants. */
    token: z.string().min(1).max(8192),
  }),
]);
export type MediaTicket = z.infer<typeof MediaTicketSchema>;
