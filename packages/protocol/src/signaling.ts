import { z } from 'zod';
import { type Ack, errorSchema } from './ack.ts';
import {
  AgentStateEventSchema,
  StageFailedEventSchema,
  TranscriptEventSchema,
  TurnMetricsEventSchema,
} from './callEvents.ts';
import { RoomGrantsSchema, RoomRoleSchema } from './grants.ts';

/**
 * Room signaling over socket.io (namespace `/rtc`), shared by the server, the browser SDK and the agent gateway.
 *
 * Handshake: `io(url + RTC_NAMESPACE, { auth: { token, resumePeerId? } })`. A bad token is refused with a
 * `connect_error` whose `message` is a SignalingErrorCode and whose `data` is `{ code, message }`.
 *
 * Requests: `socket.emit('request', { method, data }, ack)`; the ack receives a SignalingAck. Every request is
 * validated against SignalingRequestSchema; a request that fails gets `{ ok: false, error: { code: 'bad_request' } }`.
 * Notifications: the server emits `socket.emit('notification', { method, data })` (SignalingNotificationSchema).
 *
 * Flow: getRouterRtpCapabilities -> join -> createWebRtcTransport (send, recv) -> connectWebRtcTransport
 * -> produce. Consumers arrive as `newConsumer` notifications, PAUSED on the server: the client sets the consumer up
 * and then sends `resumeConsumer`.
 *
 * Reconnection: after a transport-level disconnect the server keeps the peer (transports, producers, consumers) for
 * a grace period (10 s by default). Reconnect with `auth.resumePeerId = <peerId>` and the same token, send `join`
 * again: the reply says `resumed: true`, then call `restartIce` on each transport and apply the new ICE parameters.
 * Notifications raised while disconnected are delivered after the join reply. With `resumed: false` everything
 * the old peer owned is gone: create transports and producers anew.
 *
 * Co-pilot (staff): `copilotHint` coaches the AI, `copilotTakeover` takes the call from the AI and hands it back,
 * `produce` with `audience: 'staff'` whispers audio that the AI and staff hear but customers never do.
 */

export const RTC_NAMESPACE = '/rtc';
export const REQUEST_EVENT = 'request';
export const NOTIFICATION_EVENT = 'notification';

export const SignalingErrorCodeSchema = z.enum([
  /** The message or its data failed validation; the message says which field. */
  'bad_request',
  /** Handshake only: missing, invalid or expired room token. */
  'unauthorized',
  /** The token's grants do not allow this (e.g. produce with a listen-only token). */
  'forbidden',
  /** The method needs `join` first. */
  'not_joined',
  /** `join` was already sent on this connection. */
  'already_joined',
  /** `join` refused: the call in this room has ended (its token cannot reopen it); start a new call. */
  'call_ended',
  /** No transport/producer/consumer with that id belongs to this peer. */
  'not_found',
  /** The client's RTP capabilities or parameters are incompatible with the room (Opus 48 kHz stereo only). */
  'unsupported',
  /** Too many requests on this connection; slow down and retry. */
  'rate_limited',
  /** The room closed (or is closing); rejoin with a new connection. */
  'room_closed',
  /** `join` refused: the room has as many participants as it may (MAX_PEERS_PER_ROOM). */
  'room_full',
  /** Handshake only: this client address holds as many connections as it may (MAX_CONNECTIONS_PER_ADDRESS). */
  'too_many_connections',
  /** `produce` refused: this participant has as many producers as it may (MAX_PRODUCERS_PER_PEER). */
  'too_many_producers',
  /** Unexpected server error; retry, and report it if it persists. */
  'internal_error',
]);
export type SignalingErrorCode = z.infer<typeof SignalingErrorCodeSchema>;

export const SignalingErrorSchema = errorSchema(SignalingErrorCodeSchema);
export type SignalingError = z.infer<typeof SignalingErrorSchema>;

export type SignalingAck<T> = Ack<T, SignalingError>;

