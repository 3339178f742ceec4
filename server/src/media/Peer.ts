import { EventEmitter } from 'node:events';
import type { RoomGrants, RoomRole, RtpParameters, SignalingNotification } from '@voiceroom/protocol';
import type { types as ms } from 'mediasoup';
import { MediaError } from './errors.ts';

/** 'sendrecv' is the agent's PlainTransport, which both carries its voice and brings it the others'. */
export type TransportDirection = 'send' | 'recv' | 'sendrecv';

/** 'webrtc': a browser or SDK client over signaling. 'agent': the AI agent over a PlainTransport. */
export type PeerKind = 'webrtc' | 'agent';

export interface PeerOptions {
  id: string;
  kind: PeerKind;
  /** Who the token says this is (user id, guest:<id>, agent:<id>); a resumed connection must match it. */
  identity: string;
  displayName: string;
  role: RoomRole;
  grants: RoomGrants;
  rtpCapabilities: ms.RtpCapabilities;
  /**
   * On signaling for control only (captions, co-pilot): its media and its presence are LiveKit's, whose webhooks
   * announce it under its LiveKit identity, so the room does not announce this peer as a participant.
   */
  controlOnly?: boolean;
  /** Notifications kept while detached (reconnecting); more than this closes the peer. */
  maxBufferedNotifications?: number;
}

/** One of this peer's consumers with the peer whose producer it carries. */
export interface ConsumerEntry {
  consumer: ms.Consumer;
  producerPeerId: string;
  producerPeerRole: RoomRole;
}

export interface PeerEvents {
  consumeradded: [entry: ConsumerEntry];
  consumerremoved: [entry: ConsumerEntry, reason: string];
  consumerpaused: [entry: ConsumerEntry];
  consumerresumed: [entry: ConsumerEntry];
  /** Emitted once, after every transport, producer and consumer it owned is closed. */
  close: [reason: string];
}

type NotificationSink = (notification: SignalingNotification) => void;

/**
 * A participant of a room and the mediasoup objects it owns. Closing the peer closes its transports, which closes
 * its producers and consumers. Notifications go to the attached sink (the socket), or are buffered while detached.
 */
export class Peer extends EventEmitter<PeerEvents> {
  readonly id: string;
  readonly kind: PeerKind;
  readonly identity: string;
  readonly displayName: string;
  readonly role: RoomRole;
  readonly grants: Readonly<RoomGrants>;
  readonly rtpCapabilities: ms.RtpCapabilities;
  readonly controlOnly: boolean;
  readonly #transports = new Map<string, { transport: ms.Transport; direction: TransportDirection }>();
  readonly #producers = new Map<string, ms.Producer>();
  readonly #consumers = new Map<string, ConsumerEntry>();
  /** Producer ids this peer consumes or is about to consume (guards against double subscription). */
  readonly #subscribedProducerIds = new Set<string>();
  readonly #maxBuffered: number;
  #sink: NotificationSink | undefined;
  #buffer: SignalingNotification[] = [];
  #closed = false;
  #reconnecting = false;

