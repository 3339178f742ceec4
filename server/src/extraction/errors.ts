/** Why one extraction attempt failed, and whether the job queue should try again. */
export type ExtractionErrorCode =
  | 'provider_unreachable'
  | 'provider_timeout'
  | 'provider_rate_limited'
  | 'provider_error'
  | 'provider_rejected'
  | 'invalid_output'
  | 'local_model_unavailable';

import { CodedError } from '@voiceroom/protocol';

export class ExtractionError extends CodedError<ExtractionErrorCode> {
  /** Server-requested delay before the next try (Retry-After), if any. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ExtractionErrorCode,
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(code, message, { retryable: options.retryable, cause: options.cause });
    this.name = 'ExtractionError';
    this.retryAfterMs = options.retryAfterMs;
  }
}
