import { randomInt, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  type Audience,
  grantsForRole,
  type PeerInfo,
  type SignalingNotification,
  type Takeover,
} from '@voiceroom/protocol';
import type { types as ms } from 'mediasoup';
import type { CallEventBus } from '../CallEventBus.ts';
import type { Logger } from '../log.ts';
import { ActiveSpeaker } from './ActiveSpeaker.ts';
import { AgentMediaLink, type ConnectAgentOptions } from './AgentMediaLink.ts';
import { CustomerVisibility } from './CustomerVisibility.ts';
import { consumeProducer } from './consumeProducer.ts';
import { MediaError } from './errors.ts';
import { listenInfo, type MediaNetworkOptions, ROOM_MEDIA_CODECS } from './mediaOptions.ts';
import { Peer, type PeerOptions, type TransportDirection } from './Peer.ts';

export interface RoomOptions {
  id: string;
  agentId: string | null;
  worker: ms.Worker;
  network: MediaNetworkOptions;
  bus: CallEventBus;
  logger: Logger;
}

export type AddPeerOptions = Omit<PeerOptions, 'maxBufferedNotifications'>;

const OPUS = { mimeType: 'audio/opus', clockRate: 48_000, channels: 2 } as const;

export interface RoomStats {
  peers: number;
  transports: number;
  producers: number;
  consumers: number;
}

export interface RoomEvents {
  /** A peer joined (emitted after the others were told). */
  peeradded: [peer: Peer];
  /** A peer left; `humans` is how many non-agent peers remain. */
  peerremoved: [peer: Peer, humans: number];
  close: [reason: string, rejoin: boolean];
}

