import { randomUUID } from 'node:crypto';
import {
  CodedError,
  formatZodError,
  INTERNAL_ERROR,
  NOTIFICATION_EVENT,
  REQUEST_EVENT,
  type RoomClaims,
  type SignalingAck,
  type SignalingError,
  SignalingErrorCodeSchema,
  type SignalingRequest,
  SignalingRequestSchema,
  type SignalingResponse,
  toWireError,
} from '@voiceroom/protocol';
import type { types as ms } from 'mediasoup';
import { errors as msErrors } from 'mediasoup';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Logger } from '../log.ts';
import { callEndedError, MediaError } from '../media/errors.ts';
import type { Peer } from '../media/Peer.ts';
import type { Room } from '../media/Room.ts';
import type { RoomRegistry } from '../media/RoomRegistry.ts';
import type { CopilotRequests } from './CopilotRequests.ts';
import { isMediaMethod, type Membership, mediaRequests } from './mediaRequests.ts';
import { TokenBucket } from './TokenBucket.ts';

/** Who holds a peer: lets a reconnecting client take its peer over and keeps a dropped one for a grace period. */
export interface PeerCustody {
  /** `session` now owns `peer`; a previous owner (stale connection) is disconnected, a grace timer cancelled. */
  adopt(peer: Peer, session: ClientSession): void;
  /** `session` lost its connection: keep `peer` (buffering notifications) for the grace period, then close it. */
  release(peer: Peer, session: ClientSession): void;
}

export interface ClientSessionOptions {
  socket: Socket;
  claims: RoomClaims;
  resumePeerId: string | undefined;
  registry: RoomRegistry;
  custody: PeerCustody;
  copilot: CopilotRequests;
  logger: Logger;
  rateLimit: { burst: number; perSecond: number };
  /** Requests waiting behind the one in progress; more are refused with rate_limited. */
  maxQueuedRequests: number;
  /** `join` into a room holding this many peers is refused with room_full. */
  maxPeersPerRoom: number;
  maxProducersPerPeer: number;
  /** Told about every answered request (metrics). Method is 'invalid' when the request did not parse. */
  onRequestDone: (info: RequestOutcome) => void;
  /** Why the call in a room that is not live ended for good (its tokens may not reopen it), or null. */
  callEndReason?: (roomId: string) => Promise<string | null>;
}

export interface RequestOutcome {
  method: string;
  /** 'ok' or the refusal's code. */
  outcome: string;
  durationMs: number;
}

interface Outcome {
  data: unknown;
  /** Runs right after the ack is sent (so that buffered notifications follow the join reply). */
  afterAck?: () => void;
}

type Ack = (response: SignalingAck<unknown>) => void;

/**
 * One socket on /rtc: validates and rate-limits its requests, runs them one at a time, answers each with an ack,
 * and forwards its peer's notifications. Nothing a client sends can throw out of here.
 */
export class ClientSession {
  readonly id: string;
  readonly #socket: Socket;
  readonly #claims: RoomClaims;
  readonly #resumePeerId: string | undefined;
  readonly #registry: RoomRegistry;
  readonly #custody: PeerCustody;
  readonly #copilot: CopilotRequests;
  readonly #log: Logger;
  readonly #bucket: TokenBucket;
  readonly #maxQueued: number;
  readonly #maxPeers: number;
  readonly #maxProducers: number;
  readonly #onRequestDone: (info: RequestOutcome) => void;
  readonly #callEndReason: ((roomId: string) => Promise<string | null>) | undefined;
  #membership: Membership | undefined;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #rateLimited = 0;
  #connected = true;

