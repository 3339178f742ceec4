import type { MediaTicket } from '@voiceroom/protocol';
import { SdkErrorCode, VoiceRoomError } from './errors.ts';
import { MediasoupBackend } from './MediasoupBackend.ts';
import type { MediaBackend, MediaBackendHost } from './mediaBackend.ts';

export interface MediaBackendOptions {
  iceServers: RTCIceServer[];
  ticket: MediaTicket;
}

export type MediaBackendFactory = (host: MediaBackendHost) => MediaBackend;

/** The backend the ticket names; LiveKit's client is loaded only for LiveKit rooms (its own bundle chunk). */
export async function loadMediaBackend(options: MediaBackendOptions): Promise<MediaBackendFactory> {
  const { ticket, iceServers } = options;
  if (ticket.backend === 'livekit') {
    const { LiveKitBackend } = await import('./LiveKitBackend.ts').catch((cause: unknown) => {
      throw new VoiceRoomError(
        SdkErrorCode.connectFailed,
        'could not load the voice client for this call; check your network and reload the page',
        { cause },
      );
    });
    return (host) => new LiveKitBackend(host, { url: ticket.url, token: ticket.token });
  }
  return (host) => new MediasoupBackend(host, iceServers);
}