  constructor(options: PeerOptions) {
    super();
    this.id = options.id;
    this.kind = options.kind;
    this.identity = options.identity;
    this.displayName = options.displayName;
    this.role = options.role;
    this.grants = Object.freeze({ ...options.grants });
    this.rtpCapabilities = options.rtpCapabilities;
    this.controlOnly = options.controlOnly ?? false;
    this.#maxBuffered = options.maxBufferedNotifications ?? 500;
    if (this.kind === 'webrtc') this.#notifyConsumerChanges();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Everyone but the customer: the AI agent, human agents, supervisors. */
  get isStaff(): boolean {
    return this.role !== 'customer';
  }

  get producers(): ms.Producer[] {
    return [...this.#producers.values()];
  }

  get consumers(): ConsumerEntry[] {
    return [...this.#consumers.values()];
  }

  get transports(): { transport: ms.Transport; direction: TransportDirection }[] {
    return [...this.#transports.values()];
  }

  /** The transport other peers' audio is sent on (the first 'recv' or 'sendrecv' one), if any yet. */
  get consumingTransport(): ms.Transport | undefined {
    for (const t of this.#transports.values()) if (t.direction !== 'send') return t.transport;
    return undefined;
  }

  counts(): { transports: number; producers: number; consumers: number } {
    return {
      transports: this.#transports.size,
      producers: this.#producers.size,
      consumers: this.#consumers.size,
    };
  }

  /** Sends (or buffers) a notification for this peer's client. */
  notify(notification: SignalingNotification): void {
    if (this.#closed) return;
    if (this.#sink) {
      this.#sink(notification);
      return;
    }
    if (this.kind !== 'webrtc') return;
    this.#buffer.push(notification);
    if (this.#buffer.length > this.#maxBuffered) this.close('resume_buffer_overflow');
  }

  /** Routes notifications to a connection, first delivering what was buffered while detached. */
  attach(sink: NotificationSink): void {
    this.#sink = sink;
    this.#reconnecting = false;
    const buffered = this.#buffer;
    this.#buffer = [];
    for (const notification of buffered) sink(notification);
  }

  /** The connection went away: keep buffering notifications until attach() or close(). */
  detach(): void {
    this.#sink = undefined;
    if (!this.#closed) this.#reconnecting = true;
  }

  /** Its connection dropped and no other took it yet. */
  get reconnecting(): boolean {
    return this.#reconnecting;
  }

  transport(transportId: string): { transport: ms.Transport; direction: TransportDirection } {
    const entry = this.#transports.get(transportId);
    if (!entry)
      throw new MediaError('not_found', `No transport ${transportId} on this peer: create one first.`);
    return entry;
  }

  producer(producerId: string): ms.Producer {
    const producer = this.#producers.get(producerId);
    if (!producer) throw new MediaError('not_found', `No producer ${producerId} on this peer.`);
    return producer;
  }

  consumer(consumerId: string): ConsumerEntry {
    const entry = this.#consumers.get(consumerId);
    if (!entry)
      throw new MediaError('not_found', `No consumer ${consumerId} on this peer (it may have closed).`);
    return entry;
  }

  addTransport(transport: ms.Transport, direction: TransportDirection): void {
    this.#assertOpen(() => transport.close());
    this.#transports.set(transport.id, { transport, direction });
    transport.observer.once('close', () => this.#transports.delete(transport.id));
  }

  addProducer(producer: ms.Producer): void {
    this.#assertOpen(() => producer.close());
    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => this.#producers.delete(producer.id));
  }

  /** Reserves the right to consume a producer; false if this peer already consumes it. */
  reserveSubscription(producerId: string): boolean {
    if (this.#closed || this.#subscribedProducerIds.has(producerId)) return false;
    this.#subscribedProducerIds.add(producerId);
    return true;
  }

  releaseSubscription(producerId: string): void {
    this.#subscribedProducerIds.delete(producerId);
  }

  addConsumer(consumer: ms.Consumer, producerPeer: Peer): void {
    this.#assertOpen(() => consumer.close());
    const entry: ConsumerEntry = {
      consumer,
      producerPeerId: producerPeer.id,
      producerPeerRole: producerPeer.role,
    };
    this.#consumers.set(consumer.id, entry);
    let reason = 'closed';
    consumer.once('producerclose', () => {
      reason = 'producer_closed';
    });
    consumer.once('transportclose', () => {
      reason = 'transport_closed';
    });
    consumer.on('producerpause', () => this.emit('consumerpaused', entry));
    consumer.on('producerresume', () => this.emit('consumerresumed', entry));
    consumer.observer.once('close', () => {
      this.#consumers.delete(consumer.id);
      this.#subscribedProducerIds.delete(consumer.producerId);
      if (!this.#closed) this.emit('consumerremoved', entry, reason);
    });
    this.emit('consumeradded', entry);
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink = undefined;
    this.#buffer = [];
    for (const { transport } of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
    this.#subscribedProducerIds.clear();
    this.emit('close', reason);
    this.removeAllListeners();
  }

  /** A WebRTC client learns of its consumers from notifications (it must resume each new one). */
  #notifyConsumerChanges(): void {
    const ref = (e: ConsumerEntry) => ({
      consumerId: e.consumer.id,
      producerId: e.consumer.producerId,
      peerId: e.producerPeerId,
    });
    this.on('consumeradded', (e) =>
      this.notify({
        method: 'newConsumer',
        data: {
          ...ref(e),
          kind: e.consumer.kind,
          // mediasoup's codec parameters are typed `unknown`; on the wire they are strings, numbers or booleans.
          rtpParameters: e.consumer.rtpParameters as RtpParameters,
          appData: e.consumer.appData,
          producerPaused: e.consumer.producerPaused,
        },
      }),
    );
    this.on('consumerremoved', (e, reason) =>
      this.notify({ method: 'consumerClosed', data: { ...ref(e), reason } }),
    );
    this.on('consumerpaused', (e) => this.notify({ method: 'consumerPaused', data: ref(e) }));
    this.on('consumerresumed', (e) => this.notify({ method: 'consumerResumed', data: ref(e) }));
  }

  #assertOpen(dispose: () => void): void {
    if (!this.#closed) return;
    dispose();
    throw new MediaError('room_closed', 'This participant has left the room: join again.');
  }
}
