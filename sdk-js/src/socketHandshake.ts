import type { Socket } from 'socket.io-client';
import { SdkErrorCode, VoiceRoomError } from './errors.ts';

/**
 * Opens `socket`'s first connection; rejects with the server's code (e.g. `unauthorized`) when the handshake is
 * refused. `what` names the endpoint in the error of an unreachable one ("the console channel").
 */
export function openSocket(socket: Socket, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onConnect = (): void => {
      socket.off('connect_error', onError);
      resolve();
    };
    const onError = (error: Error): void => {
      // A refused handshake is final; a network failure would be retried by socket.io, but a first
      // connection that cannot be made is reported to the caller instead.
      socket.off('connect', onConnect);
      socket.disconnect();
      reject(handshakeError(error, what));
    };
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
    socket.connect();
  });
}

/** The server's refusal (its code and message) from a `connect_error`, or `connect_failed` naming `what`. */
export function handshakeError(error: Error & { data?: unknown }, what: string): VoiceRoomError {
  const data = error.data as { code?: unknown; message?: unknown } | undefined;
  if (typeof data?.code === 'string') {
    return new VoiceRoomError(data.code, typeof data.message === 'string' ? data.message : error.message);
  }
  return new VoiceRoomError(
    SdkErrorCode.connectFailed,
    `could not reach ${what} (${error.message}); check the URL and your network`,
    { cause: error },
  );
}
