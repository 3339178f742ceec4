import { z } from 'zod';
import { type Ack, errorSchema } from './ack.ts';
import { AgentConfigSchema } from './agentConfig.ts';
import {
  AgentStateEventSchema,
  SpeakerSchema,
  StageFailedEventSchema,
  TranscriptEventSchema,
  TurnMetricsEventSchema,
} from './callEvents.ts';
import { RoomRoleSchema } from './grants.ts';
import { DialablePhoneNumberSchema } from './phone.ts';
import { AudienceSchema } from './signaling.ts';

/**
 * The link between the server's agent gateway and agent workers: socket.io namespace `/agents`.
 *
 * Handshake: `io(url + AGENTS_NAMESPACE, { auth: { token } })` with a service token; a bad token is refused with a
 * `connect_error` whose `data` is `{ code, message }`.
 *
 * 1. worker -> `worker.register` {name, capacity, heartbeatMs?}, ack AgentLinkAck<{ workerId }>. A worker that
 *    declares `heartbeatMs` then sends `worker.heartbeat` (no payload) that often; the server takes one that falls
 *    silent for its heartbeat timeout as lost (a hung process, a dead host) just like a closed connection.
 * 2. server -> `session.dispatch` {sessionId, roomId, agentPeerId, config, callerJoinedMsAgo?, resume?, livekit?},
 *    ack AgentLinkAck<{ rtp: {ip, port} }> (the worker's UDP socket for this session), or AgentLinkAck<{ transport:
 *    'livekit' }> when the dispatch carried `livekit` (the worker joined that room; step 3's messages are not sent).
 *    `resume` is present when the call's previous agent was lost mid-call: the new one carries the conversation on
 *    instead of greeting.
 * 3. server -> `session.media` {sessionId, ingest, send, receive[]}: where to send RTP, with which payload type and
 *    SSRC, and the streams (SSRC, payload type) that will arrive. Later changes: `session.stream.added` /
 *    `session.stream.removed`. A second `session.media` means the call moved to a new room (its mediasoup worker
 *    died and the customer rejoined): send and listen there, keeping the conversation.
 * 4. worker -> `session.event` {sessionId, event} (transcript, agent.state, turn.metrics, stage.failed, handoff,
 *    callback, end_call).
 * 5. server -> `session.stop` {sessionId, reason} when the call ends; worker -> `session.ended` {sessionId, reason}
 *    when the session ends on its side (the agent hung up, or the session failed).
 * Co-pilot: server -> `session.hint` {sessionId, text}, `session.takeover` {sessionId, active}.
 * Handoff: server -> `session.handoff.unanswered` {sessionId, requestId} when no human accepted in time: the agent
 * tells the caller, offers a callback (a `callback` event when the caller agrees) and carries on.
 */

export const AGENTS_NAMESPACE = '/agents';

export const AgentLinkErrorCodeSchema = z.enum([
  /** The message failed validation; the message says which field. */
  'bad_request',
  /** Handshake only: missing or invalid service token. */
  'unauthorized',
  /** `worker.register` is needed first, or was sent twice. */
  'not_registered',
  'already_registered',
  /** The worker is at capacity; dispatch elsewhere. */
  'at_capacity',
  /** The session id is unknown (already ended). */
  'unknown_session',
  /** The worker could not start the session (e.g. a model failed to load). */
  'session_failed',
  'internal_error',
]);
export type AgentLinkErrorCode = z.infer<typeof AgentLinkErrorCodeSchema>;

export const AgentLinkErrorSchema = errorSchema(AgentLinkErrorCodeSchema);
export type AgentLinkError = z.infer<typeof AgentLinkErrorSchema>;
export type AgentLinkAck<T> = Ack<T, AgentLinkError>;

const id = z.string().min(1).max(128);
const address = z.object({
  ip: z.union([z.ipv4(), z.ipv6()]),
  port: z.number().int().min(1).max(65_535),
});
const payloadType = z.number().int().min(0).max(127);
const ssrc = z.number().int().min(0).max(0xffff_ffff);

export const WorkerRegisterSchema = z.object({
  name: z.string().min(1).max(64),
  /** Calls the worker can run at once. */
  capacity: z.number().int().min(1).max(1000),
  /** How often the worker sends `worker.heartbeat`; absent: it sends none (the connection alone tells liveness). */
  heartbeatMs: z.number().int().min(100).max(60_000).optional(),
});
export type WorkerRegister = z.infer<typeof WorkerRegisterSchema>;

/** Longest recording lead-in a dispatch may ask for (10 min); the server caps what it sends to this. */
export const MAX_CALLER_JOINED_MS_AGO = 600_000;

/** Most lines of conversation a resumed session is given (the newest; older ones are dropped). */
export const MAX_RESUME_LINES = 200;

/** One line of the conversation so far, as the server recorded it (agent lines as far as the caller heard them). */
export const ResumeLineSchema = z.object({
  speaker: SpeakerSchema,
  text: z.string().min(1).max(10_000),
});
export type ResumeLine = z.infer<typeof ResumeLineSchema>;

/**
 * The call so far, for an agent taking over from one that was lost mid-call (its worker crashed or hung): it
 * rebuilds the dialog state from `transcript`, says a short resume line instead of the greeting, and keeps the
 * call's transcript consistent: its segment ids carry `r<resumes>-` and its times and turn numbers continue.
 */
export const SessionResumeSchema = z.object({
  /** How many times this call's agent was resumed, this one included (1 for the first). */
  resumes: z.number().int().min(1).max(100),
  /** Milliseconds since the call's clock started (transcript times), so the new agent's times continue it. */
  callMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000),
  /** The next agent turn number (turn metrics of the earlier agents used the ones below). */
  nextTurn: z.number().int().min(0).max(100_000),
  /** Final transcript lines, oldest first. */
  transcript: z.array(ResumeLineSchema).max(MAX_RESUME_LINES),
});
export type SessionResume = z.infer<typeof SessionResumeSchema>;

