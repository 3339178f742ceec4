import { SdkErrorCode, VoiceRoomError } from './errors.ts';

/** Voice defaults: the browser's echo cancellation, noise suppression and gain control. */
export const DEFAULT_MICROPHONE: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/** Opens the microphone; a refusal or a missing device becomes microphone_unavailable with what to do. */
export async function captureMicrophone(constraints: MediaTrackConstraints): Promise<MediaStreamTrack> {
  let track: MediaStreamTrack | undefined;
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: constraints, video: false });
    track = stream.getAudioTracks()[0];
  } catch (cause) {
    throw new VoiceRoomError(
      SdkErrorCode.microphoneUnavailable,
      'could not open the microphone; allow microphone access for this page and check a device is connected',
      { cause },
    );
  }
  if (!track)
    throw new VoiceRoomError(SdkErrorCode.microphoneUnavailable, 'the microphone gave no audio track');
  return track;
}