  constructor(options: ClientSessionOptions) {
    this.#socket = options.socket;
    this.id = options.socket.id;
    this.#claims = options.claims;
    this.#resumePeerId = options.resumePeerId;
    this.#registry = options.registry;
    this.#custody = options.custody;
    this.#copilot = options.copilot;
    this.#log = options.logger.child({ socketId: options.socket.id, roomId: options.claims.room });
    this.#bucket = new TokenBucket(options.rateLimit);
    this.#maxQueued = options.maxQueuedRequests;
    this.#maxPeers = options.maxPeersPerRoom;
    this.#maxProducers = options.maxProducersPerPeer;
    this.#onRequestDone = options.onRequestDone;
    this.#callEndReason = options.callEndReason;

    this.#socket.use((event, next) => this.#screen(event, next));
    this.#socket.on(REQUEST_EVENT, (...args: unknown[]) => this.#onRequest(args));
    this.#socket.on('disconnect', (reason) => this.#onDisconnect(reason));
    this.#log.debug({ identity: this.#claims.sub, role: this.#claims.role }, 'connected');
  }

  /** Another connection took this session's peer over (the client reconnected): forget it and hang up. */
  forgetPeer(): void {
    this.#membership = undefined;
    this.#socket.disconnect(true);
  }

  /** A newer connection with the same customer token took over: tell this one why, then hang up. */
  replaced(): void {
    // Straight to the socket, not through the peer: a peer buffers while detached and would replay this on resume.
    this.#notify({ method: 'roomClosed', data: { reason: 'connection_replaced', rejoin: false } });
    this.#socket.disconnect(true);
  }

  /** Closes the underlying connection without a socket.io goodbye, as a network failure would. */
  dropConnection(): void {
    this.#socket.conn.close();
  }

  /** Every incoming packet passes here first: rate limit, and only `request` events go on. */
  #screen(event: unknown[], next: (err?: Error) => void): void {
    const [name] = event;
    const ack = typeof event.at(-1) === 'function' ? (event.at(-1) as Ack) : undefined;
    if (!this.#bucket.take()) {
      this.#rateLimited++;
      if (this.#rateLimited % 100 === 1)
        this.#log.warn({ dropped: this.#rateLimited }, 'client over its request rate');
      ack?.(failure({ code: 'rate_limited', message: 'Too many requests: slow down and retry.' }));
      this.#onRequestDone({ method: 'any', outcome: 'rate_limited', durationMs: 0 });
      return;
    }
    if (name !== REQUEST_EVENT) {
      this.#log.debug({ event: String(name).slice(0, 64) }, 'unknown event dropped');
      ack?.(failure({ code: 'bad_request', message: `Unknown event: send "${REQUEST_EVENT}" events.` }));
      return;
    }
    next();
  }

