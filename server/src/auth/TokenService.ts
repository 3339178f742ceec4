import { randomUUID } from 'node:crypto';
import { grantsForRole, type RoomClaims, RoomClaimsSchema, type RoomRole } from '@voiceroom/protocol';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AuthError } from './errors.ts';
import { type UserRole, UserRoleSchema } from './roles.ts';

export const AUDIENCE = {
  api: 'voiceroom:api',
  room: 'voiceroom:room',
  service: 'voiceroom:service',
} as const;

const ALGORITHM = 'HS256';

export interface TokenServiceOptions {
  /** HMAC secret, at least 32 characters. */
  secret: string;
  issuer: string;
  accessTtlS: number;
  roomTtlS: number;
  /** Lifetime of service tokens (agent workers); default 24 hours (SERVICE_TOKEN_TTL_HOURS). */
  serviceTtlS?: number;
}

export interface AccessTokenUser {
  id: string;
  email: string;
  role: UserRole;
}

export interface AccessClaims extends AccessTokenUser {}

export interface RoomTokenRequest {
  identity: string;
  name: string;
  room: string;
  role: RoomRole;
  listenOnly?: boolean;
  agentId?: string | null;
  ttlS?: number;
}

export interface ServiceClaims {
  name: string;
  role: 'service';
  /** The token's id, for revocation (ServiceTokenRevocations). */
  jti: string;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

const AccessPayloadSchema = z.object({
  sub: z.string().min(1),
  email: z.string().min(1),
  role: UserRoleSchema,
});
const ServicePayloadSchema = z.object({
  sub: z.string().min(1),
  role: z.literal('service'),
  jti: z.string().min(1).max(64),
});

/**
 * Signs and verifies the server's JWTs: API access tokens, room tokens (with role grants) and service tokens for
 * agent workers. HS256 only, pinned on both sides; issuer, audience and expiry are always checked.
 */
export class TokenService {
  readonly #key: Uint8Array;
  readonly #issuer: string;
  readonly #accessTtlS: number;
  readonly #roomTtlS: number;
  readonly #serviceTtlS: number;

  constructor(options: TokenServiceOptions) {
    if (options.secret.length < 32)
      throw new Error('TokenService: the JWT secret must be at least 32 characters');
    this.#key = new TextEncoder().encode(options.secret);
    this.#issuer = options.issuer;
    this.#accessTtlS = options.accessTtlS;
    this.#roomTtlS = options.roomTtlS;
    this.#serviceTtlS = options.serviceTtlS ?? 24 * 3600;
  }

  get accessTtlS(): number {
    return this.#accessTtlS;
  }

  async issueAccessToken(user: AccessTokenUser): Promise<IssuedToken> {
    const token = await this.#sign(
      { email: user.email, role: user.role },
      user.id,
      AUDIENCE.api,
      this.#accessTtlS,
    );
    return { token, expiresIn: this.#accessTtlS };
  }

  async verifyAccessToken(token: string): Promise<AccessClaims> {
    const payload = AccessPayloadSchema.safeParse(await this.#verify(token, AUDIENCE.api));
    if (!payload.success) throw new AuthError('token_claims_invalid');
    return { id: payload.data.sub, email: payload.data.email, role: payload.data.role };
  }

  async issueRoomToken(request: RoomTokenRequest): Promise<IssuedToken> {
    const ttlS = request.ttlS ?? this.#roomTtlS;
    const claims: Omit<RoomClaims, 'sub'> = {
      name: request.name,
      room: request.room,
      role: request.role,
      grants: grantsForRole(request.role, { listenOnly: request.listenOnly ?? false }),
      agentId: request.agentId ?? null,
    };
    // Validate what we sign so a bad identity or room never yields a token that later fails verification.
    RoomClaimsSchema.parse({ sub: request.identity, ...claims });
    const token = await this.#sign(claims, request.identity, AUDIENCE.room, ttlS);
    return { token, expiresIn: ttlS };
  }

  async verifyRoomToken(token: string): Promise<RoomClaims> {
    const payload = RoomClaimsSchema.safeParse(await this.#verify(token, AUDIENCE.room));
    if (!payload.success) throw new AuthError('token_claims_invalid');
    return payload.data;
  }

  async issueServiceToken(name: string, ttlS: number = this.#serviceTtlS): Promise<IssuedToken> {
    const token = await this.#sign({ role: 'service' }, name, AUDIENCE.service, ttlS);
    return { token, expiresIn: ttlS };
  }

  async verifyServiceToken(token: string): Promise<ServiceClaims> {
    const payload = ServicePayloadSchema.safeParse(await this.#verify(token, AUDIENCE.service));
    if (!payload.success) throw new AuthError('token_claims_invalid');
    return { name: payload.data.sub, role: 'service', jti: payload.data.jti };
  }

  async #sign(
    claims: Record<string, unknown>,
    subject: string,
    audience: string,
    ttlS: number,
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(this.#issuer)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlS)
      .sign(this.#key);
  }

  async #verify(token: string, audience: string): Promise<JWTPayload> {
    if (!token) throw new AuthError('token_missing');
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: [ALGORITHM],
        issuer: this.#issuer,
        audience,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (error) {
      throw toAuthError(error);
    }
  }
}

function toAuthError(error: unknown): AuthError {
  if (error instanceof errors.JWTExpired) return new AuthError('token_expired', undefined, { cause: error });
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthError('token_alg_not_allowed', undefined, { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new AuthError('token_wrong_audience', undefined, { cause: error });
    if (error.claim === 'iss') return new AuthError('token_wrong_issuer', undefined, { cause: error });
    return new AuthError('token_claims_invalid', undefined, { cause: error });
  }
  return new AuthError('token_invalid', undefined, { cause: error });
}
