import { CodedError, INTERNAL_ERROR } from '@voiceroom/protocol';

/** Every error the SDK surfaces carries a machine-readable lower_snake `code` and a message that says what to do. */
export class VoiceRoomError extends CodedError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.name = 'VoiceRoomError';
  }
}

/** Codes raised by the SDK itself (the server's codes pass through unchanged). */
export const SdkErrorCode = {
  connectFailed: 'connect_failed',
  requestTimeout: 'request_timeout',
  disconnected: 'disconnected',
  badResponse: 'bad_response',
  microphoneUnavailable: 'microphone_unavailable',
  roomLeft: 'room_left',
  unsupportedBrowser: 'unsupported_browser',
} as const;

/** Keeps a VoiceRoomError as is; wraps anything else as `internal_error` with what was being done. */
export function asVoiceRoomError(error: unknown, context: string): VoiceRoomError {
  if (error instanceof VoiceRoomError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new VoiceRoomError(INTERNAL_ERROR, `${context}: ${detail}`, { cause: error });
}
