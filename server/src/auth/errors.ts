import { CodedError } from '@voiceroom/protocol';

export type AuthErrorCode =
  | 'token_missing'
  | 'token_expired'
  | 'token_invalid'
  | 'token_wrong_audience'
  | 'token_wrong_issuer'
  | 'token_alg_not_allowed'
  | 'token_claims_invalid'
  | 'invalid_credentials'
  | 'account_disabled'
  | 'refresh_invalid'
  | 'refresh_reused'
  | 'refresh_expired'
  | 'token_revoked'
  | 'forbidden';

const MESSAGES: Record<AuthErrorCode, string> = {
  token_missing: 'No token given: send "Authorization: Bearer <token>".',
  token_expired: 'The token has expired: refresh it or log in again.',
  token_invalid: 'The token is malformed or its signature does not verify: log in again.',
  token_wrong_audience: 'The token was issued for another purpose (audience): use the right kind of token.',
  token_wrong_issuer: 'The token was not issued by this server: log in again.',
  token_alg_not_allowed: 'The token uses a signing algorithm this server does not accept (only HS256).',
  token_claims_invalid: 'The token claims are incomplete or invalid: log in again.',
  invalid_credentials: 'Wrong email or password.',
  account_disabled: 'This account is disabled: ask an administrator.',
  refresh_invalid: 'The refresh token is unknown, expired or revoked: log in again.',
  refresh_reused:
    'This refresh token was already used; every session of this login was revoked: log in again.',
  refresh_expired: 'This login is older than the longest session allowed: log in again.',
  token_revoked: 'This token was revoked by an operator: ask for a new one.',
  forbidden: 'Your role is not allowed to do this.',
};

/** An authentication or authorization refusal; HTTP status 401, or 403 for `forbidden` (ERROR_STATUS). */
export class AuthError extends CodedError<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string = MESSAGES[code], options?: ErrorOptions) {
    super(code, message, { cause: options?.cause });
    this.name = 'AuthError';
  }
}
