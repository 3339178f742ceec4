import type { RtpCapabilities, SignalingNotificationData } from '@voiceroom/protocol';
import { Device } from 'mediasoup-client';
import type {
  RtpCapabilities as ClientRtpCapabilities,
  RtpParameters as ClientRtpParameters,
  ConnectionState,
  Consumer,
  Producer,
  Transport,
  TransportOptions,
} from 'mediasoup-client/types';
import { SdkErrorCode, VoiceRoomError } from './errors.ts';
import type { SignalingClient } from './SignalingClient.ts';
import { TypedEmitter } from './TypedEmitter.ts';

export type TransportDirection = 'send' | 'recv';

export type MediaSessionEvents = {
  transportStateChanged: { direction: TransportDirection; state: ConnectionState };
};

/**
 * The WebRTC side of one joined peer: a mediasoup-client Device loaded with the room's router capabilities, a send
 * transport (created on first publish) and a recv transport, with the producer and consumers on them. All signaling
 * goes through the given SignalingClient. A new session is built whenever the server lost the peer.
 */
export class MediaSession extends TypedEmitter<MediaSessionEvents> {
  readonly #device: Device;
  readonly #signaling: SignalingClient;
  readonly #transports = new Map<TransportDirection, Promise<Transport>>();
  readonly #consumers = new Map<string, Consumer>();
  readonly #iceServers: RTCIceServer[];
  #producer: Producer | undefined;
  #closed = false;

  private constructor(device: Device, signaling: SignalingClient, iceServers: RTCIceServer[]) {
    super();
    this.#device = device;
    this.#signaling = signaling;
    this.#iceServers = iceServers;
  }

  /** `iceServers`: STUN/TURN servers from the control plane (empty on a LAN or loopback). */
  static async create(
    signaling: SignalingClient,
    routerRtpCapabilities: RtpCapabilities,
    iceServers: RTCIceServer[] = [],
  ): Promise<MediaSession> {
    let device: Device;
    try {
      device = await Device.factory();
    } catch (cause) {
      throw new VoiceRoomError(
        SdkErrorCode.unsupportedBrowser,
        'this browser cannot join voice rooms (WebRTC unavailable); use a current Chrome, Edge, Firefox or Safari',
        { cause },
      );
    }
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as ClientRtpCapabilities });
    return new MediaSession(device, signaling, iceServers);
  }

  /** What this browser can receive: sent with `join` so the server only creates consumers we can decode. */
  get rtpCapabilities(): RtpCapabilities {
    return this.#device.recvRtpCapabilities as RtpCapabilities;
  }

  get producer(): Producer | undefined {
    return this.#producer;
  }

  consumer(consumerId: string): Consumer | undefined {
    return this.#consumers.get(consumerId);
  }

  /** Creates the transport of that direction once; later calls return the same one. */
  transport(direction: TransportDirection): Promise<Transport> {
    let transport = this.#transports.get(direction);
    if (!transport) {
      transport = this.#createTransport(direction);
      this.#transports.set(direction, transport);
      // A failed creation may be retried by the next call.
      transport.catch(() => this.#transports.delete(direction));
    }
    return transport;
  }

  /** Publishes an audio track; the server answers `produce` with the producer id (or refuses with its code). */
  async produceAudio(
    track: MediaStreamTrack,
    options: { paused: boolean; audience: 'everyone' | 'staff' },
  ): Promise<Producer> {
    const transport = await this.transport('send');
    this.#assertOpen();
    const producer = await transport.produce({
      track,
      // The SDK owns the microphone track: it outlives producers so it can be republished after a rejoin.
      stopTracks: false,
      zeroRtpOnPause: true,
      codecOptions: { opusStereo: false, opusFec: true, opusDtx: false },
      appData: { audience: options.audience },
    });
    if (options.paused) producer.pause();
    this.#producer = producer;
    producer.observer.once('close', () => {
      if (this.#producer === producer) this.#producer = undefined;
    });
    return producer;
  }

  /** Sets up a consumer announced by `newConsumer`; the caller then sends `resumeConsumer`. */
  async consume(info: SignalingNotificationData<'newConsumer'>): Promise<Consumer> {
    const transport = await this.transport('recv');
    this.#assertOpen();
    const consumer = await transport.consume({
      id: info.consumerId,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: info.rtpParameters as ClientRtpParameters,
      appData: { peerId: info.peerId },
    });
    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
    return consumer;
  }

  closeConsumer(consumerId: string): Consumer | undefined {
    const consumer = this.#consumers.get(consumerId);
    consumer?.close();
    return consumer;
  }

  /** Asks the server for fresh ICE parameters of every transport and restarts ICE with them. */
  async restartIce(): Promise<void> {
    await Promise.all([...this.#transports.values()].map((pending) => this.#restartIceOf(pending)));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const pending of this.#transports.values()) {
      pending.then((transport) => transport.close()).catch(() => undefined);
    }
    this.#transports.clear();
    this.#consumers.clear();
    this.#producer = undefined;
    this.removeAllListeners();
  }

  async #restartIceOf(pending: Promise<Transport>): Promise<void> {
    const transport = await pending;
    if (transport.closed) return;
    const { iceParameters } = await this.#signaling.request('restartIce', { transportId: transport.id });
    await transport.restartIce({ iceParameters });
  }

  async #createTransport(direction: TransportDirection): Promise<Transport> {
    const info = await this.#signaling.request('createWebRtcTransport', { direction });
    this.#assertOpen();
    const options = { ...(info as unknown as TransportOptions), iceServers: this.#iceServers };
    const transport =
      direction === 'send'
        ? this.#device.createSendTransport(options)
        : this.#device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signaling
        .request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters })
        .then(() => callback(), errback);
    });
    transport.on('connectionstatechange', (state) => {
      this.emit('transportStateChanged', { direction, state });
      // ICE broke while signaling still works (e.g. a network switch): renegotiate ICE on this transport.
      if (state === 'failed' && this.#signaling.connected && !this.#closed) {
        this.#restartIceOf(Promise.resolve(transport)).catch(() => undefined);
      }
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        if (kind !== 'audio') {
          errback(new VoiceRoomError('unsupported', 'voice rooms carry audio only; publish an audio track'));
          return;
        }
        const audience = appData.audience === 'staff' ? 'staff' : 'everyone';
        this.#signaling
          .request('produce', {
            transportId: transport.id,
            kind,
            rtpParameters: rtpParameters as never,
            audience,
          })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    return transport;
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new VoiceRoomError(SdkErrorCode.roomLeft, 'the media session was closed; join the room again');
  }
}
