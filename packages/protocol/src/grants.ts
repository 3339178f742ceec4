import { z } from 'zod';

/**
 * Room roles and what each may do in a room. The server puts the grants into the room token it signs; signaling
 * enforces them (it never trusts a client's claim of a role without the signed token).
 */

export const RoomRoleSchema = z.enum(['customer', 'agent_ai', 'human_agent', 'supervisor']);
export type RoomRole = z.infer<typeof RoomRoleSchema>;

export const RoomGrantsSchema = z.object({
  /** May send audio into the room. */
  canPublish: z.boolean(),
  /** May receive the others' audio. */
  canSubscribe: z.boolean(),
  /** May coach the AI (hints, or audio only the agent side hears). */
  canWhisper: z.boolean(),
  /** May take the call over from the AI and hand it back. */
  canTakeOver: z.boolean(),
  /** Not listed to the customer as a participant. */
  hidden: z.boolean(),
});
export type RoomGrants = z.infer<typeof RoomGrantsSchema>;

export const ROLE_GRANTS: Readonly<Record<RoomRole, Readonly<RoomGrants>>> = Object.freeze({
  customer: { canPublish: true, canSubscribe: true, canWhisper: false, canTakeOver: false, hidden: false },
  agent_ai: { canPublish: true, canSubscribe: true, canWhisper: false, canTakeOver: false, hidden: false },
  human_agent: { canPublish: true, canSubscribe: true, canWhisper: true, canTakeOver: true, hidden: false },
  // Listen-only by default; taking over (which lets them speak) is a separate, audited action.
  supervisor: { canPublish: false, canSubscribe: true, canWhisper: true, canTakeOver: true, hidden: true },
});

export interface GrantsOptions {
  /** Strip canPublish: join to listen silently. */
  listenOnly?: boolean;
}

/** The grants for a role (a fresh object), with canPublish removed when listening only. */
export function grantsForRole(role: RoomRole, options: GrantsOptions = {}): RoomGrants {
  const grants = { ...ROLE_GRANTS[role] };
  if (options.listenOnly) grants.canPublish = false;
  return grants;
}

/** Payload of a room token (aud 'voiceroom:room'), as verified by the server. */
export const RoomClaimsSchema = z.object({
  /** Participant identity: a user id for staff, 'customer:<callId>' for a caller, 'agent:<id>' for the AI worker. */
  sub: z.string().min(1).max(128),
  name: z.string().min(1).max(128),
  room: z.string().min(1).max(128),
  role: RoomRoleSchema,
  grants: RoomGrantsSchema,
  agentId: z.string().min(1).max(128).nullable().optional(),
});
export type RoomClaims = z.infer<typeof RoomClaimsSchema>;
