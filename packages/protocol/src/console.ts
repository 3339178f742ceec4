import { z } from 'zod';
import { type Ack, errorSchema } from './ack.ts';
import { AgentStateSchema, SpeakerSchema } from './callEvents.ts';
import { RoomGrantsSchema, RoomRoleSchema } from './grants.ts';
import { MediaTicketSchema } from './livekit.ts';

/**
 * The human agents' console channel: socket.io namespace `/console`.
 *
 * Handshake: `io(url + CONSOLE_NAMESPACE, { auth: { token } })` with a staff access token (human_agent, supervisor,
 * admin) from POST /api/auth/login; refused with a `connect_error` whose `data` is `{ code, message }`
 * (`unauthorized`: missing, invalid or expired token; `forbidden`: not a staff account).
 *
 * server -> console (no ack):
 * - `console.state` {me, calls, handoffs, agents} right after connecting: the whole picture.
 * - `call.updated` {call} a live call started or changed (AI state, sentiment, order, handoff, takeover);
 *   `call.ended` {callId, roomId, reason}.
 * - `handoff.requested` {request} (only to available agents; again when one becomes available);
 *   `handoff.accepted` {requestId, callId, roomId, acceptedBy}; `handoff.expired` {requestId, callId, roomId};
 *   `handoff.cancelled` {requestId, callId, roomId, reason} (the call ended first).
 * - `presence.changed` {agent} a human agent's presence (`offline` once their last console disconnects).
 * - `callback.requested` {callback} a caller agreed to be called back (nobody took their handoff); the list is
 *   GET /api/callbacks.
 * console -> server (ack ConsoleAck<T>):
 * - `presence.set` {presence} -> {agent}
 * - `handoff.accept` {requestId} -> HandoffAcceptance (a room token to join the call; the AI is already silent)
 *   or `handoff_taken` / `handoff_expired` / `not_found`.
 * - `handoff.decline` {requestId} -> {}
 * A request made with an access token that has expired since connecting answers `token_expired`: reconnect with a
 * fresh token.
 */

export const CONSOLE_NAMESPACE = '/console';

export const ConsoleErrorCodeSchema = z.enum([
  'bad_request',
  'unauthorized',
  'forbidden',
  'token_expired',
  'not_found',
  /** Another human accepted this handoff first. */
  'handoff_taken',
  /** Nobody accepted in time, or the call ended: the request is closed. */
  'handoff_expired',
  'internal_error',
]);
export type ConsoleErrorCode = z.infer<typeof ConsoleErrorCodeSchema>;
export const ConsoleErrorSchema = errorSchema(ConsoleErrorCodeSchema);
export type ConsoleError = z.infer<typeof ConsoleErrorSchema>;
export type ConsoleAck<T> = Ack<T, ConsoleError>;

const id = z.string().min(1).max(128);
const isoTime = z.string().max(40);

/** What a human agent chooses; `busy` is also derived while they are in a call. */
export const PresenceSchema = z.enum(['available', 'busy', 'away']);
export type Presence = z.infer<typeof PresenceSchema>;

export const AgentPresenceSchema = z.object({
  userId: id,
  displayName: z.string().max(120),
  role: z.string().max(32),
  /** What others see: busy while in a call even if chosen available; offline with no console open. */
  presence: z.enum(['available', 'busy', 'away', 'offline']),
  /** What the agent chose. */
  chosen: PresenceSchema,
  /** Live calls the agent is in. */
  calls: z.number().int().nonnegative(),
});
export type AgentPresence = z.infer<typeof AgentPresenceSchema>;