export const SessionDispatchSchema = z.object({
  sessionId: id,
  roomId: id,
  /** The agent's peer id in the room. */
  agentPeerId: id,
  config: AgentConfigSchema,
  /**
   * How long before sending this the caller joined, measured on the server (a duration, so the two hosts' clocks
   * need not agree): the worker starts the recording with that much silence so it lasts as long as the call.
   * Absent from older servers (no lead-in). At most MAX_CALLER_JOINED_MS_AGO.
   */
  callerJoinedMsAgo: z.number().int().min(0).max(MAX_CALLER_JOINED_MS_AGO).optional(),
  /** Present when this call's previous agent was lost mid-call: carry on the conversation, do not greet. */
  resume: SessionResumeSchema.optional(),
  /**
   * A LiveKit-backed call: the worker joins the room at `url` with `token` (@livekit/rtc-node) instead of accepting
   * RTP; no session.media / session.stream.* follow. `customerIdentity`: the only participant heard as the caller.
   */
  livekit: z
    .object({
      url: z.url({ protocol: /^wss?$/ }),
      token: z.string().min(1).max(8192),
      customerIdentity: z.string().min(1).max(256).optional(),
    })
    .optional(),
});
export type SessionDispatch = z.infer<typeof SessionDispatchSchema>;

/** The worker's answer to a dispatch: its RTP socket (mediasoup), or that it joined the LiveKit room. */
export const SessionAcceptSchema = z.union([
  z.object({ rtp: address }),
  z.object({ transport: z.literal('livekit') }),
]);
export type SessionAccept = z.infer<typeof SessionAcceptSchema>;

export const ReceiveStreamSchema = z.object({
  peerId: id,
  role: RoomRoleSchema,
  /** 'staff': a co-pilot's audio whisper, meant for the agent (as coaching), never the customer's voice. */
  audience: AudienceSchema.default('everyone'),
  payloadType,
  ssrc,
});
export type ReceiveStream = z.infer<typeof ReceiveStreamSchema>;

export const SessionMediaSchema = z.object({
  sessionId: id,
  /** Where the worker sends its RTP (from the socket it accepted with). */
  ingest: address,
  /** Payload type and SSRC the worker's Opus RTP must carry. */
  send: z.object({ payloadType, ssrc }),
  receive: z.array(ReceiveStreamSchema).max(32),
});
export type SessionMedia = z.infer<typeof SessionMediaSchema>;

export const SessionStreamAddedSchema = z.object({ sessionId: id, stream: ReceiveStreamSchema });
export const SessionStreamRemovedSchema = z.object({ sessionId: id, ssrc });
export const SessionStopSchema = z.object({ sessionId: id, reason: z.string().max(200) });
export const SessionHintSchema = z.object({ sessionId: id, text: z.string().min(1).max(2000) });
export const SessionTakeoverSchema = z.object({ sessionId: id, active: z.boolean() });
export type SessionStreamAdded = z.infer<typeof SessionStreamAddedSchema>;
export type SessionStreamRemoved = z.infer<typeof SessionStreamRemovedSchema>;
export type SessionStop = z.infer<typeof SessionStopSchema>;
export type SessionHint = z.infer<typeof SessionHintSchema>;
export type SessionTakeover = z.infer<typeof SessionTakeoverSchema>;
export const SessionHandoffUnansweredSchema = z.object({ sessionId: id, requestId: id });
export type SessionHandoffUnanswered = z.infer<typeof SessionHandoffUnansweredSchema>;

/** What a session reports; `roomId` inside the payloads is overwritten by the gateway with the session's room. */
export const SessionCallEventSchema = z.discriminatedUnion('type', [
  TranscriptEventSchema.extend({ type: z.literal('transcript') }),
  AgentStateEventSchema.extend({ type: z.literal('agent.state') }),
  TurnMetricsEventSchema.extend({ type: z.literal('turn.metrics') }),
  StageFailedEventSchema.extend({ type: z.literal('stage.failed') }),
  z.object({ type: z.literal('handoff'), roomId: id, reason: z.string().min(1).max(500) }),
  /** The caller agreed to be called back (nobody took the handoff); `phone` when they gave a whole one. */
  z.object({ type: z.literal('callback'), roomId: id, phone: DialablePhoneNumberSchema.nullable() }),
  z.object({ type: z.literal('end_call'), roomId: id }),
]);
export type SessionCallEvent = z.infer<typeof SessionCallEventSchema>;

export const SessionEventSchema = z.object({ sessionId: id, event: SessionCallEventSchema });
export type SessionEvent = z.infer<typeof SessionEventSchema>;

export const SessionEndedSchema = z.object({
  sessionId: id,
  reason: z.enum(['agent_hangup', 'failed', 'stopped']),
  message: z.string().max(2000).optional(),
});
export type SessionEnded = z.infer<typeof SessionEndedSchema>;

/** Event names of the /agents namespace. */
export const AgentLinkEvents = {
  register: 'worker.register',
  heartbeat: 'worker.heartbeat',
  dispatch: 'session.dispatch',
  media: 'session.media',
  streamAdded: 'session.stream.added',
  streamRemoved: 'session.stream.removed',
  stop: 'session.stop',
  hint: 'session.hint',
  takeover: 'session.takeover',
  handoffUnanswered: 'session.handoff.unanswered',
  event: 'session.event',
  ended: 'session.ended',
} as const;
