import type {
  JoinResponse,
  RtpCapabilities,
  SignalingNotification,
  SignalingNotificationData,
} from '@voiceroom/protocol';
import { asVoiceRoomError, SdkErrorCode, VoiceRoomError } from './errors.ts';
import { MediaSession } from './MediaSession.ts';
import type { MediaBackend, MediaBackendHost, Publication } from './mediaBackend.ts';

/**
 * Media on our mediasoup SFU: a MediaSession (mediasoup-client Device and transports) signaled over socket.io. Peers,
 * consumers and speakers arrive as signaling notifications; a reconnect resumes the kept peer when the server still
 * has it.
 */
export class MediasoupBackend implements MediaBackend {
  readonly #host: MediaBackendHost;
  readonly #iceServers: RTCIceServer[];
  #media: MediaSession | undefined;
  #localPeerId: string | undefined;

  constructor(host: MediaBackendHost, iceServers: RTCIceServer[]) {
    this.#host = host;
    this.#iceServers = iceServers;
  }

  async establish(microphone: Publication | undefined): Promise<void> {
    const { signaling, roster } = this.#host;
    const previous = this.#media;
    let joined: JoinResponse | undefined;
    if (previous && signaling.resumePeerId) {
      joined = await this.#join(previous.rtpCapabilities);
      if (joined.resumed) {
        roster.reconcile(joined.peers);
        await previous.restartIce();
        return;
      }
    }
    this.drop();
    const routerCapabilities = await signaling.request('getRouterRtpCapabilities');
    const media = await MediaSession.create(signaling, routerCapabilities, this.#iceServers);
    this.#media = media;
    joined ??= await this.#join(media.rtpCapabilities);
    roster.reconcile(joined.peers);
    if (joined.grants.canSubscribe) await media.transport('recv');
    if (microphone && microphone.track.readyState === 'live') await this.publish(microphone);
  }

  async publish({ track, audience, muted }: Publication): Promise<void> {
    const media = this.#requireMedia();
    await media.produceAudio(track, { paused: muted, audience });
    if (muted) {
      const producerId = media.producer?.id;
      if (producerId) await this.#host.signaling.request('pauseProducer', { producerId });
    }
  }

  async unpublish(): Promise<void> {
    const producer = this.#media?.producer;
    if (!producer || producer.closed) return;
    producer.close();
    await this.#host.signaling.request('closeProducer', { producerId: producer.id });
  }

  async setMuted(muted: boolean): Promise<void> {
    const producer = this.#media?.producer;
    if (!producer || producer.closed) return;
    // Locally first: the browser stops sending at once, whatever the server's answer time.
    if (muted) producer.pause();
    else producer.resume();
    await this.#host.signaling.request(muted ? 'pauseProducer' : 'resumeProducer', {
      producerId: producer.id,
    });
  }

  async onNotification(notification: SignalingNotification): Promise<void> {
    const { roster } = this.#host;
    switch (notification.method) {
      case 'peerJoined':
        roster.add(notification.data);
        return;
      case 'peerLeft':
        roster.remove(notification.data.peerId, notification.data.reason);
        return;
      case 'newConsumer':
        await this.#subscribe(notification.data);
        return;
      case 'consumerClosed':
        roster.removeTrack(notification.data.consumerId);
        return;
      case 'consumerPaused':
      case 'consumerResumed':
        roster.setTrackMuted(notification.data.consumerId, notification.method === 'consumerPaused');
        return;
      case 'producerPaused':
      case 'producerResumed':
        this.#applyServerMute(notification.data.producerId, notification.method === 'producerPaused');
        return;
      case 'producerClosed':
        if (this.#media?.producer?.id === notification.data.producerId) {
          this.#media.producer.close();
          this.#host.microphoneClosed(notification.data.reason);
        }
        return;
      case 'activeSpeaker': {
        const { peerId } = notification.data;
        this.#host.activeSpeaker(peerId, peerId !== null && peerId === this.#localPeerId);
        return;
      }
      default:
        return;
    }
  }

  releaseTrack(consumerId: string): void {
    this.#media?.closeConsumer(consumerId);
  }

  drop(): void {
    this.#host.roster.removeAllTracks();
    this.#media?.close();
    this.#media = undefined;
  }

  async #join(rtpCapabilities: RtpCapabilities): Promise<JoinResponse> {
    const joined = await this.#host.signaling.request('join', { rtpCapabilities });
    this.#localPeerId = joined.peerId;
    this.#host.joined(joined);
    return joined;
  }

  async #subscribe(info: SignalingNotificationData<'newConsumer'>): Promise<void> {
    const media = this.#media;
    if (!media || info.kind !== 'audio') return;
    const { roster, signaling } = this.#host;
    const participant = roster.addHeardOnly(info.peerId);
    try {
      const consumer = await media.consume(info);
      roster.addTrack({
        consumerId: consumer.id,
        participant,
        track: consumer.track,
        muted: info.producerPaused,
      });
      await signaling.request('resumeConsumer', { consumerId: consumer.id });
    } catch (error) {
      this.#host.error(
        asVoiceRoomError(error, `could not receive ${participant.displayName || info.peerId}'s audio`),
      );
    }
  }

  #applyServerMute(producerId: string, muted: boolean): void {
    const producer = this.#media?.producer;
    if (!producer || producer.id !== producerId) return;
    if (muted) producer.pause();
    else producer.resume();
    this.#host.serverMuted(muted);
  }

  #requireMedia(): MediaSession {
    if (!this.#media)
      throw new VoiceRoomError(SdkErrorCode.roomLeft, 'not joined to a room; call connect() again');
    return this.#media;
  }
}
