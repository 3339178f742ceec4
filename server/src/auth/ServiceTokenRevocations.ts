import type { MikroORM } from '../db/orm.ts';
import { AuthError } from './errors.ts';
import type { ServiceClaims } from './TokenService.ts';

/** What the agent gateway needs to admit a worker. */
export interface ServiceTokenVerifier {
  verifyServiceToken(token: string): Promise<ServiceClaims>;
}

/**
 * The service-token deny-list (table revoked_service_tokens, by jti). Revocation is checked whenever a worker
 * connects, so a revoked token cannot (re)connect; a worker already connected keeps its socket until it reconnects
 * or is restarted (see README, Rotating service tokens).
 */
export class ServiceTokenRevocations {
  readonly #orm: MikroORM;

  constructor(options: { orm: MikroORM }) {
    this.#orm = options.orm;
  }

  /** Adds the jti to the deny-list; revoking twice is harmless. */
  async revoke(jti: string, reason?: string): Promise<void> {
    await this.#orm.em
      .getConnection()
      .execute('insert ignore into revoked_service_tokens (jti, revoked_at, reason) values (?, now(3), ?)', [
        jti,
        reason ?? null,
      ]);
  }

  async isRevoked(jti: string): Promise<boolean> {
    const rows = await this.#orm.em
      .getConnection()
      .execute<{ n: number }[]>('select count(*) as n from revoked_service_tokens where jti = ?', [jti]);
    return Number(rows[0]?.n ?? 0) > 0;
  }

  /** `tokens` with the deny-list applied: a revoked token fails with AuthError token_revoked. */
  guard(tokens: ServiceTokenVerifier): ServiceTokenVerifier {
    return {
      verifyServiceToken: async (token) => {
        const claims = await tokens.verifyServiceToken(token);
        if (await this.isRevoked(claims.jti)) throw new AuthError('token_revoked');
        return claims;
      },
    };
  }
}