export const OrderLineSchema = z.object({
  name: z.string().max(200),
  size: z.string().max(60).nullable(),
  quantity: z.number().int().positive(),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const SentimentSchema = z.object({
  /** Negative words and phrases counted over the caller's recent turns (0: fine; 2 or more: upset). */
  score: z.number().int().nonnegative(),
  label: z.enum(['neutral', 'negative']),
});
export type Sentiment = z.infer<typeof SentimentSchema>;

export const HandoffStatusSchema = z.enum(['pending', 'accepted', 'expired', 'cancelled']);
export type HandoffStatus = z.infer<typeof HandoffStatusSchema>;

export const HandoffSummarySchema = z.object({
  reason: z.string().max(500),
  customerName: z.string().max(200).nullable(),
  order: z.array(OrderLineSchema).max(100),
  lastTurns: z.array(z.object({ speaker: SpeakerSchema, text: z.string().max(2000) })).max(10),
  sentiment: SentimentSchema,
});
export type HandoffSummary = z.infer<typeof HandoffSummarySchema>;

export const HandoffRequestSchema = z.object({
  requestId: id,
  callId: id,
  roomId: id,
  agentId: z.string().max(64).nullable(),
  status: HandoffStatusSchema,
  summary: HandoffSummarySchema,
  createdAt: isoTime,
  /** When it expires unless accepted. */
  expiresAt: isoTime,
});
export type HandoffRequest = z.infer<typeof HandoffRequestSchema>;

/** The caller agreed to be called back when nobody took the handoff (stored in callback_requests). */
export const CallbackRequestSchema = z.object({
  callbackId: id,
  callId: id,
  roomId: id,
  /** The caller's name if they gave it. */
  customerName: z.string().max(200).nullable(),
  /** The number the caller gave, if any. */
  phone: z.string().max(32).nullable(),
  /** The caller said yes to being called back (never stored without it). */
  consent: z.literal(true),
  consentedAt: isoTime,
  status: z.enum(['open', 'done']),
});
export type CallbackRequest = z.infer<typeof CallbackRequestSchema>;

export const LiveCallSchema = z.object({
  callId: id,
  roomId: id,
  agentId: z.string().max(64).nullable(),
  /** The caller's name if they gave it, else the name they started the call with. */
  customerName: z.string().max(200).nullable(),
  startedAt: isoTime,
  aiState: AgentStateSchema.nullable(),
  sentiment: SentimentSchema,
  /** The latest handoff request's status in this call, if any. */
  handoff: z.object({ requestId: id, status: HandoffStatusSchema }).nullable(),
  /** A human has taken the call over from the AI. */
  takeover: z.boolean(),
  order: z.array(OrderLineSchema).max(100),
  /** People in the room (the AI not counted). */
  participants: z.number().int().nonnegative(),
});
export type LiveCall = z.infer<typeof LiveCallSchema>;

export const ConsoleStateSchema = z.object({
  me: AgentPresenceSchema,
  calls: z.array(LiveCallSchema),
  /** Pending requests (empty unless you are available). */
  handoffs: z.array(HandoffRequestSchema),
  agents: z.array(AgentPresenceSchema),
});
export type ConsoleState = z.infer<typeof ConsoleStateSchema>;

export const CallEndedNoticeSchema = z.object({ callId: id, roomId: id, reason: z.string().max(200) });
export const HandoffAcceptedNoticeSchema = z.object({
  requestId: id,
  callId: id,
  roomId: id,
  acceptedBy: z.object({ userId: id, displayName: z.string().max(120) }),
});
export const HandoffClosedNoticeSchema = z.object({ requestId: id, callId: id, roomId: id });
export const HandoffCancelledNoticeSchema = HandoffClosedNoticeSchema.extend({ reason: z.string().max(200) });
export type CallEndedNotice = z.infer<typeof CallEndedNoticeSchema>;
export type HandoffAcceptedNotice = z.infer<typeof HandoffAcceptedNoticeSchema>;
export type HandoffClosedNotice = z.infer<typeof HandoffClosedNoticeSchema>;
export type HandoffCancelledNotice = z.infer<typeof HandoffCancelledNoticeSchema>;

export const PresenceSetSchema = z.object({ presence: PresenceSchema }).strict();
export const HandoffAnswerSchema = z.object({ requestId: id }).strict();

/** What accepting returns: join the room with `token` (as POST /api/rooms/:roomId/token returns) and take over. */
export const HandoffAcceptanceSchema = z.object({
  requestId: id,
  callId: id,
  roomId: id,
  token: z.string(),
  expiresIn: z.number(),
  role: RoomRoleSchema,
  grants: RoomGrantsSchema,
  iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]) }).passthrough()),
  /** How to reach the call's media (mediasoup through /rtc, or a LiveKit room), as the staff token route says. */
  media: MediaTicketSchema,
});
export type HandoffAcceptance = z.infer<typeof HandoffAcceptanceSchema>;

/** Server -> console notifications and their payloads. */
export const ConsoleNotificationSchemas = {
  'console.state': ConsoleStateSchema,
  'call.updated': z.object({ call: LiveCallSchema }),
  'call.ended': CallEndedNoticeSchema,
  'handoff.requested': z.object({ request: HandoffRequestSchema }),
  'handoff.accepted': HandoffAcceptedNoticeSchema,
  'handoff.expired': HandoffClosedNoticeSchema,
  'handoff.cancelled': HandoffCancelledNoticeSchema,
  'presence.changed': z.object({ agent: AgentPresenceSchema }),
  'callback.requested': z.object({ callback: CallbackRequestSchema }),
} as const;
export type ConsoleNotificationName = keyof typeof ConsoleNotificationSchemas;
export type ConsoleNotifications = {
  [K in ConsoleNotificationName]: z.infer<(typeof ConsoleNotificationSchemas)[K]>;
};

/** Console -> server requests: payload schema and reply type. */
export const ConsoleRequestSchemas = {
  'presence.set': PresenceSetSchema,
  'handoff.accept': HandoffAnswerSchema,
  'handoff.decline': HandoffAnswerSchema,
} as const;
export type ConsoleRequestName = keyof typeof ConsoleRequestSchemas;
/** Console -> server replies, validated by the SDK. */
export const ConsoleReplySchemas = {
  'presence.set': z.object({ agent: AgentPresenceSchema }),
  'handoff.accept': HandoffAcceptanceSchema,
  'handoff.decline': z.object({}).strict(),
} as const;
export type ConsoleReplies = { [K in ConsoleRequestName]: z.infer<(typeof ConsoleReplySchemas)[K]> };
