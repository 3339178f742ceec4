import type { RoomRole } from '@voiceroom/protocol';
import { LIVEKIT_TRACKS, LiveKitParticipantMetadataSchema } from '@voiceroom/protocol';
import {
  ConnectionError,
  ConnectionErrorReason,
  ConnectionState,
  DisconnectReason,
  type Participant as LiveKitParticipant,
  Room as LiveKitRoom,
  type LocalTrackPublication,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  RoomEvent,
  Track,
  type TrackPublication,
} from 'livekit-client';
import { asVoiceRoomError, SdkErrorCode, VoiceRoomError } from './errors.ts';
import type { MediaBackend, MediaBackendHost, Publication } from './mediaBackend.ts';
import type { Participant } from './types.ts';

export interface LiveKitBackendOptions {
  /** The LiveKit server's WebSocket URL and this participant's access token, from the call ticket. */
  url: string;
  token: string;
}

/** Roles that may hear a whisper (staff-only audio): the AI agent and staff, never a customer. */
const WHISPER_AUDIENCE = new Set<RoomRole>(['agent_ai', 'human_agent', 'supervisor']);

/** Disconnect reasons after which the same token cannot bring us back into this room. */
const FINAL_DISCONNECTS = new Map<DisconnectReason, string>([
  [DisconnectReason.ROOM_DELETED, 'room_ended'],
  [DisconnectReason.ROOM_CLOSED, 'room_ended'],
  [DisconnectReason.PARTICIPANT_REMOVED, 'kicked'],
  [DisconnectReason.DUPLICATE_IDENTITY, 'connection_replaced'],
]);

/**
 * Media through a LiveKit room (livekit-client): our socket.io signaling still joins the call for control, events
 * and captions (`mediaBackend: 'livekit'`, no mediasoup transports), and the audio goes through LiveKit. Peers are
 * LiveKit identities with the role and name from their token's metadata; the server hides silent listeners. A
 * whisper is a track named `whisper` whose subscribe permission excludes every participant not known as staff or
 * agent, so a customer (or anyone whose role is unknown) is never sent it.
 */
export class LiveKitBackend implements MediaBackend {
  readonly #host: MediaBackendHost;
  readonly #options: LiveKitBackendOptions;
  #room: LiveKitRoom | undefined;
  /** Our microphone as LiveKit publishes it; a full reconnect unpublishes and republishes the same track. */
  #microphone: MediaStreamTrack | undefined;
  #publication: LocalTrackPublication | undefined;
  #whispering = false;
  #expectMuted = false;
  #localPeerId: string | undefined;
  #speaker: string | null = null;

  constructor(host: MediaBackendHost, options: LiveKitBackendOptions) {
    this.#host = host;
    this.#options = options;
  }

