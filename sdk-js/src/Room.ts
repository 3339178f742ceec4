import type { JoinResponse, RtpCapabilities, SignalingNotification } from '@voiceroom/protocol';
import { Copilot } from './Copilot.ts';
import { asVoiceRoomError, SdkErrorCode, VoiceRoomError } from './errors.ts';
import { MediaSession } from './MediaSession.ts';
import { captureMicrophone, DEFAULT_MICROPHONE } from './microphone.ts';
import { Roster } from './Roster.ts';
import { SignalingClient } from './SignalingClient.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import type {
  Audience,
  ConnectionState,
  ConnectOptions,
  LocalPeer,
  Participant,
  PublishOptions,
  RemoteTrack,
  RoomEvents,
} from './types.ts';

/** A room closed for this reason (its media worker died) is opened again by joining on the same connection. */
const ROOM_MOVED_REASON = 'worker_died';

/** Codes after which retrying the same connection is pointless. */
const FATAL_CODES = new Set(['unauthorized', 'room_closed', 'forbidden', 'call_ended']);

/**
 * A joined voice room. Create it with `connect(url, token)`. Everything that changes the session (joining, recovery,
 * server notifications, publishing) runs through one queue, so notifications never see a half-built media session.
 */
export class Room extends TypedEmitter<RoomEvents> {
  readonly #signaling: SignalingClient;
  readonly #iceServers: RTCIceServer[];
  readonly #roster = new Roster(
    (event, payload) => this.emit(event, payload as RoomEvents[typeof event]),
    (consumerId) => this.#media?.closeConsumer(consumerId),
  );
  readonly #copilot: Copilot;
  #media: MediaSession | undefined;
  #local: LocalPeer | undefined;
  #microphone: MediaStreamTrack | undefined;
  #audience: Audience = 'everyone';
  #muted = false;
  #state: ConnectionState = 'disconnected';
  #left = false;
  #rejoining = false;
  #queue: Promise<void> = Promise.resolve();

  private constructor(url: string, token: string, options: ConnectOptions) {
    super();
    this.#iceServers = options.iceServers ?? [];
    this.#signaling = new SignalingClient({
      url,
      token,
      transports: options.transports,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.#copilot = new Copilot(this.#signaling, (takeover) => this.emit('copilotState', { takeover }));
    this.#signaling.on('notification', (n) => this.#enqueue(() => this.#onNotification(n)));
    this.#signaling.on('protocolError', (error) => this.emit('error', error));
    this.#signaling.on('disconnected', ({ willReconnect }) => this.#onDisconnected(willReconnect));
    this.#signaling.on('connected', ({ reconnect }) => {
      if (reconnect && !this.#rejoining && !this.#left) this.#recover();
    });
    this.#signaling.on('refused', (error) => this.#fail(error));
  }

  /** Connects, joins and sets up receiving. Rejects with a VoiceRoomError (`code`) when the room refuses us. */
  static async connect(url: string, token: string, options: ConnectOptions = {}): Promise<Room> {
    const room = new Room(url, token, options);
    try {
      await room.#signaling.connect();
      await room.#enqueue(() => room.#establish());
    } catch (error) {
      room.#teardown();
      throw error;
    }
    room.#setState('connected');
    return room;
  }

  get localPeer(): LocalPeer {
    if (!this.#local) throw new VoiceRoomError(SdkErrorCode.roomLeft, 'not joined');
    return this.#local;
  }

  /** The other participants, by peer id. */
  get participants(): ReadonlyMap<string, Participant> {
    return this.#roster.participants;
  }

  /** Audio we receive, by consumer id. */
  get remoteTracks(): ReadonlyMap<string, RemoteTrack> {
    return this.#roster.tracks;
  }

  /** Co-pilot controls (hint, take over, hand back) for staff participants. */
  get copilot(): Copilot {
    return this.#copilot;
  }

  get connectionState(): ConnectionState {
    return this.#state;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** The local microphone track once published. */
  get microphone(): MediaStreamTrack | undefined {
    return this.#microphone;
  }

  /**
   * Captures the microphone and publishes it. Rejects with the server's code (e.g. `forbidden` for a listen-only
   * token) or `microphone_unavailable`; a refused publish releases the microphone again.
   */
  async publishMicrophone(
    constraints: MediaTrackConstraints = DEFAULT_MICROPHONE,
    options: PublishOptions = {},
  ): Promise<MediaStreamTrack> {
    this.#assertJoined();
    if (this.#microphone) return this.#microphone;
    this.#audience = options.audience ?? 'everyone';
    const microphone = await captureMicrophone(constraints);
    try {
      await this.#enqueue(() => this.#produce(microphone));
    } catch (error) {
      microphone.stop();
      throw error;
    }
    this.#microphone = microphone;
    return microphone;
  }

  /** Stops publishing: closes the producer on the server and releases the microphone (publish again to speak). */
  async unpublishMicrophone(): Promise<void> {
    const microphone = this.#microphone;
    this.#microphone = undefined;
    microphone?.stop();
    const producer = this.#media?.producer;
    if (!producer || producer.closed) return;
    producer.close();
    await this.#signaling.request('closeProducer', { producerId: producer.id });
  }

  /** Mutes or unmutes the microphone (the server pauses the producer, so nobody receives our audio). */
  async setMuted(muted: boolean): Promise<void> {
    if (this.#muted === muted) return;
    this.#muted = muted;
    this.emit('muteChanged', { muted, byServer: false });
    const producer = this.#media?.producer;
    if (producer && !producer.closed) {
      // Locally first: the browser stops sending at once, whatever the server's answer time.
      if (muted) producer.pause();
      else producer.resume();
      await this.#signaling.request(muted ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
    }
  }

  /** Leaves the room: tells the server, closes media, releases the microphone. Safe to call twice. */
  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    if (this.#signaling.connected) await this.#signaling.request('leave').catch(() => undefined);
    this.#teardown();
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(step);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Joins on the current connection: resumes the kept peer when possible, else builds everything anew. */
  async #establish(): Promise<void> {
    const previous = this.#media;
    let joined: JoinResponse | undefined;
    if (previous && this.#signaling.resumePeerId) {
      joined = await this.#join(previous.rtpCapabilities);
      if (joined.resumed) {
        this.#roster.reconcile(joined.peers);
        await previous.restartIce();
        return;
      }
    }
    this.#dropMedia();
    const routerCapabilities = await this.#signaling.request('getRouterRtpCapabilities');
    const media = await MediaSession.create(this.#signaling, routerCapabilities, this.#iceServers);
    this.#media = media;
    joined ??= await this.#join(media.rtpCapabilities);
    this.#roster.reconcile(joined.peers);
    if (joined.grants.canSubscribe) await media.transport('recv');
    const microphone = this.#microphone;
    if (microphone && microphone.readyState === 'live') await this.#produce(microphone);
  }

  async #join(rtpCapabilities: RtpCapabilities): Promise<JoinResponse> {
    const joined = await this.#signaling.request('join', { rtpCapabilities });
    this.#local = { peerId: joined.peerId, roomId: joined.roomId, role: joined.role, grants: joined.grants };
    this.#signaling.resumePeerId = joined.peerId;
    if (joined.takeover !== undefined) this.#copilot.apply(joined.takeover);
    return joined;
  }

  async #produce(track: MediaStreamTrack): Promise<void> {
    const media = this.#requireMedia();
    await media.produceAudio(track, { paused: this.#muted, audience: this.#audience });
    if (this.#muted) {
      const producerId = media.producer?.id;
      if (producerId) await this.#signaling.request('pauseProducer', { producerId });
    }
  }

  async #onNotification(notification: SignalingNotification): Promise<void> {
    switch (notification.method) {
      case 'peerJoined':
        this.#roster.add(notification.data);
        return;
      case 'peerLeft':
        this.#roster.remove(notification.data.peerId, notification.data.reason);
        return;
      case 'newConsumer':
        await this.#subscribe(notification.data);
        return;
      case 'consumerClosed':
        this.#roster.removeTrack(notification.data.consumerId);
        return;
      case 'consumerPaused':
      case 'consumerResumed':
        this.#roster.setTrackMuted(notification.data.consumerId, notification.method === 'consumerPaused');
        return;
      case 'producerPaused':
      case 'producerResumed':
        this.#applyServerMute(notification.data.producerId, notification.method === 'producerPaused');
        return;
      case 'producerClosed':
        if (this.#media?.producer?.id === notification.data.producerId) {
          // Not republished after a rejoin either: speaking again is the user's decision.
          this.#media.producer.close();
          this.#microphone?.stop();
          this.#microphone = undefined;
          this.emit('microphoneClosed', { reason: notification.data.reason });
        }
        return;
      case 'roomClosed':
        this.emit('roomClosed', notification.data);
        if (notification.data.rejoin && !this.#left)
          this.#rejoinFresh(notification.data.reason !== ROOM_MOVED_REASON);
        else this.#teardown();
        return;
      case 'activeSpeaker': {
        const { peerId } = notification.data;
        this.emit('activeSpeaker', { peerId, isLocal: peerId !== null && peerId === this.#local?.peerId });
        return;
      }
      case 'copilotState':
        this.#copilot.apply(notification.data.takeover);
        return;
      case 'transcript':
        this.emit('transcript', notification.data);
        return;
      case 'agentState':
        this.emit('agentState', notification.data);
        return;
      case 'turnMetrics':
        this.emit('turnMetrics', notification.data);
        return;
      case 'stageFailed':
        this.emit('stageFailed', notification.data);
        return;
    }
  }

  async #subscribe(info: Extract<SignalingNotification, { method: 'newConsumer' }>['data']): Promise<void> {
    const media = this.#media;
    if (!media || info.kind !== 'audio') return;
    const participant =
      this.#roster.participants.get(info.peerId) ??
      this.#roster.add({ peerId: info.peerId, displayName: '', role: undefined });
    try {
      const consumer = await media.consume(info);
      this.#roster.addTrack({
        consumerId: consumer.id,
        participant,
        track: consumer.track,
        muted: info.producerPaused,
      });
      await this.#signaling.request('resumeConsumer', { consumerId: consumer.id });
    } catch (error) {
      this.emit(
        'error',
        asVoiceRoomError(error, `could not receive ${participant.displayName || info.peerId}'s audio`),
      );
    }
  }

  #applyServerMute(producerId: string, muted: boolean): void {
    const producer = this.#media?.producer;
    if (!producer || producer.id !== producerId) return;
    if (muted) producer.pause();
    else producer.resume();
    this.#muted = muted;
    this.emit('muteChanged', { muted, byServer: true });
  }

  #onDisconnected(willReconnect: boolean): void {
    if (this.#left || this.#rejoining) return;
    if (willReconnect) this.#setState('reconnecting');
    else
      this.#fail(
        new VoiceRoomError(SdkErrorCode.disconnected, 'the server closed the connection; call again'),
      );
  }

  /** The socket came back: resume (or rebuild) on the new connection. */
  #recover(): void {
    this.#enqueue(() => this.#establish()).then(
      () => this.#setState('connected'),
      (error) => this.#onRecoveryFailed(error),
    );
  }

  /**
   * Joins the room anew as a new peer. `reconnect`: over a new connection (the server is going away, another
   * instance may answer); otherwise on this one, which is quicker (the room moved to another media worker).
   */
  #rejoinFresh(reconnect: boolean): void {
    this.#rejoining = true;
    this.#setState('reconnecting');
    this.#dropMedia();
    // Queued behind the current notification, so it never waits on itself.
    this.#enqueue(async () => {
      if (reconnect || !this.#signaling.connected) await this.#signaling.reconnectFresh();
      else this.#signaling.resumePeerId = undefined;
      await this.#establish();
    }).then(
      () => {
        this.#rejoining = false;
        this.#setState('connected');
      },
      (error) => {
        this.#rejoining = false;
        this.#onRecoveryFailed(error);
      },
    );
  }

  #onRecoveryFailed(error: unknown): void {
    const roomError = asVoiceRoomError(error, 'could not rejoin the room after the connection came back');
    if (FATAL_CODES.has(roomError.code) || !this.#signaling.connected) this.#fail(roomError);
    else this.emit('error', roomError);
  }

  #fail(error: VoiceRoomError): void {
    if (this.#left) return;
    this.emit('error', error);
    this.#left = true;
    this.#teardown();
  }

  /** Closes the media session, announcing every remote track as unsubscribed. */
  #dropMedia(): void {
    this.#roster.removeAllTracks();
    this.#media?.close();
    this.#media = undefined;
  }

  #teardown(): void {
    this.#left = true;
    this.#dropMedia();
    this.#microphone?.stop();
    this.#microphone = undefined;
    this.#signaling.close();
    this.#setState('disconnected');
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('connectionStateChanged', state);
  }

  #requireMedia(): MediaSession {
    if (!this.#media)
      throw new VoiceRoomError(SdkErrorCode.roomLeft, 'not joined to a room; call connect() again');
    return this.#media;
  }

  #assertJoined(): void {
    if (this.#left || !this.#local) {
      throw new VoiceRoomError(SdkErrorCode.roomLeft, 'this room was left; call connect() again to rejoin');
    }
  }
}
