import type { JoinResponse, SignalingNotification } from '@voiceroom/protocol';
import type { VoiceRoomError } from './errors.ts';
import type { Roster } from './Roster.ts';
import type { SignalingClient } from './SignalingClient.ts';
import type { Audience, ConnectionState } from './types.ts';

/** The microphone as the Room holds it: the backend publishes it with these settings. */
export interface Publication {
  readonly track: MediaStreamTrack;
  readonly audience: Audience;
  readonly muted: boolean;
}

/** What a backend reports up to its Room (it never drives the Room otherwise). */
export interface MediaBackendHost {
  readonly signaling: SignalingClient;
  /** Who is in the room and which tracks we receive: the backend keeps it current. */
  readonly roster: Roster;
  /** The signaling join succeeded (fresh or resumed). */
  joined(response: JoinResponse): void;
  activeSpeaker(peerId: string | null, isLocal: boolean): void;
  /** The SFU muted or unmuted our microphone. */
  serverMuted(muted: boolean): void;
  /** The SFU stopped our microphone; publishing again is the user's decision. */
  microphoneClosed(reason: string): void;
  /** The media connection is recovering (or recovered) on its own. */
  connectionChanged(state: Exclude<ConnectionState, 'disconnected'>): void;
  /** The media side of the room ended; with `rejoin` the Room joins again as a fresh peer. */
  closed(reason: string, rejoin: boolean): void;
  error(error: VoiceRoomError): void;
}

/**
 * The media half of a Room: mediasoup (our SFU, signaled over socket.io) or LiveKit (livekit-client). The Room keeps
 * signaling, co-pilot, captions and connection state; the backend joins, publishes and receives.
 */
export interface MediaBackend {
  /** Joins on the current signaling connection; (re)publishes `microphone` when the media was built anew. */
  establish(microphone: Publication | undefined): Promise<void>;
  publish(publication: Publication): Promise<void>;
  /** Stops publishing (the Room releases the microphone). */
  unpublish(): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  /** A signaling notification about peers, tracks or speakers (call events are the Room's). */
  onNotification(notification: SignalingNotification): Promise<void>;
  /** The Roster dropped a track: release what receives it. */
  releaseTrack(trackId: string): void;
  /** Closes the media, announcing every remote track as unsubscribed; establish() builds it again. */
  drop(): void;
}
