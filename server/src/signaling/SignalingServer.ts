import { EventEmitter } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import {
  CodedError,
  HandshakeAuthSchema,
  type RoomClaims,
  RTC_NAMESPACE,
  SignalingErrorCodeSchema,
  type SignalingNotification,
} from '@voiceroom/protocol';
import { type Namespace, Server, type Socket } from 'socket.io';
import type { CallEventBus } from '../CallEventBus.ts';
import { createLogger, type Logger } from '../log.ts';
import { MediaError } from '../media/errors.ts';
import type { Peer } from '../media/Peer.ts';
import type { RoomRegistry } from '../media/RoomRegistry.ts';
import { ClientSession, type PeerCustody, type RequestOutcome } from './ClientSession.ts';
import { type CopilotAudit, type CopilotController, CopilotRequests } from './CopilotRequests.ts';
import { clientAddress } from './clientAddress.ts';
import { HandshakeRefusal } from './HandshakeRefusal.ts';

/** What signaling needs from the token service (server/src/auth/TokenService.ts TokenService satisfies it). */
export interface RoomTokenVerifier {
  verifyRoomToken(token: string): Promise<RoomClaims>;
}

export interface SignalingOptions {
  /** Attach to this socket.io server (its options are the caller's)... */
  io?: Server;
  /** ...or create one on this HTTP server (payloads capped at maxPayloadBytes). */
  httpServer?: HttpServer;
  registry: RoomRegistry;
  tokens: RoomTokenVerifier;
  bus: CallEventBus;
  logger?: Logger;
  /** The AI side for co-pilot hints and takeovers (the AgentGateway); without it hints answer not_found. */
  copilot?: CopilotController;
  /** Receives every co-pilot action (hint, takeover, handback) for the audit log. */
  audit?: CopilotAudit;
  /** Why the call in a room that is not live has ended for good (null: it may go on); then joins are refused with call_ended. */
  callEndReason?: (roomId: string) => Promise<string | null>;
  /** How long a dropped connection's peer is kept for the client to resume it. Default 10 s. */
  reconnectGraceMs?: number;
  /** Per-connection request rate. Default burst 50, 20/s sustained. */
  rateLimit?: { burst: number; perSecond: number };
  /** Requests queued behind the one running, per connection. Default 32. */
  maxQueuedRequests?: number;
  /** Largest socket.io message accepted when this module creates the server. Default 64 KiB. */
  maxPayloadBytes?: number;
  /** Abuse caps (defaults: DEFAULT_ABUSE_LIMITS in config.ts). */
  limits?: Partial<SignalingLimits>;
  /** How to find the client address behind reverse proxies (default: the socket's remote address). */
  proxy?: { trustProxy: boolean; proxyHops: number };
}

export interface SignalingLimits {
  /** Open /rtc connections per client address; more are refused with too_many_connections. */
  maxConnectionsPerAddress: number;
  /** Participants per room (the agent included); `join` beyond it is refused with room_full. */
  maxPeersPerRoom: number;
  /** Producers per participant; more are refused with too_many_producers. */
  maxProducersPerPeer: number;
}

export interface SignalingServerEvents {
  /** Every answered request: its method ('invalid' when it did not parse), 'ok' or the refusal code, duration. */
  request: [info: RequestOutcome];
}

/**
 * Room signaling on the socket.io namespace /rtc (protocol: packages/protocol/src/signaling.ts). Authenticates each
 * connection with its room token, hands it to a ClientSession, keeps dropped peers for a grace period so clients
 * can resume, and relays live call events (transcripts, agent state, turn metrics) to the room's participants.
 * A customer's room token holds one live connection: a second connection with it replaces the first, which is told
 * (roomClosed, reason connection_replaced) and disconnected; its peer stays resumable for the grace period.
 */
export class SignalingServer extends EventEmitter<SignalingServerEvents> implements PeerCustody {
  readonly #io: Server;
  readonly #ownsIo: boolean;
  readonly #namespace: Namespace;
  readonly #registry: RoomRegistry;
  readonly #tokens: RoomTokenVerifier;
  readonly #log: Logger;
  readonly #graceMs: number;
  readonly #rateLimit: { burst: number; perSecond: number };
  readonly #maxQueued: number;
  readonly #copilot: CopilotRequests;
  readonly #limits: SignalingLimits;
  readonly #proxy: { trustProxy: boolean; proxyHops: number };
  readonly #connectionsByAddress = new Map<string, number>();
  /** The live connection of each customer identity (one per call). */
  readonly #customerSessions = new Map<string, ClientSession>();
  readonly #owners = new Map<Peer, ClientSession>();
  readonly #graceTimers = new Map<Peer, NodeJS.Timeout>();
  readonly #unsubscribe: (() => void)[] = [];
  #closed = false;

