import { toWireError, type WireError } from '@voiceroom/protocol';

/**
 * What a socket.io namespace middleware passes to next() to refuse a connection (/rtc, /console, /agents): the
 * client's connect_error has the code as its message and `data: { code, message }`. A CodedError whose code the
 * namespace does not define becomes internal_error, its message withheld.
 */
export class HandshakeRefusal<C extends string> extends Error {
  readonly data: WireError<C | 'internal_error'>;

  constructor(error: unknown, codes: readonly C[]) {
    const data = toWireError(error, codes);
    super(data.code);
    this.name = 'HandshakeRefusal';
    this.data = data;
  }
}