  #onRequest(args: unknown[]): void {
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as Ack) : undefined;
    if (!ack) {
      this.#log.debug({ args: args.length }, 'request without an ack callback dropped');
      return;
    }
    if (args.length !== 2) {
      ack(
        failure({
          code: 'bad_request',
          message: 'Send exactly one { method, data } payload and an ack callback.',
        }),
      );
      return;
    }
    const parsed = SignalingRequestSchema.safeParse(args[0]);
    if (!parsed.success) {
      const message = describeIssues(parsed.error);
      this.#log.debug({ message }, 'invalid request refused');
      ack(failure({ code: 'bad_request', message }));
      this.#onRequestDone({ method: 'invalid', outcome: 'bad_request', durationMs: 0 });
      return;
    }
    if (this.#queued >= this.#maxQueued) {
      ack(failure({ code: 'rate_limited', message: 'Too many requests in flight: wait for the replies.' }));
      this.#onRequestDone({ method: parsed.data.method, outcome: 'rate_limited', durationMs: 0 });
      return;
    }
    this.#queued++;
    const request = parsed.data;
    this.#queue = this.#queue.then(async () => {
      const started = performance.now();
      let result = 'ok';
      try {
        const outcome = await this.#handle(request);
        safeAck(ack, { ok: true, data: outcome.data });
        outcome.afterAck?.();
      } catch (error) {
        const refusal = this.#toSignalingError(error, request.method);
        result = refusal.code;
        safeAck(ack, failure(refusal));
      } finally {
        this.#queued--;
        const durationMs = performance.now() - started;
        this.#log.debug(
          { method: request.method, outcome: result, ms: Math.round(durationMs) },
          'request done',
        );
        this.#onRequestDone({ method: request.method, outcome: result, durationMs });
      }
    });
  }

  async #handle(request: SignalingRequest): Promise<Outcome> {
    switch (request.method) {
      case 'getRouterRtpCapabilities':
        return { data: (await this.#room()).rtpCapabilities };
      case 'join':
        return this.#join(request.data);
      case 'copilotHint':
        return { data: await this.#copilot.hint(this.#requireMembership(), this.#claims, request.data.text) };
      case 'copilotTakeover':
        return {
          data: await this.#copilot.takeover(this.#requireMembership(), this.#claims, request.data.active),
        };
      case 'leave':
        this.#membership?.peer.close('left');
        this.#membership = undefined;
        return { data: {} };
      default: {
        if (!isMediaMethod(request.method))
          throw new MediaError('bad_request', `Unknown method ${request.method}.`);
        const membership = this.#requireMembership();
        const handler = mediaRequests[request.method] as (m: Membership, data: unknown) => Promise<unknown>;
        const data = await handler(membership, request.data);
        if (request.method === 'produce' && membership.peer.isStaff)
          this.#copilot.startedAudio(membership, this.#claims, request.data.audience ?? 'everyone');
        return { data };
      }
    }
  }

  async #join(data: Extract<SignalingRequest, { method: 'join' }>['data']): Promise<Outcome> {
    if (this.#membership && !this.#membership.peer.closed) {
      throw new MediaError('already_joined', 'This connection has already joined: send leave first.');
    }
    // A LiveKit participant's media never touches mediasoup: no capabilities means nothing is ever consumed for it.
    const controlOnly = data.mediaBackend === 'livekit';
    const rtpCapabilities = (controlOnly ? { codecs: [] } : data.rtpCapabilities) as ms.RtpCapabilities;
    if (
      !controlOnly &&
      this.#claims.grants.canSubscribe &&
      !rtpCapabilities.codecs?.some((c) => /^audio\/opus$/i.test(c.mimeType))
    ) {
      throw new MediaError('unsupported', 'Your device cannot receive Opus audio, the only codec rooms use.');
    }
    const room = await this.#room();
    const resumable = this.#resumablePeer(room);
    // A customer joining afresh replaces whatever peer an earlier connection of the same token left behind.
    const stale = resumable
      ? []
      : room.peers.filter(
          (p) => this.#claims.role === 'customer' && p.kind === 'webrtc' && p.identity === this.#claims.sub,
        );
    if (!resumable && room.peers.length - stale.length >= this.#maxPeers) {
      throw new MediaError('room_full', `This room already has ${this.#maxPeers} participants.`);
    }
    const peer =
      resumable ??
      room.addPeer({
        id: randomUUID(),
        kind: 'webrtc',
        identity: this.#claims.sub,
        displayName: this.#claims.name,
        role: this.#claims.role,
        grants: this.#claims.grants,
        rtpCapabilities,
        controlOnly,
      });
    for (const old of stale) old.close('connection_replaced');
    this.#membership = { room, peer, maxProducers: this.#maxProducers };
    this.#custody.adopt(peer, this);
    peer.once('close', () => {
      if (this.#membership?.peer === peer) this.#membership = undefined;
    });
    this.#log.info({ peerId: peer.id, resumed: resumable !== undefined }, 'joined');
    if (peer.isStaff && !resumable) this.#copilot.joined(this.#membership, this.#claims);
    const response: SignalingResponse<'join'> = {
      peerId: peer.id,
      roomId: room.id,
      role: peer.role,
      grants: { ...peer.grants },
      resumed: resumable !== undefined,
      peers: room.peerInfos(peer),
      ...(peer.isStaff ? { takeover: room.takeover } : {}),
    };
    return { data: response, afterAck: () => peer.attach((n) => this.#notify(n)) };
  }

  /** The peer named by the handshake's resumePeerId, if it is still in this room and belongs to this identity. */
  #resumablePeer(room: Room): Peer | undefined {
    if (!this.#resumePeerId) return undefined;
    const peer = room.getPeer(this.#resumePeerId);
    if (!peer || peer.closed || peer.kind !== 'webrtc' || peer.identity !== this.#claims.sub) {
      this.#log.info({ resumePeerId: this.#resumePeerId }, 'nothing to resume: joining as a new peer');
      return undefined;
    }
    return peer;
  }

  async #room(): Promise<Room> {
    const current = this.#membership?.room;
    if (current && !current.closed) return current;
    const { room } = this.#claims;
    const endReason = this.#registry.get(room) ? null : await this.#callEndReason?.(room);
    if (endReason) {
      // Said as a notification too, so a client reconnecting into a call that ended meanwhile (the server
      // restarted) can tell its user why.
      this.#notify({ method: 'roomClosed', data: { reason: endReason, rejoin: false } });
      throw callEndedError();
    }
    return this.#registry.getOrCreate(this.#claims.room, { agentId: this.#claims.agentId ?? null });
  }

  #requireMembership(): Membership {
    const m = this.#membership;
    if (!m || m.peer.closed) throw new MediaError('not_joined', 'Join the room first (send "join").');
    if (m.room.closed) throw new MediaError('room_closed', 'The room has closed: join again.');
    return m;
  }

  #notify(notification: unknown): void {
    if (this.#connected) this.#socket.emit(NOTIFICATION_EVENT, notification);
  }

  #onDisconnect(reason: string): void {
    this.#connected = false;
    const peer = this.#membership?.peer;
    this.#membership = undefined;
    this.#log.info({ reason, peerId: peer?.id }, 'disconnected');
    if (!peer || peer.closed) return;
    // A client that hangs up on purpose has left; a dropped connection may come back and resume.
    if (reason === 'client namespace disconnect') peer.close('left');
    else this.#custody.release(peer, this);
  }

  #toSignalingError(error: unknown, method: string): SignalingError {
    const incident = randomUUID();
    const wire = toWireError(
      error instanceof CodedError ? error : (this.#fromMediasoup(error, method) ?? error),
      SignalingErrorCodeSchema.options,
      `Internal error (incident ${incident}): retry, and report it if it persists.`,
    );
    if (wire.code === INTERNAL_ERROR) this.#log.error({ err: error, method, incident }, 'request failed');
    return wire;
  }

  #fromMediasoup(error: unknown, method: string): CodedError | undefined {
    if (error instanceof msErrors.UnsupportedError) {
      return new CodedError('unsupported', `${error.message} (the room carries Opus audio only).`);
    }
    if (error instanceof TypeError) {
      // mediasoup rejects parameters it cannot use with TypeError; logged with its stack in case it is ours.
      this.#log.warn({ err: error, method }, 'request refused as invalid by mediasoup');
      return new CodedError('bad_request', error.message.slice(0, 500));
    }
    if (this.#membership?.room.closed)
      return new CodedError('room_closed', 'The room has closed: join again.');
    if (error instanceof msErrors.NotFoundError)
      return new CodedError('not_found', error.message.slice(0, 500));
    return undefined;
  }
}

function failure(error: SignalingError): SignalingAck<never> {
  return { ok: false, error };
}

function safeAck(ack: Ack, response: SignalingAck<unknown>): void {
  try {
    ack(response);
  } catch {
    // The socket is gone; nothing to tell.
  }
}

function describeIssues(error: z.ZodError): string {
  const { message } = formatZodError(error, { what: 'Invalid request', limit: 3 });
  return `${message}. Send { method, data } as described in packages/protocol/src/signaling.ts.`;
}