  constructor(options: SignalingOptions) {
    super();
    if (!options.io && !options.httpServer)
      throw new TypeError('attachSignaling needs either io or httpServer.');
    this.#ownsIo = !options.io;
    this.#io =
      options.io ??
      new Server(options.httpServer, {
        maxHttpBufferSize: options.maxPayloadBytes ?? 64 * 1024,
        pingInterval: 5_000,
        pingTimeout: 5_000,
        cors: { origin: true },
      });
    this.#namespace = this.#io.of(RTC_NAMESPACE);
    this.#registry = options.registry;
    this.#tokens = options.tokens;
    this.#log = options.logger ?? createLogger('signaling');
    this.#graceMs = options.reconnectGraceMs ?? 10_000;
    this.#rateLimit = options.rateLimit ?? { burst: 50, perSecond: 20 };
    this.#maxQueued = options.maxQueuedRequests ?? 32;
    this.#limits = {
      maxConnectionsPerAddress: options.limits?.maxConnectionsPerAddress ?? 50,
      maxPeersPerRoom: options.limits?.maxPeersPerRoom ?? 16,
      maxProducersPerPeer: options.limits?.maxProducersPerPeer ?? 2,
    };
    this.#proxy = options.proxy ?? { trustProxy: false, proxyHops: 1 };
    this.#copilot = new CopilotRequests({
      copilot: options.copilot,
      audit: options.audit,
      logger: this.#log,
    });

    this.#namespace.use((socket, next) => {
      this.#authenticate(socket).then(
        () => next(),
        (error: unknown) => next(new HandshakeRefusal(error, SignalingErrorCodeSchema.options)),
      );
    });
    this.#namespace.on('connection', (socket) => {
      const { claims, resumePeerId } = socket.data as { claims: RoomClaims; resumePeerId?: string };
      const session = new ClientSession({
        socket,
        claims,
        resumePeerId,
        registry: this.#registry,
        custody: this,
        copilot: this.#copilot,
        onRequestDone: (info) => this.emit('request', info),
        logger: this.#log,
        rateLimit: this.#rateLimit,
        maxQueuedRequests: this.#maxQueued,
        maxPeersPerRoom: this.#limits.maxPeersPerRoom,
        maxProducersPerPeer: this.#limits.maxProducersPerPeer,
        ...(options.callEndReason ? { callEndReason: options.callEndReason } : {}),
      });
      if (claims.role === 'customer') this.#holdCustomerConnection(claims.sub, session, socket);
    });
    this.#relayCallEvents(options.bus);
  }

  get namespace(): Namespace {
    return this.#namespace;
  }

  /** Sockets connected to /rtc right now. */
  get connections(): number {
    return this.#namespace.sockets.size;
  }

  /** Peers kept for a reconnecting client right now. */
  get resumablePeers(): number {
    return this.#graceTimers.size;
  }

  /**
   * Cuts the connection that holds this peer as a network failure would (the client sees a transport close and
   * reconnects on its own; the peer is kept for the grace period). For tests and operators. False if not connected.
   */
  dropConnection(peerId: string): boolean {
    for (const [peer, session] of this.#owners) {
      if (peer.id === peerId) {
        session.dropConnection();
        return true;
      }
    }
    return false;
  }

  adopt(peer: Peer, session: ClientSession): void {
    this.#cancelGrace(peer);
    const previous = this.#owners.get(peer);
    if (previous && previous !== session) {
      this.#log.info(
        { peerId: peer.id, from: previous.id, to: session.id },
        'peer resumed on a new connection',
      );
      this.#owners.set(peer, session);
      previous.forgetPeer();
      return;
    }
    if (!previous) peer.once('close', () => this.#forget(peer));
    this.#owners.set(peer, session);
  }

  release(peer: Peer, session: ClientSession): void {
    if (this.#owners.get(peer) !== session || peer.closed) return;
    this.#owners.delete(peer);
    peer.detach();
    if (this.#closed || this.#graceMs <= 0) {
      peer.close('disconnected');
      return;
    }
    const timer = setTimeout(() => {
      this.#graceTimers.delete(peer);
      if (!this.#owners.has(peer)) peer.close('disconnected');
    }, this.#graceMs);
    timer.unref();
    this.#graceTimers.set(peer, timer);
  }

  /** Disconnects every client; closes the socket.io server (and its HTTP server) if this module created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#unsubscribe) off();
    for (const [peer, timer] of this.#graceTimers) {
      clearTimeout(timer);
      peer.close('server_shutdown');
    }
    this.#graceTimers.clear();
    this.#namespace.disconnectSockets(true);
    if (this.#ownsIo) await this.#io.close();
  }

  /** One live connection per customer identity: a newer one replaces the older. */
  #holdCustomerConnection(identity: string, session: ClientSession, socket: Socket): void {
    const previous = this.#customerSessions.get(identity);
    this.#customerSessions.set(identity, session);
    socket.once('disconnect', () => {
      if (this.#customerSessions.get(identity) === session) this.#customerSessions.delete(identity);
    });
    if (previous) {
      this.#log.info({ identity, from: previous.id, to: session.id }, 'customer connection replaced');
      previous.replaced();
    }
  }

  /** Counts the connection against its client address (until it closes); false when the address is at its cap. */
  #admitAddress(socket: Socket): boolean {
    const address = clientAddress(
      socket.handshake.address,
      socket.handshake.headers['x-forwarded-for'],
      this.#proxy,
    );
    const open = this.#connectionsByAddress.get(address) ?? 0;
    if (open >= this.#limits.maxConnectionsPerAddress) {
      this.#log.warn({ address, open }, 'connection refused: too many from one address');
      return false;
    }
    this.#connectionsByAddress.set(address, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.#connectionsByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#connectionsByAddress.set(address, left);
      else this.#connectionsByAddress.delete(address);
    };
    // Whichever comes first: the namespace socket leaving, or the whole engine.io connection (also when the
    // handshake never completed into a 'connection').
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    return true;
  }

  async #authenticate(socket: Socket): Promise<void> {
    const auth = HandshakeAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) {
      throw new MediaError(
        'unauthorized',
        'Connect with auth: { token } holding the room token from the API (and resumePeerId to resume).',
      );
    }
    try {
      socket.data = {
        claims: await this.#tokens.verifyRoomToken(auth.data.token),
        resumePeerId: auth.data.resumePeerId,
      };
    } catch (error) {
      // AuthError messages are written for clients; anything else stays in the log.
      const known = error instanceof CodedError;
      if (known) this.#log.info({ reason: error.code }, 'handshake refused');
      else this.#log.error({ err: error }, 'handshake failed unexpectedly');
      const message = known ? error.message : 'The room token was refused: ask for a new one.';
      throw new MediaError('unauthorized', message.slice(0, 500), { cause: error });
    }
    if (!this.#admitAddress(socket)) {
      throw new MediaError(
        'too_many_connections',
        `At most ${this.#limits.maxConnectionsPerAddress} connections per client address: close one first.`,
      );
    }
  }

  #relayCallEvents(bus: CallEventBus): void {
    const relay = (roomId: string, notification: SignalingNotification) =>
      this.#registry.get(roomId)?.broadcast(notification);
    this.#unsubscribe.push(
      bus.on('transcript', (data) => relay(data.roomId, { method: 'transcript', data })),
      bus.on('agent.state', (data) => relay(data.roomId, { method: 'agentState', data })),
      bus.on('turn.metrics', (data) => relay(data.roomId, { method: 'turnMetrics', data })),
      bus.on('stage.failed', (data) =>
        this.#registry.get(data.roomId)?.notifyStaff({ method: 'stageFailed', data }),
      ),
    );
  }

  #cancelGrace(peer: Peer): void {
    const timer = this.#graceTimers.get(peer);
    if (timer) clearTimeout(timer);
    this.#graceTimers.delete(peer);
  }

  #forget(peer: Peer): void {
    this.#cancelGrace(peer);
    this.#owners.delete(peer);
  }
}

/** Attaches /rtc signaling to an HTTP or socket.io server (the composition root calls this). */
export function attachSignaling(options: SignalingOptions): SignalingServer {
  return new SignalingServer(options);
}
