import type { SignalingErrorCode } from '@voiceroom/sdk/protocol';

/** A refusal from the media layer that the signaling layer passes on to the client as `{ code, message }`. */
export class MediaError extends Error {
  readonly code: SignalingErrorCode;

  constructor(code: SignalingErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MediaError';
    this.code = code;
  }
}
