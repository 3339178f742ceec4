/** Every error the SDK surfaces carries a machine-readable `code` and a message that says what to do. */
export class VoiceRoomError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VoiceRoomError';
    this.code = code;
  }
}

/** Codes raised by the SDK itself (the server's codes pass through unchanged). */
export const SdkErrorCode = {
  connectFailed: 'CONNECT_FAILED',
  requestTimeout: 'REQUEST_TIMEOUT',
  disconnected: 'DISCONNECTED',
  badResponse: 'BAD_RESPONSE',
  microphoneUnavailable: 'MICROPHONE_UNAVAILABLE',
  roomLeft: 'ROOM_LEFT',
} as const;

/** Keeps a VoiceRoomError as is; wraps anything else as `internal` with what was being done. */
export function asVoiceRoomError(error: unknown, context: string): VoiceRoomError {
  if (error instanceof VoiceRoomError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new VoiceRoomError('internal', `${context}: ${detail}`, { cause: error });
}
