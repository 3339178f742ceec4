import type { z } from 'zod';

/**
 * The one error vocabulary of VoiceRoom. Every error that crosses a boundary (HTTP, a socket.io ack, a handshake)
 * is a CodedError with a lower_snake `code`; the HTTP layer takes the status from ERROR_STATUS, the socket layers
 * send `{ code, message }` (toWireError). Anything that is not a CodedError is `internal_error` and its message is
 * never sent (it may hold paths, SQL or secrets).
 */

export interface CodedErrorOptions {
  /** HTTP status when the code's entry in ERROR_STATUS does not fit this case. */
  status?: number;
  /** Whether the same request may succeed if tried again later. */
  retryable?: boolean;
  /** Machine-readable detail sent with the error (e.g. the bad fields). */
  details?: unknown;
  cause?: unknown;
}

export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  readonly retryable: boolean;
  readonly details: unknown;
  readonly #status: number | undefined;

  constructor(code: C, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.#status = options.status;
  }

  /** The HTTP status: the one given, else the code's in ERROR_STATUS, else 500. */
  get status(): number {
    return this.#status ?? httpStatusOf(this.code);
  }

  /** Meant for the client: its code is in ERROR_STATUS or it was given a status. Others are internal errors. */
  get declared(): boolean {
    return this.#status !== undefined || Object.hasOwn(ERROR_STATUS, this.code);
  }
}

export const INTERNAL_ERROR = 'internal_error' as const;
const INTERNAL_MESSAGE = 'Internal server error; it was logged. Try again later.';

/** HTTP status per code: the one table every layer maps codes through. Codes not listed are 500. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  // Malformed or invalid input.
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  agent_config_invalid: 400,
  provider_policy_invalid: 400,
  provider_api_key_env_not_allowed: 400,
  provider_base_url_not_allowed: 400,
  provider_model_path_not_allowed: 400,
  unsupported: 422,
  // Who you are and what you may do.
  unauthorized: 401,
  token_missing: 401,
  token_expired: 401,
  token_invalid: 401,
  token_wrong_audience: 401,
  token_wrong_issuer: 401,
  token_alg_not_allowed: 401,
  token_claims_invalid: 401,
  token_revoked: 401,
  invalid_credentials: 401,
  account_disabled: 401,
  refresh_invalid: 401,
  refresh_reused: 401,
  refresh_expired: 401,
  forbidden: 403,
  // Things that do not exist.
  not_found: 404,
  route_not_found: 404,
  agent_not_found: 404,
  agent_config_not_found: 404,
  conversation_not_found: 404,
  extraction_job_not_found: 404,
  user_not_found: 404,
  unknown_session: 404,
  method_not_allowed: 405,
  // The state does not allow it now.
  not_joined: 409,
  already_joined: 409,
  not_registered: 409,
  already_registered: 409,
  room_full: 409,
  handoff_taken: 409,
  conversation_busy: 409,
  conversation_ended: 409,
  extraction_not_reviewable: 409,
  extraction_not_failed: 409,
  email_taken: 409,
  cannot_change_self: 409,
  recording_corrupt: 409,
  recording_key_missing: 409,
  call_ended: 410,
  room_closed: 410,
  handoff_expired: 410,
  body_too_large: 413,
  recording_too_large: 413,
  // Slow down.
  rate_limited: 429,
  too_many_connections: 429,
  too_many_producers: 429,
  // Something behind us failed.
  internal_error: 500,
  agent_dialog_failed: 502,
  session_failed: 502,
  at_capacity: 503,
};

export function httpStatusOf(code: string): number {
  return Object.hasOwn(ERROR_STATUS, code) ? (ERROR_STATUS[code] as number) : 500;
}

export interface WireError<C extends string = string> {
  code: C;
  message: string;
}

/**
 * What a socket layer sends for `error`: a CodedError's code and message when `codes` (the channel's enum) allows
 * the code, else internal_error with a message that leaks nothing.
 */
export function toWireError<C extends string>(
  error: unknown,
  codes: readonly C[],
  internalMessage = INTERNAL_MESSAGE,
): WireError<C | typeof INTERNAL_ERROR> {
  if (error instanceof CodedError && (codes as readonly string[]).includes(error.code)) {
    return { code: error.code as C, message: error.message.slice(0, 2000) };
  }
  return { code: INTERNAL_ERROR, message: internalMessage };
}

export interface FieldIssue {
  /** Dotted path of the bad field, `(root)` for the value itself. */
  path: string;
  message: string;
}

export interface FormattedZodError {
  /** `<what>: a.b: message; c: message (and 3 more)`. */
  message: string;
  issues: FieldIssue[];
}

/** The one zod-error formatter: every layer that reports a failed validation words it this way. */
export function formatZodError(
  error: z.ZodError,
  options: { what?: string; prefix?: readonly string[]; limit?: number } = {},
): FormattedZodError {
  const prefix = options.prefix ?? [];
  const issues = error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.') || '(root)',
    message: issue.message,
  }));
  const limit = options.limit ?? 10;
  const shown = issues.slice(0, limit).map((i) => `${i.path}: ${i.message}`);
  if (issues.length > limit) shown.push(`(and ${issues.length - limit} more)`);
  return { message: `${options.what ?? 'Invalid input'}: ${shown.join('; ')}`, issues };
}
