import { z } from 'zod';
import type { InboundAudioInfo } from '../MediaTransport.ts';

/** Participant metadata the control plane puts in LiveKit tokens. */
export const ParticipantMetadataSchema = z.object({
  role: z.enum(['customer', 'agent_ai', 'human_agent', 'supervisor']),
  name: z.string().max(200).optional(),
});

/** Track name of a co-pilot's staff-only audio: coaching for the agent, never the caller's voice. */
export const WHISPER_TRACK = 'whisper';
/** Track name the agent publishes its voice under. */
export const AGENT_VOICE_TRACK = 'agent-voice';

const ROLE_BY_PREFIX: Record<string, string> = {
  customer: 'customer',
  agent: 'agent_ai',
  staff: 'human_agent',
};

/**
 * Who a remote audio track belongs to, from the participant's metadata (`{"role", "name"}`), else from its identity
 * (`customer:<peerId>`, `agent:<sessionId>`, `staff:<userId>`). With `customerIdentity` set only that participant
 * is the customer: anyone else claiming the role is heard as nobody (`role: 'unknown'`).
 */
export function inboundAudioInfo(
  participant: { identity: string; metadata: string },
  trackName: string | undefined,
  customerIdentity?: string,
): InboundAudioInfo {
  let role = ROLE_BY_PREFIX[participant.identity.split(':', 1)[0] ?? ''] ?? 'unknown';
  if (participant.metadata !== '') {
    try {
      const parsed = ParticipantMetadataSchema.safeParse(JSON.parse(participant.metadata));
      if (parsed.success) role = parsed.data.role;
    } catch {
      // not JSON: the identity decides
    }
  }
  if (customerIdentity !== undefined && role === 'customer' && participant.identity !== customerIdentity)
    role = 'unknown';
  return {
    peerId: participant.identity,
    role,
    audience: trackName === WHISPER_TRACK ? 'staff' : 'everyone',
  };
}
