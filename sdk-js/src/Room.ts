import type { SignalingNotification } from '@voiceroom/protocol';
import { Copilot } from './Copilot.ts';
import { asVoiceRoomError, SdkErrorCode, VoiceRoomError } from './errors.ts';
import { loadMediaBackend, type MediaBackendFactory } from './loadMediaBackend.ts';
import type { MediaBackend, MediaBackendHost } from './mediaBackend.ts';
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
 * The media half is a MediaBackend (mediasoup or LiveKit, as the call ticket says); signaling, co-pilot, captions
 * and the connection state are the Room's on both.
 */
export class Room extends TypedEmitter<RoomEvents> {
  readonly #signaling: SignalingClient;
  readonly #roster = new Roster(
    (event, payload) => this.emit(event, payload as RoomEvents[typeof event]),
    (trackId) => this.#backend.releaseTrack(trackId),
  );
  readonly #copilot: Copilot;
  readonly #backend: MediaBackend;
  #local: LocalPeer | undefined;
  #microphone: MediaStreamTrack | undefined;
  #audience: Audience = 'everyone';
  #muted = false;
  #state: ConnectionState = 'disconnected';
  #left = false;
  #rejoining = false;
  #queue: Promise<void> = Promise.resolve();

  private constructor(url: string, token: string, options: ConnectOptions, backend: MediaBackendFactory) {
    super();
    this.#signaling = new SignalingClient({
      url,
      token,
      transports: options.transports,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.#copilot = new Copilot(this.#signaling, (takeover) => this.emit('copilotState', { takeover }));
    this.#backend = backend(this.#backendHost());
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
    const backend = await loadMediaBackend({
      iceServers: options.iceServers ?? [],
      ticket: options.media ?? { backend: 'mediasoup' },
    });
    const room = new Room(url, token, options, backend);
    try {
      await room.#signaling.connect();
      await room.#enqueue(() => room.#backend.establish(undefined));
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
      await this.#enqueue(() =>
        this.#backend.publish({ track: microphone, audience: this.#audience, muted: this.#muted }),
      );
    } catch (error) {
      microphone.stop();
      throw error;
    }
    this.#microphone = microphone;
    return microphone;
  }

  /** Stops publishing and releases the microphone (publish again to speak). */
  async unpublishMicrophone(): Promise<void> {
    const microphone = this.#microphone;
    this.#microphone = undefined;
    microphone?.stop();
    await this.#backend.unpublish();
  }

  /** Mutes or unmutes the microphone (the SFU is told too, so nobody receives our audio). */
  async setMuted(muted: boolean): Promise<void> {
    if (this.#muted === muted) return;
    this.#muted = muted;
    this.emit('muteChanged', { muted, byServer: false });
    await this.#backend.setMuted(muted);
  }

  /** Leaves the room: tells the server, closes media, releases the microphone. Safe to call twice. */
  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    if (this.#signaling.connected) await this.#signaling.request('leave').catch(() => undefined);
    this.#teardown();
  }

  #backendHost(): MediaBackendHost {
    return {
      signaling: this.#signaling,
      roster: this.#roster,
      joined: (joined) => {
        this.#local = {
          peerId: joined.peerId,
          roomId: joined.roomId,
          role: joined.role,
          grants: joined.grants,
        };
        this.#signaling.resumePeerId = joined.peerId;
        if (joined.takeover !== undefined) this.#copilot.apply(joined.takeover);
      },
      activeSpeaker: (peerId, isLocal) => this.emit('activeSpeaker', { peerId, isLocal }),
      serverMuted: (muted) => {
        this.#muted = muted;
        this.emit('muteChanged', { muted, byServer: true });
      },
      microphoneClosed: (reason) => {
        // Not republished after a rejoin either: speaking again is the user's decision.
        this.#microphone?.stop();
        this.#microphone = undefined;
        this.emit('microphoneClosed', { reason });
      },
      connectionChanged: (state) => {
        if (!this.#left && !this.#rejoining) this.#setState(state);
      },
      closed: (reason, rejoin) => this.#onRoomClosed(reason, rejoin),
      error: (error) => this.emit('error', error),
    };
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(step);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Re-establishes on the current connection, republishing a live microphone if the media was rebuilt. */
  #establish(): Promise<void> {
    const track = this.#microphone;
    const microphone = track ? { track, audience: this.#audience, muted: this.#muted } : undefined;
    return this.#backend.establish(microphone);
  }

  async #onNotification(notification: SignalingNotification): Promise<void> {
    switch (notification.method) {
      case 'roomClosed':
        this.#onRoomClosed(notification.data.reason, notification.data.rejoin);
        return;
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
      default:
        await this.#backend.onNotification(notification);
    }
  }

  #onRoomClosed(reason: string, rejoin: boolean): void {
    // Also after a failed rejoin: the app learns why the call ended (a server that restarted says so first).
    this.emit('roomClosed', { reason, rejoin: rejoin && !this.#left });
    if (this.#left) return;
    // A room moved off a dead media worker is rejoined on the same connection; otherwise over a new one.
    if (rejoin) this.#rejoinFresh(reason !== ROOM_MOVED_REASON);
    else this.#teardown();
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
    this.#backend.drop();
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

  #teardown(): void {
    this.#left = true;
    this.#backend.drop();
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

  #assertJoined(): void {
    if (this.#left || !this.#local) {
      throw new VoiceRoomError(SdkErrorCode.roomLeft, 'this room was left; call connect() again to rejoin');
    }
  }
}
