/** Why a model-backed dialog turn failed; the voice pipeline says a fallback line and may retry or hand off. */
export type DialogErrorCode =
  | 'dialog_api_key_missing'
  | 'dialog_unreachable'
  | 'dialog_timeout'
  | 'dialog_rate_limited'
  | 'dialog_http_error'
  | 'dialog_invalid_response'
  | 'dialog_model_unavailable';

export class DialogError extends Error {
  readonly code: DialogErrorCode;
  readonly status: number | undefined;

  constructor(code: DialogErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DialogError';
    this.code = code;
    this.status = options.status;
  }
}
