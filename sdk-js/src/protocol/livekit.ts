import { z } from 'zod';
import { RoomRoleSchema } from './grants.ts';

/**
 * LiveKit backend (SFU_BACKEND=livekit): what the browser and the agent worker need to meet in a LiveKit room.
 * Call control, events and captions stay on our socket.io signaling; only the media goes through LiveKit.
 */

/** Where a participant's media goes, as the call ticket (POST /api/calls, staff room tokens) says. */
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

/** Track names in a LiveKit room: the voice everyone hears, the agent's voice, and staff-only whisper audio. */
export const LiveKitTrackName = {
  mic: 'mic',
  agentVoice: 'agent-voice',
  whisper: 'whisper',
} as const;

/** Participant metadata (JSON) that our tokens carry: the room role and the display name. */
export const LiveKitParticipantMetadataSchema = z.object({
  role: RoomRoleSchema,
  name: z.string().max(128),
});
export type LiveKitParticipantMetadata = z.infer<typeof LiveKitParticipantMetadataSchema>;
