import { CodedError } from '@voiceroom/protocol';

/** A CodedError raised by the HTTP layer itself, with its status and any response headers (Retry-After...). */
export class HttpError extends CodedError {
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(code, message, { status, details: options.details, cause: options.cause });
    this.name = 'HttpError';
    this.headers = options.headers ?? {};
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, code = 'not_found') {
    super(404, code, `${what} was not found.`);
    this.name = 'NotFoundError';
  }
}
