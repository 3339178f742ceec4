/** An HTTP error with a machine-readable code; the error middleware renders it as {error: {code, message, details?}}. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, code = 'not_found') {
    super(404, code, `${what} was not found.`);
    this.name = 'NotFoundError';
  }
}
