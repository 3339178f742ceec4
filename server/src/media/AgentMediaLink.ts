import { EventEmitter } from 'node:events';
import type { Audience, RoomRole } from '@voiceroom/protocol';
import type { types as ms } from 'mediasoup';
import type { ConsumerEntry, Peer } from './Peer.ts';

/** How the agent joins a room (Room.connectAgent). */
export interface ConnectAgentOptions {
  /** Default: agent-<uuid>. */
  peerId?: string;
  displayName: string;
  /** Default: agent:<room.agentId or peerId>. */
  identity?: string;
  /** The agent's UDP socket: the room's audio is sent there, and the agent must send its own RTP from it. */
  rtpTarget: { ip: string; port: number };
  /** SSRC and payload type of the agent's Opus RTP (default: random SSRC, payload type 111). */
  ssrc?: number;
  payloadType?: number;
}

/** What Room.connectAgent made for the agent, handed over for the link to own. */
export interface AgentMediaLinkOptions {
  /** The agent's peer, with `transport` attached for sending and receiving. */
  peer: Peer;
  transport: ms.PlainTransport;
  /** The agent's voice: RTP it sends from its socket to the transport. */
  producer: ms.Producer;
  send: { payloadType: number; ssrc: number };
}

/** One other participant's audio as it reaches the agent's socket. */
export interface AgentReceiveStream {
  consumerId: string;
  producerId: string;
  peerId: string;
  role: RoomRole;
  /** 'staff': a co-pilot whisper meant for the agent, not the customer's voice. */
  audience: Audience;
  payloadType: number;
  ssrc: number;
}

export interface AgentMediaLinkEvents {
  consumer: [stream: AgentReceiveStream];
  consumerclosed: [info: { consumerId: string; peerId: string; ssrc: number; reason: string }];
  close: [reason: string];
}

/**
 * The AI agent's media in a room over one PlainTransport (RTP/RTCP muxed, no SRTP): every other peer's audio is
 * consumed onto it (one SSRC each, running, sent to the agent's socket), and RTP the agent sends from that socket to
 * `ingest` becomes the agent's producer, which the room's other peers consume like any peer's. Made by
 * Room.connectAgent (mediasoup style: the parent creates, the child owns); closing the peer closes it all.
 */
export class AgentMediaLink extends EventEmitter<AgentMediaLinkEvents> {
  readonly #peer: Peer;
  readonly #transport: ms.PlainTransport;
  readonly #producer: ms.Producer;
  readonly #send: { payloadType: number; ssrc: number };
  readonly #receive = new Map<string, AgentReceiveStream>();

  constructor(options: AgentMediaLinkOptions) {
    super();
    const { peer } = options;
    this.#peer = peer;
    this.#transport = options.transport;
    this.#producer = options.producer;
    this.#send = options.send;
    // consumers made while the room attached the transport (every peer already producing)
    for (const entry of peer.consumers) this.#onConsumer(entry);
    peer.on('consumeradded', (entry) => this.#onConsumer(entry));
    peer.on('consumerremoved', (entry, reason) => {
      const stream = this.#receive.get(entry.consumer.id);
      if (!stream) return;
      this.#receive.delete(entry.consumer.id);
      this.emit('consumerclosed', {
        consumerId: stream.consumerId,
        peerId: stream.peerId,
        ssrc: stream.ssrc,
        reason,
      });
    });
    peer.once('close', (reason) => {
      this.#receive.clear();
      this.emit('close', reason);
      this.removeAllListeners();
    });
  }

  get peerId(): string {
    return this.#peer.id;
  }

  get closed(): boolean {
    return this.#peer.closed;
  }

  get producerId(): string {
    return this.#producer.id;
  }

  /** Where the agent sends its RTP (from its rtpTarget socket). */
  get ingest(): { ip: string; port: number } {
    const tuple = this.#transport.tuple;
    return { ip: tuple.localAddress, port: tuple.localPort };
  }

  /** The payload type and SSRC the agent's RTP must carry. */
  get send(): { payloadType: number; ssrc: number } {
    return { ...this.#send };
  }

  /** The other participants' audio currently sent to the agent. */
  get receive(): AgentReceiveStream[] {
    return [...this.#receive.values()];
  }

  /** Stops relaying the agent's voice to the room (e.g. a human took the call over). */
  async pauseSending(): Promise<void> {
    if (!this.#producer.closed) await this.#producer.pause();
  }

  async resumeSending(): Promise<void> {
    if (!this.#producer.closed) await this.#producer.resume();
  }

  /** Leaves the room: closes the transport, its producer and consumers (participant.left follows). */
  close(reason = 'agent_left'): void {
    this.#peer.close(reason);
  }

  #onConsumer(entry: ConsumerEntry): void {
    const { consumer } = entry;
    const codec = consumer.rtpParameters.codecs[0];
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (!codec || ssrc === undefined) return;
    const stream: AgentReceiveStream = {
      consumerId: consumer.id,
      producerId: consumer.producerId,
      peerId: entry.producerPeerId,
      role: entry.producerPeerRole,
      audience: consumer.appData.audience === 'staff' ? 'staff' : 'everyone',
      payloadType: codec.payloadType,
      ssrc,
    };
    this.#receive.set(consumer.id, stream);
    this.emit('consumer', stream);
  }
}