export const HandshakeAuthSchema = z.strictObject({
  token: z.string().min(1).max(8192),
  resumePeerId: z.string().min(1).max(64).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

// ---- RTP / ICE / DTLS shapes (mediasoup's, bounded; mediasoup itself validates semantics) ----

const id = z.string().min(1).max(64);
const shortText = z.string().max(256);
const payloadType = z.number().int().min(0).max(127);
const ssrc = z.number().int().min(0).max(0xffff_ffff);
const MediaKindSchema = z.enum(['audio', 'video']);

const CodecParametersSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(512), z.number(), z.boolean()]))
  .refine((p) => Object.keys(p).length <= 32, { message: 'at most 32 codec parameters' });

const RtcpFeedbackSchema = z.object({
  type: z.string().min(1).max(64),
  parameter: z.string().max(64).optional(),
});

export const RtpCodecCapabilitySchema = z.object({
  kind: MediaKindSchema,
  mimeType: z.string().min(3).max(64),
  preferredPayloadType: payloadType.optional(),
  clockRate: z.number().int().min(1).max(1_000_000),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: CodecParametersSchema.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).max(16).optional(),
});

export const RtpHeaderExtensionSchema = z.object({
  kind: MediaKindSchema,
  uri: z.string().min(1).max(256),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

export const RtpCapabilitiesSchema = z.object({
  codecs: z.array(RtpCodecCapabilitySchema).max(64).optional(),
  headerExtensions: z.array(RtpHeaderExtensionSchema).max(64).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

export const RtpParametersSchema = z.object({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.object({
        mimeType: z.string().min(3).max(64),
        payloadType,
        clockRate: z.number().int().min(1).max(1_000_000),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: CodecParametersSchema.optional(),
        rtcpFeedback: z.array(RtcpFeedbackSchema).max(16).optional(),
      }),
    )
    .min(1)
    .max(8),
  headerExtensions: z
    .array(
      z.object({
        uri: z.string().min(1).max(256),
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: CodecParametersSchema.optional(),
      }),
    )
    .max(16)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: ssrc.optional(),
        rid: z.string().max(32).optional(),
        codecPayloadType: payloadType.optional(),
        rtx: z.object({ ssrc }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z.string().max(16).optional(),
        maxBitrate: z.number().int().min(0).max(100_000_000).optional(),
      }),
    )
    .max(4)
    .optional(),
  rtcp: z.object({ cname: z.string().max(256).optional(), reducedSize: z.boolean().optional() }).optional(),
  msid: z.string().max(256).optional(),
});
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

export const DtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().min(1).max(256),
      }),
    )
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;

export const IceParametersSchema = z.object({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});
export type IceParameters = z.infer<typeof IceParametersSchema>;

export const IceCandidateSchema = z.object({
  foundation: z.string(),
  priority: z.number(),
  /** Same as `address` (mediasoup-client reads `address`; older code reads `ip`). */
  ip: z.string(),
  address: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.literal('host'),
  tcpType: z.literal('passive').optional(),
});
export type IceCandidate = z.infer<typeof IceCandidateSchema>;

const AppDataSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(256), z.number(), z.boolean(), z.null()]))
  .refine((a) => Object.keys(a).length <= 16, { message: 'at most 16 appData entries' });

// ---- Room model ----

export const AudienceSchema = z.enum(['everyone', 'staff']);
export type Audience = z.infer<typeof AudienceSchema>;

/** Who has taken the call over from the AI, if anyone. */
export const TakeoverSchema = z.object({ peerId: id, displayName: z.string().max(100) }).nullable();
export type Takeover = z.infer<typeof TakeoverSchema>;

export const ProducerInfoSchema = z.object({ producerId: id, kind: MediaKindSchema, paused: z.boolean() });
export type ProducerInfo = z.infer<typeof ProducerInfoSchema>;

export const PeerInfoSchema = z.object({
  peerId: id,
  displayName: z.string().max(100),
  role: RoomRoleSchema,
  producers: z.array(ProducerInfoSchema),
});
export type PeerInfo = z.infer<typeof PeerInfoSchema>;

// ---- Requests (client -> server) ----

