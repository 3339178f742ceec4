import {
  FfiRequest,
  livekitFfiRequest,
  SetTrackSubscriptionPermissionsRequest,
} from '@livekit/rtc-ffi-bindings';
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  type LocalTrackPublication,
  type Room,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';

const RATE = 48_000;
const FRAME = RATE / 50;

/** A published microphone track fed with quiet noise every 20 ms until `stop()`. */
export async function publishAudio(
  room: Room,
  name: string,
): Promise<{ publication: LocalTrackPublication; stop(): Promise<void> }> {
  const source = new AudioSource(RATE, 1);
  const track = LocalAudioTrack.createAudioTrack(name, source);
  const publication = await room.localParticipant?.publishTrack(
    track,
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
  );
  if (!publication) throw new Error('not connected');
  const samples = new Int16Array(FRAME).map(() => Math.round((Math.random() - 0.5) * 200));
  const timer = setInterval(() => {
    source.captureFrame(new AudioFrame(samples, RATE, 1, FRAME)).catch(() => {});
  }, 20);
  return {
    publication,
    async stop() {
      clearInterval(timer);
      await track.close();
    },
  };
}

/**
 * The publisher's per-track subscribe permissions, enforced by the SFU: only the listed identities may subscribe, to
 * all of its tracks or to the listed ones. (What livekit-client's setTrackSubscriptionPermissions sends; rtc-node
 * 1.1 does not wrap the FFI call yet.)
 */
export function allowSubscribers(
  room: Room,
  permissions: { participantIdentity: string; allowAll?: boolean; allowedTrackSids?: string[] }[],
): void {
  const handle = room.localParticipant?.ffi_handle.handle;
  if (handle === undefined) throw new Error('not connected');
  const request = new FfiRequest({
    message: {
      case: 'setTrackSubscriptionPermissions',
      value: new SetTrackSubscriptionPermissionsRequest({
        localParticipantHandle: handle,
        allParticipantsAllowed: false,
        permissions: permissions.map((p) => ({ ...p, allowedTrackSids: p.allowedTrackSids ?? [] })),
      }),
    },
  });
  livekitFfiRequest(request.toBinary());
}
