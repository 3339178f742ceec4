import { CodedError } from '@voiceroom/protocol';
import type { Socket } from 'socket.io';
import { HandshakeRefusal } from '../signaling/HandshakeRefusal.ts';

function unauthorized(detail: string): HandshakeRefusal<'unauthorized'> {
  const error = new CodedError('unauthorized', `Agent workers need a valid service token: ${detail}`);
  return new HandshakeRefusal(error, ['unauthorized']);
}

/**
 * socket.io middleware admitting only connections whose handshake carries a valid service token
 * (`auth: { token }`); refusals reach the client as `connect_error` with `data: { code, message }`.
 */
export function serviceTokenAuth(tokens: { verifyServiceToken(token: string): Promise<{ name: string }> }) {
  return (socket: Socket, next: (error?: Error) => void): void => {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || token === '') {
      next(unauthorized('A service token is required.'));
      return;
    }
    tokens.verifyServiceToken(token).then(
      (claims) => {
        socket.data.serviceName = claims.name;
        next();
      },
      (error: unknown) => next(unauthorized(error instanceof Error ? error.message : 'invalid token')),
    );
  };
}