/**
 * A voice room: one mediasoup router (Opus only) and its peers. Whenever a peer produces, every other peer allowed
 * to subscribe gets a consumer (paused for WebRTC clients until they resume it, running for the agent).
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly id: string;
  readonly agentId: string | null;
  readonly #router: ms.Router;
  readonly #network: MediaNetworkOptions;
  readonly #bus: CallEventBus;
  readonly #log: Logger;
  readonly #workerPid: number;
  readonly #peers = new Map<string, Peer>();
  readonly #visibility = new CustomerVisibility();
  #takeover: Peer | undefined;
  #speaker: ActiveSpeaker | undefined;
  #closed = false;
  #rejoinExpected = false;

  static async create(options: RoomOptions): Promise<Room> {
    const router = await options.worker.createRouter({
      mediaCodecs: ROOM_MEDIA_CODECS,
      appData: { roomId: options.id },
    });
    const room = new Room(options, router);
    try {
      room.#speaker = await ActiveSpeaker.create(router, (peerId) =>
        room.broadcast({ method: 'activeSpeaker', data: { peerId } }),
      );
    } catch (error) {
      router.close();
      throw error;
    }
    return room;
  }

  private constructor(options: RoomOptions, router: ms.Router) {
    super();
    this.id = options.id;
    this.agentId = options.agentId;
    this.#router = router;
    this.#network = options.network;
    this.#bus = options.bus;
    this.#workerPid = options.worker.pid;
    this.#log = options.logger.child({ roomId: options.id, workerPid: options.worker.pid });
    router.on('workerclose', () => this.close('worker_died', true));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Closed with a rejoin hint (its worker died, the server shuts down): the call may go on in a new room. */
  get rejoinExpected(): boolean {
    return this.#rejoinExpected;
  }

  get rtpCapabilities(): ms.RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  get workerPid(): number {
    return this.#workerPid;
  }

  get peers(): Peer[] {
    return [...this.#peers.values()];
  }

  /** How many peers other than the AI agent are in the room. */
  get humanCount(): number {
    let n = 0;
    for (const peer of this.#peers.values()) if (peer.kind !== 'agent') n++;
    return n;
  }

  /** People (not the AI) in the room whose connection is up: not dropped and waiting to resume. */
  get connectedHumanCount(): number {
    let n = 0;
    for (const peer of this.#peers.values()) if (peer.kind !== 'agent' && !peer.reconnecting) n++;
    return n;
  }

  getPeer(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  stats(): RoomStats {
    const stats: RoomStats = { peers: this.#peers.size, transports: 0, producers: 0, consumers: 0 };
    for (const peer of this.#peers.values()) {
      const c = peer.counts();
      stats.transports += c.transports;
      stats.producers += c.producers;
      stats.consumers += c.consumers;
    }
    return stats;
  }

  /** What the router itself holds (independent of the room's bookkeeping), for leak checks. */
  async routerStats(): Promise<{ transports: number }> {
    const dump = await this.#router.dump();
    return { transports: dump.transportIds.length };
  }

  /** The peers `viewer` may see (see CustomerVisibility). */
  peerInfos(viewer: Peer): PeerInfo[] {
    return this.#visibility.peerInfos(this.peers, viewer);
  }

  addPeer(options: AddPeerOptions): Peer {
    this.#assertOpen();
    if (this.#peers.has(options.id))
      throw new MediaError('already_joined', `Peer ${options.id} is already here.`);
    if (options.grants.canSubscribe && !this.#router.rtpCapabilities.codecs?.length) {
      throw new MediaError('internal_error', 'The room router has no codecs.');
    }
    const peer = new Peer(options);
    this.#peers.set(peer.id, peer);
    peer.once('close', (reason) => this.#onPeerClosed(peer, reason));
    for (const other of this.#peers.values()) {
      if (other !== peer && this.#visibility.visibleTo(peer, other)) {
        other.notify({
          method: 'peerJoined',
          data: { peerId: peer.id, displayName: peer.displayName, role: peer.role },
        });
      }
    }
    this.#log.info(
      { peerId: peer.id, role: peer.role, kind: peer.kind, controlOnly: peer.controlOnly },
      'peer joined',
    );
    if (!peer.controlOnly) {
      this.#bus.emit('participant.joined', {
        roomId: this.id,
        peerId: peer.id,
        identity: peer.identity,
        displayName: peer.displayName,
        role: peer.role,
      });
    }
    this.emit('peeradded', peer);
    return peer;
  }

  async createWebRtcTransport(peer: Peer, direction: TransportDirection): Promise<ms.WebRtcTransport> {
    this.#assertMember(peer);
    const transport = await this.#router.createWebRtcTransport({
      listenInfos: [listenInfo(this.#network, 'udp'), listenInfo(this.#network, 'tcp')],
      preferUdp: true,
      appData: { peerId: peer.id, direction },
    });
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') {
        this.#log.warn({ peerId: peer.id, transportId: transport.id, state }, 'WebRTC transport DTLS ended');
      }
    });
    peer.addTransport(transport, direction);
    if (direction === 'recv') await this.#subscribeToAll(peer);
    return transport;
  }

  /** Gives `peer` a transport made elsewhere; one that receives is subscribed to every current producer. */
  async attachTransport(peer: Peer, transport: ms.Transport, direction: TransportDirection): Promise<void> {
    this.#assertMember(peer);
    peer.addTransport(transport, direction);
    if (direction !== 'send') await this.#subscribeToAll(peer);
  }

  async createPlainTransport(options: { comedia: boolean }): Promise<ms.PlainTransport> {
    this.#assertOpen();
    return this.#router.createPlainTransport({
      listenInfo: listenInfo(this.#network, 'udp'),
      rtcpMux: true,
      comedia: options.comedia,
    });
  }

  /**
   * A producer for `peer`, offered to every other peer allowed to hear it. A peer without canPublish may produce
   * only while it holds the takeover; audience 'staff' (a whisper: canWhisper suffices) never reaches customers.
   */
  async produce(
    peer: Peer,
    transportId: string,
    rtpParameters: ms.RtpParameters,
    appData: Record<string, unknown> = {},
    audience: Audience = 'everyone',
  ): Promise<ms.Producer> {
    this.#assertMember(peer);
    if (audience === 'staff' && !peer.grants.canWhisper) {
      throw new MediaError('forbidden', 'Whispering to the agent side needs the canWhisper grant.');
    }
    if (audience === 'everyone' && !peer.grants.canPublish && this.#takeover !== peer) {
      throw new MediaError(
        'forbidden',
        'Your room token is listen-only: you cannot send audio into this room (take the call over first).',
      );
    }
    const { transport, direction } = peer.transport(transportId);
    if (direction === 'recv')
      throw new MediaError('bad_request', 'Produce on a transport created with direction "send".');
    const producer = await transport.produce({
      kind: 'audio',
      rtpParameters,
      appData: { ...appData, peerId: peer.id, audience },
    });
    peer.addProducer(producer);
    this.#log.info({ peerId: peer.id, producerId: producer.id }, 'producer created');
    // Announced before the customers get its consumer; withdrawn once it no longer sends them anything.
    this.#visibility.update(peer, this.#peers.values());
    producer.observer.once('close', () => {
      if (!peer.closed) this.#visibility.update(peer, this.#peers.values());
    });
    if (audience === 'everyone') await this.#speaker?.add(producer);
    await Promise.all(
      this.peers
        .filter((p) => p !== peer)
        .map((p) => consumeProducer(this.#router, this.#log, p, peer, producer)),
    );
    return producer;
  }

  /** Who has taken the call over from the AI (null: the AI has it). */
  get takeover(): Takeover {
    return this.#takeover ? { peerId: this.#takeover.id, displayName: this.#takeover.displayName } : null;
  }

  get takeoverHolder(): Peer | undefined {
    return this.#takeover;
  }

  /** Records the co-pilot takeover (or its end) and tells the staff (every peer but customers). */
  setTakeover(peer: Peer | undefined): void {
    if (peer) this.#assertMember(peer);
    if (this.#takeover === peer) return;
    this.#takeover = peer;
    const notification: SignalingNotification = { method: 'copilotState', data: { takeover: this.takeover } };
    this.notifyStaff(notification);
  }

  /** Sends a notification to every peer (optionally all but one). */
  broadcast(notification: SignalingNotification, except?: Peer): void {
    for (const peer of this.#peers.values()) if (peer !== except) peer.notify(notification);
  }

  /** Sends a notification to the staff peers only (human agents, supervisors). */
  notifyStaff(notification: SignalingNotification): void {
    for (const peer of this.#peers.values()) if (peer.isStaff) peer.notify(notification);
  }

  /**
   * The AI agent joins over one PlainTransport: it hears every other peer and speaks into the room. The room makes
   * the transport, the peer and its producer, and hands them to the AgentMediaLink that owns them from then on.
   */
  async connectAgent(options: ConnectAgentOptions): Promise<AgentMediaLink> {
    this.#assertOpen();
    const peerId = options.peerId ?? `agent-${randomUUID()}`;
    const send = { payloadType: options.payloadType ?? 111, ssrc: options.ssrc ?? randomInt(1, 0xffff_ffff) };
    const transport = await this.createPlainTransport({ comedia: false });
    let peer: Peer | undefined;
    try {
      await transport.connect({ ip: options.rtpTarget.ip, port: options.rtpTarget.port });
      peer = this.addPeer({
        id: peerId,
        kind: 'agent',
        identity: options.identity ?? `agent:${this.agentId ?? peerId}`,
        displayName: options.displayName,
        role: 'agent_ai',
        grants: grantsForRole('agent_ai'),
        rtpCapabilities: this.rtpCapabilities,
      });
      await this.attachTransport(peer, transport, 'sendrecv');
      const producer = await this.produce(peer, transport.id, {
        codecs: [{ ...OPUS, payloadType: send.payloadType }],
        encodings: [{ ssrc: send.ssrc }],
      });
      return new AgentMediaLink({ peer, transport, producer, send });
    } catch (error) {
      if (peer) peer.close('agent_connect_failed');
      else transport.close();
      throw error;
    }
  }

  /** Closes every peer and the router. `rejoin` tells clients whether joining again makes sense. */
  close(reason: string, rejoin = false): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rejoinExpected = rejoin;
    this.#log.info({ reason, rejoin, peers: this.#peers.size }, 'room closed');
    for (const peer of this.#peers.values()) {
      peer.notify({ method: 'roomClosed', data: { reason, rejoin } });
      peer.close(reason === 'worker_died' ? 'room_closed' : reason);
    }
    this.#peers.clear();
    this.#router.close();
    this.emit('close', reason, rejoin);
    this.removeAllListeners();
  }

  #onPeerClosed(peer: Peer, reason: string): void {
    if (!this.#peers.delete(peer.id)) return;
    this.#log.info({ peerId: peer.id, reason }, 'peer left');
    for (const other of this.#peers.values()) {
      if (this.#visibility.visibleTo(peer, other))
        other.notify({ method: 'peerLeft', data: { peerId: peer.id, reason } });
    }
    this.#visibility.forget(peer);
    if (!peer.controlOnly) this.#bus.emit('participant.left', { roomId: this.id, peerId: peer.id, reason });
    this.emit('peerremoved', peer, this.humanCount);
  }

  async #subscribeToAll(peer: Peer): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const other of this.#peers.values()) {
      if (other === peer) continue;
      for (const producer of other.producers)
        jobs.push(consumeProducer(this.#router, this.#log, peer, other, producer));
    }
    await Promise.all(jobs);
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new MediaError('room_closed', `Room ${this.id} is closed: join again to start a new one.`);
  }

  #assertMember(peer: Peer): void {
    this.#assertOpen();
    if (peer.closed || this.#peers.get(peer.id) !== peer) {
      throw new MediaError('not_joined', 'You are not in this room (any more): join first.');
    }
  }
}