  async establish(microphone: Publication | undefined): Promise<void> {
    const joined = await this.#host.signaling.request('join', {
      rtpCapabilities: {},
      mediaBackend: 'livekit',
    });
    this.#localPeerId = joined.peerId;
    this.#host.joined(joined);
    // Signaling came back on its own: LiveKit keeps (and recovers) its own connection.
    if (this.#room) return;
    const room = new LiveKitRoom({
      adaptiveStream: false,
      dynacast: false,
      stopLocalTrackOnUnpublish: false,
    });
    this.#wire(room);
    this.#room = room;
    try {
      await room.connect(this.#options.url, this.#options.token, { autoSubscribe: true });
    } catch (error) {
      this.#room = undefined;
      room.removeAllListeners();
      throw connectError(error);
    }
    this.#host.roster.reconcile([...room.remoteParticipants.values()].map(toParticipant));
    if (microphone && microphone.track.readyState === 'live') await this.publish(microphone);
  }

  async publish({ track, audience, muted }: Publication): Promise<void> {
    const room = this.#requireRoom();
    if (!room.localParticipant.permissions?.canPublish) {
      throw new VoiceRoomError(
        'forbidden',
        'your room token does not allow speaking in this call; take the call over or join with a speaking token',
      );
    }
    this.#whispering = audience === 'staff';
    // Before the track exists, so no customer is ever offered a whisper.
    this.#applySubscribePermissions(room);
    this.#expectMuted = muted;
    this.#microphone = track;
    const publication = await room.localParticipant
      .publishTrack(track, {
        name: this.#whispering ? LIVEKIT_TRACKS.whisper : LIVEKIT_TRACKS.mic,
        source: Track.Source.Microphone,
        // As on mediasoup: no DTX, so the agent's VAD and the caller's silence detection see a steady stream.
        dtx: false,
        stopMicTrackOnMute: false,
      })
      .catch((error: unknown) => {
        this.#microphone = undefined;
        throw publishError(error);
      });
    this.#publication = publication;
    if (muted) await publication.mute();
  }

  async unpublish(): Promise<void> {
    const track = this.#publication?.track;
    this.#publication = undefined;
    this.#microphone = undefined;
    if (track && this.#room) await this.#room.localParticipant.unpublishTrack(track, false);
  }

  async setMuted(muted: boolean): Promise<void> {
    this.#expectMuted = muted;
    const publication = this.#publication;
    if (!publication) return;
    if (muted) await publication.mute();
    else await publication.unmute();
  }

  async onNotification(): Promise<void> {
    // Peers, tracks and speakers come from LiveKit; our signaling carries none of them for a LiveKit peer.
  }

  releaseTrack(): void {
    // LiveKit ends a subscription itself (it told us, or we are leaving the LiveKit room).
  }

  drop(): void {
    this.#host.roster.removeAllTracks();
    const room = this.#room;
    this.#room = undefined;
    this.#publication = undefined;
    this.#microphone = undefined;
    this.#speaker = null;
    if (!room) return;
    room.removeAllListeners();
    room.disconnect(false).catch(() => undefined);
  }

  #wire(room: LiveKitRoom): void {
    const { roster } = this.#host;
    const known = (p: RemoteParticipant): Participant =>
      roster.participants.get(p.identity) ?? roster.add(toParticipant(p));
    room.on(RoomEvent.ParticipantConnected, (p) => {
      known(p);
      if (this.#whispering) this.#applySubscribePermissions(room);
    });
    room.on(RoomEvent.ParticipantMetadataChanged, () => {
      if (this.#whispering) this.#applySubscribePermissions(room);
    });
    room.on(RoomEvent.ParticipantDisconnected, (p) => roster.remove(p.identity, 'left'));
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, publication: RemoteTrackPublication, p) => {
      if (track.kind !== Track.Kind.Audio) return;
      roster.addTrack({
        consumerId: publication.trackSid,
        participant: known(p),
        track: track.mediaStreamTrack,
        muted: publication.isMuted,
      });
    });
    room.on(RoomEvent.TrackUnsubscribed, (_track, publication) => roster.removeTrack(publication.trackSid));
    room.on(RoomEvent.TrackMuted, (publication, p) => this.#onMuted(publication, p, true));
    room.on(RoomEvent.TrackUnmuted, (publication, p) => this.#onMuted(publication, p, false));
    room.on(RoomEvent.LocalTrackPublished, (publication) => {
      if (this.#microphone && publication.track?.mediaStreamTrack === this.#microphone)
        this.#publication = publication;
    });
    room.on(RoomEvent.LocalTrackUnpublished, (publication) => {
      // While LiveKit reconnects it unpublishes and then republishes our track itself.
      if (publication.trackSid !== this.#publication?.trackSid || room.state !== ConnectionState.Connected)
        return;
      this.#publication = undefined;
      this.#microphone = undefined;
      this.#host.microphoneClosed('unpublished');
    });
    room.on(RoomEvent.ActiveSpeakersChanged, (speakers) => this.#onSpeakers(room, speakers));
    room.on(RoomEvent.Reconnecting, () => this.#host.connectionChanged('reconnecting'));
    room.on(RoomEvent.Reconnected, () => this.#host.connectionChanged('connected'));
    room.on(RoomEvent.Disconnected, (reason) => {
      if (this.#room !== room || reason === DisconnectReason.CLIENT_INITIATED) return;
      const final = reason === undefined ? undefined : FINAL_DISCONNECTS.get(reason);
      const name = reason === undefined ? 'unknown' : DisconnectReason[reason]?.toLowerCase();
      this.#host.closed(final ?? `livekit_${name ?? 'unknown'}`, final === undefined);
    });
  }

  #onMuted(publication: TrackPublication, participant: LiveKitParticipant, muted: boolean): void {
    if (participant === this.#room?.localParticipant) {
      if (publication.trackSid !== this.#publication?.trackSid || muted === this.#expectMuted) return;
      this.#expectMuted = muted;
      this.#host.serverMuted(muted);
      return;
    }
    this.#host.roster.setTrackMuted(publication.trackSid, muted);
  }

  #onSpeakers(room: LiveKitRoom, speakers: LiveKitParticipant[]): void {
    const loudest = speakers[0];
    const isLocal = loudest !== undefined && loudest === room.localParticipant;
    const peerId = loudest === undefined ? null : isLocal ? (this.#localPeerId ?? null) : loudest.identity;
    if (peerId === this.#speaker) return;
    this.#speaker = peerId;
    this.#host.activeSpeaker(peerId, isLocal);
  }

  /** Everyone may subscribe to our voice; a whisper only the agent and staff (by their token's role). */
  #applySubscribePermissions(room: LiveKitRoom): void {
    if (!this.#whispering) {
      room.localParticipant.setTrackSubscriptionPermissions(true);
      return;
    }
    const allowed = [...room.remoteParticipants.values()]
      .filter((p) => {
        const role = roleOf(p);
        return role !== undefined && WHISPER_AUDIENCE.has(role);
      })
      .map((p) => ({ participantIdentity: p.identity, allowAll: true }));
    room.localParticipant.setTrackSubscriptionPermissions(false, allowed);
  }

  #requireRoom(): LiveKitRoom {
    if (!this.#room)
      throw new VoiceRoomError(SdkErrorCode.roomLeft, 'not joined to a room; call connect() again');
    return this.#room;
  }
}

function metadataOf(p: LiveKitParticipant): { role?: RoomRole; name?: string } {
  if (!p.metadata) return {};
  try {
    const parsed = LiveKitParticipantMetadataSchema.safeParse(JSON.parse(p.metadata));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function roleOf(p: LiveKitParticipant): RoomRole | undefined {
  return metadataOf(p).role;
}

function toParticipant(p: LiveKitParticipant): Participant {
  const metadata = metadataOf(p);
  return { peerId: p.identity, displayName: metadata.name ?? p.name ?? '', role: metadata.role };
}

/** LiveKit refuses a publish its token's grants do not allow (canPublish, canPublishSources): that is `forbidden`. */
function publishError(error: unknown): VoiceRoomError {
  if (error instanceof Error && /insufficient permissions/i.test(error.message)) {
    return new VoiceRoomError(
      'forbidden',
      'your call ticket does not allow publishing this audio in this call',
      {
        cause: error,
      },
    );
  }
  return asVoiceRoomError(error, 'could not publish the microphone');
}

function connectError(error: unknown): VoiceRoomError {
  if (error instanceof ConnectionError && error.reason === ConnectionErrorReason.NotAllowed) {
    return new VoiceRoomError(
      'unauthorized',
      'the media server refused this call ticket (expired or for another room); start the call again',
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new VoiceRoomError(
    SdkErrorCode.connectFailed,
    `could not reach the media server (${detail}); check your network and try again`,
    { cause: error },
  );
}