const Empty = z.strictObject({}).default({});
const TransportRef = z.strictObject({ transportId: id });
const ProducerRef = z.strictObject({ producerId: id });

export const SignalingRequestSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('getRouterRtpCapabilities'), data: Empty }),
  z.strictObject({
    method: z.literal('join'),
    // The display name is the signed token's `name`: a client cannot pick who it appears to be.
    data: z.strictObject({
      rtpCapabilities: RtpCapabilitiesSchema,
      /**
       * 'livekit': this connection carries call control only (events, captions, co-pilot) while the media goes
       * through LiveKit; the server creates no transports or consumers for it and needs no RTP capabilities.
       */
      mediaBackend: z.enum(['mediasoup', 'livekit']).optional(),
    }),
  }),
  z.strictObject({
    method: z.literal('createWebRtcTransport'),
    data: z.strictObject({ direction: z.enum(['send', 'recv']) }),
  }),
  z.strictObject({
    method: z.literal('connectWebRtcTransport'),
    data: z.strictObject({ transportId: id, dtlsParameters: DtlsParametersSchema }),
  }),
  z.strictObject({ method: z.literal('restartIce'), data: TransportRef }),
  z.strictObject({
    method: z.literal('produce'),
    data: z.strictObject({
      transportId: id,
      kind: z.literal('audio'),
      rtpParameters: RtpParametersSchema,
      appData: AppDataSchema.optional(),
      /** 'staff': a whisper (needs canWhisper) heard by the AI agent and staff, never by customers. */
      audience: AudienceSchema.optional(),
    }),
  }),
  z.strictObject({ method: z.literal('pauseProducer'), data: ProducerRef }),
  z.strictObject({ method: z.literal('resumeProducer'), data: ProducerRef }),
  z.strictObject({ method: z.literal('closeProducer'), data: ProducerRef }),
  z.strictObject({ method: z.literal('resumeConsumer'), data: z.strictObject({ consumerId: id }) }),
  z.strictObject({ method: z.literal('getStats'), data: Empty }),
  z.strictObject({ method: z.literal('leave'), data: Empty }),
  /** Co-pilot: a hint the AI follows in its next replies (needs canWhisper). */
  z.strictObject({
    method: z.literal('copilotHint'),
    data: z.strictObject({ text: z.string().trim().min(1).max(500) }),
  }),
  /**
   * Co-pilot: take the call over from the AI (`active: true`; the AI stops listening and speaking, and the holder may
   * produce even without canPublish) or hand it back (`false`). Needs canTakeOver; one holder per room.
   */
  z.strictObject({ method: z.literal('copilotTakeover'), data: z.strictObject({ active: z.boolean() }) }),
]);
export type SignalingRequest = z.infer<typeof SignalingRequestSchema>;
export type SignalingMethod = SignalingRequest['method'];
/** What a client may send as `data` for a method (defaults such as `{}` may be omitted). */
export type SignalingRequestData<M extends SignalingMethod> = Extract<
  z.input<typeof SignalingRequestSchema>,
  { method: M }
>['data'];

// ---- Responses (ack data per method) ----

const TransportStatsSchema = z.object({
  transportId: id,
  direction: z.enum(['send', 'recv']),
  iceState: z.string(),
  dtlsState: z.string(),
  bytesReceived: z.number(),
  bytesSent: z.number(),
});

export const SignalingResponseSchemas = {
  getRouterRtpCapabilities: RtpCapabilitiesSchema,
  join: z.object({
    peerId: id,
    roomId: z.string().min(1).max(128),
    role: RoomRoleSchema,
    grants: RoomGrantsSchema,
    /** True when this connection took over a disconnected peer (see the reconnection notes above). */
    resumed: z.boolean(),
    /** The other peers already in the room (peers with the `hidden` grant are not listed to customers). */
    peers: z.array(PeerInfoSchema),
    /** Co-pilot takeover in force (sent to staff only; customers get undefined). */
    takeover: TakeoverSchema.optional(),
  }),
  createWebRtcTransport: z.object({
    id,
    iceParameters: IceParametersSchema,
    iceCandidates: z.array(IceCandidateSchema),
    dtlsParameters: DtlsParametersSchema,
  }),
  connectWebRtcTransport: z.object({}),
  restartIce: z.object({ iceParameters: IceParametersSchema }),
  produce: z.object({ producerId: id }),
  pauseProducer: z.object({}),
  resumeProducer: z.object({}),
  closeProducer: z.object({}),
  resumeConsumer: z.object({}),
  getStats: z.object({ transports: z.array(TransportStatsSchema) }),
  leave: z.object({}),
  copilotHint: z.object({}),
  copilotTakeover: z.object({ takeover: TakeoverSchema }),
} satisfies Record<SignalingMethod, z.ZodType>;

