import { CodedError, type MediaTicket, MediaTicketSchema } from '@voiceroom/protocol';

/** What POST /api/calls answers: the room of the new call, a room token and where the media goes. */
export interface CallTicket {
  roomId: string;
  token: string;
  iceServers: RTCIceServer[];
  media: MediaTicket;
}

export class CallApiError extends CodedError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'CallApiError';
  }
}

/** Starts a call with the server at `serverUrl` (optionally with a specific agent) and returns its ticket. */
export async function startCall(serverUrl: string, agentId?: string): Promise<CallTicket> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/calls', serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(agentId ? { agentId } : {}),
    });
  } catch {
    throw new CallApiError(
      'network_error',
      'could not reach the call service; check your connection and try again',
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new CallApiError(
      typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      typeof error?.message === 'string'
        ? error.message
        : `the call could not be started (${response.status})`,
    );
  }
  const { roomId, token, iceServers, media } = (body ?? {}) as {
    roomId?: unknown;
    token?: unknown;
    iceServers?: unknown;
    media?: unknown;
  };
  if (typeof roomId !== 'string' || roomId === '' || typeof token !== 'string' || token === '') {
    throw new CallApiError(
      'bad_response',
      'the call service answered without a room and token; try again later',
    );
  }
  // A server from before the LiveKit backend sends no `media`: its calls are on mediasoup.
  const parsedMedia = MediaTicketSchema.safeParse(media ?? { backend: 'mediasoup' });
  if (!parsedMedia.success) {
    throw new CallApiError(
      'BAD_RESPONSE',
      'the call service answered with an unusable media ticket; try again later',
    );
  }
  return {
    roomId,
    token,
    iceServers: Array.isArray(iceServers) ? (iceServers as RTCIceServer[]) : [],
    media: parsedMedia.data,
  };
}
