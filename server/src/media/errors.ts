import { CodedError, type SignalingErrorCode } from '@voiceroom/protocol';

/** A refusal from the media layer that the signaling layer passes on to the client as `{ code, message }`. */
export class MediaError extends CodedError<SignalingErrorCode> {
  constructor(code: SignalingErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, { cause: options?.cause });
    this.name = 'MediaError';
  }
}

/** The refusal for a join into a room whose call has ended. */
export function callEndedError(): MediaError {
  return new MediaError('call_ended', 'The call in this room has ended: start a new call.');
}

/** Close reasons after which clients are told to rejoin (Room.close(reason, true)): the call may go on. */
export const REJOINABLE_CLOSE_REASONS: readonly string[] = ['worker_died', 'server_shutdown'];