export type SignalingResponse<M extends SignalingMethod> = z.infer<(typeof SignalingResponseSchemas)[M]>;
export type JoinResponse = SignalingResponse<'join'>;
export type WebRtcTransportInfo = SignalingResponse<'createWebRtcTransport'>;

// ---- Notifications (server -> client) ----

const ConsumerRef = z.object({ consumerId: id, producerId: id, peerId: id });

export const SignalingNotificationSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('peerJoined'),
    data: z.object({ peerId: id, displayName: z.string().max(100), role: RoomRoleSchema }),
  }),
  z.object({ method: z.literal('peerLeft'), data: z.object({ peerId: id, reason: shortText }) }),
  z.object({
    method: z.literal('newConsumer'),
    data: z.object({
      consumerId: id,
      producerId: id,
      peerId: id,
      kind: MediaKindSchema,
      rtpParameters: RtpParametersSchema,
      appData: z.record(z.string(), z.unknown()),
      /** The producer is paused at its source (muted); the consumer still needs resumeConsumer. */
      producerPaused: z.boolean(),
    }),
  }),
  z.object({ method: z.literal('consumerClosed'), data: ConsumerRef.extend({ reason: shortText }) }),
  /** The remote producer was paused/resumed (mute state of that peer's track). */
  z.object({ method: z.literal('consumerPaused'), data: ConsumerRef }),
  z.object({ method: z.literal('consumerResumed'), data: ConsumerRef }),
  /** One of YOUR producers was paused/resumed/closed by the server (e.g. a moderator action or room policy). */
  z.object({ method: z.literal('producerPaused'), data: z.object({ producerId: id }) }),
  z.object({ method: z.literal('producerResumed'), data: z.object({ producerId: id }) }),
  z.object({ method: z.literal('producerClosed'), data: z.object({ producerId: id, reason: shortText }) }),
  /**
   * The room is gone (reason e.g. `worker_died`, `room_ended`, `kicked`, `resume_expired`). With `rejoin: true`
   * the client should join again with the same token (same connection or a new one without resumePeerId: a fresh
   * peer) and set up media again.
   */
  z.object({ method: z.literal('roomClosed'), data: z.object({ reason: shortText, rejoin: z.boolean() }) }),
  /** Who is speaking now, from the audio levels clients send (null: nobody, after silence). */
  z.object({ method: z.literal('activeSpeaker'), data: z.object({ peerId: id.nullable() }) }),
  /** Staff only: the co-pilot takeover changed (null: the AI has the call). */
  z.object({ method: z.literal('copilotState'), data: z.object({ takeover: TakeoverSchema }) }),
  z.object({ method: z.literal('transcript'), data: TranscriptEventSchema }),
  z.object({ method: z.literal('agentState'), data: AgentStateEventSchema }),
  z.object({ method: z.literal('turnMetrics'), data: TurnMetricsEventSchema }),
  /** Staff only: a stage of the AI agent's pipeline failed, and how the call carried on. */
  z.object({ method: z.literal('stageFailed'), data: StageFailedEventSchema }),
]);
export type SignalingNotification = z.infer<typeof SignalingNotificationSchema>;
export type SignalingNotificationMethod = SignalingNotification['method'];
export type SignalingNotificationData<M extends SignalingNotificationMethod> = Extract<
  SignalingNotification,
  { method: M }
>['data'];
