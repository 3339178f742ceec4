import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DeadlockException, LockMode } from '@mikro-orm/core';
import { type RefreshToken, RefreshTokenEntity, type User, UserEntity } from '../db/entities/index.ts';
import type { EntityManager, MikroORM } from '../db/orm.ts';
import { AuthError } from './errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { UserRole } from './roles.ts';
import type { TokenService } from './TokenService.ts';

export interface PublicUser {
  id: string;
  email: string;
  role: UserRole;
  displayName: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
  user: PublicUser;
}

export interface SessionServiceOptions {
  orm: MikroORM;
  tokens: TokenService;
  refreshTtlS: number;
  /** Absolute lifetime of a login (refresh-token family), however often it is refreshed. Default 30 days. */
  familyMaxAgeS?: number;
  now?: () => Date;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function publicUser(user: User): PublicUser {
  return { id: user.id, email: user.email, role: user.role, displayName: user.displayName };
}

/**
 * Logins and refresh-token families. Refresh tokens are opaque random strings, stored only as sha256. Each refresh
 * rotates: the presented token is marked rotated and a new one of the same family is returned. Presenting a rotated
 * token again is treated as theft: the whole family (every session of that login) is revoked. A family lives at most
 * familyMaxAgeS from its login; each refresh re-reads the account, so a disabled account is refused and a demoted
 * one gets an access token with its new role (access tokens live accessTtlS, 15 minutes by default).
 */
export class SessionService {
  readonly #orm: MikroORM;
  readonly #tokens: TokenService;
  readonly #refreshTtlS: number;
  readonly #familyMaxAgeMs: number;
  readonly #now: () => Date;
  /** Verified against when the email is unknown, so both cases take the same time. */
  readonly #dummyHash: Promise<string>;

  constructor(options: SessionServiceOptions) {
    this.#orm = options.orm;
    this.#tokens = options.tokens;
    this.#refreshTtlS = options.refreshTtlS;
    this.#familyMaxAgeMs = (options.familyMaxAgeS ?? 30 * 86_400) * 1000;
    this.#now = options.now ?? (() => new Date());
    this.#dummyHash = hashPassword(randomBytes(16).toString('hex'));
  }

  async login(email: string, password: string): Promise<Session> {
    const em = this.#orm.em.fork();
    const user = await em.findOne(UserEntity, { email: email.trim().toLowerCase() });
    const valid = await verifyPassword(password, user?.passwordHash ?? (await this.#dummyHash));
    if (!user || !valid) throw new AuthError('invalid_credentials');
    if (user.disabledAt) throw new AuthError('account_disabled');
    const refreshToken = this.#addRefreshToken(em, user, randomUUID(), this.#now());
    await em.flush();
    return this.#session(user, refreshToken);
  }

  async refresh(refreshToken: string): Promise<Session> {
    const outcome = await this.#transactional(async (em) => {
      const stored = await this.#findLocked(em, refreshToken);
      if (!stored || stored.revokedAt || stored.expiresAt <= this.#now())
        return { ok: false, error: 'refresh_invalid' } as const;
      if (stored.rotatedAt) {
        await this.#revokeFamily(em, stored.familyId);
        return { ok: false, error: 'refresh_reused' } as const;
      }
      const familyStart = await this.#familyStart(em, stored.familyId);
      if (this.#now().getTime() - familyStart.getTime() >= this.#familyMaxAgeMs) {
        await this.#revokeFamily(em, stored.familyId);
        return { ok: false, error: 'refresh_expired' } as const;
      }
      const user = await em.findOneOrFail(UserEntity, { id: stored.user.id });
      if (user.disabledAt) {
        await this.#revokeFamily(em, stored.familyId);
        return { ok: false, error: 'account_disabled' } as const;
      }
      stored.rotatedAt = this.#now();
      const next = this.#addRefreshToken(em, user, stored.familyId, familyStart);
      return { ok: true, user, next } as const;
    });
    // Errors are raised after the transaction so that a family revocation is committed, not rolled back.
    if (!outcome.ok) throw new AuthError(outcome.error);
    return this.#session(outcome.user, outcome.next);
  }

  /** Ends the login the refresh token belongs to (its whole family). Unknown tokens are ignored. */
  async logout(refreshToken: string): Promise<void> {
    await this.#transactional(async (em) => {
      const stored = await this.#findLocked(em, refreshToken);
      if (stored) await this.#revokeFamily(em, stored.familyId);
    });
  }

  async getUser(id: string): Promise<PublicUser | null> {
    const user = await this.#orm.em.fork().findOne(UserEntity, { id });
    return user && !user.disabledAt ? publicUser(user) : null;
  }

  /**
   * Runs `work` in a transaction, again when MariaDB picked it as a deadlock victim: two requests presenting the same
   * refresh token at once can deadlock between the row lock and the successor's insert. The retry then sees the
   * winner's rotation and answers like any reuse.
   */
  async #transactional<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#orm.em.fork().transactional(work);
      } catch (error) {
        if (!(error instanceof DeadlockException) || attempt >= 3) throw error;
      }
    }
  }

  async #session(user: User, refreshToken: string): Promise<Session> {
    const access = await this.#tokens.issueAccessToken(user);
    return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn, user: publicUser(user) };
  }

  #addRefreshToken(em: EntityManager, user: User, familyId: string, familyStart: Date): string {
    const token = randomBytes(32).toString('base64url');
    const now = this.#now();
    const familyEnd = familyStart.getTime() + this.#familyMaxAgeMs;
    em.create(RefreshTokenEntity, {
      id: randomUUID(),
      user,
      tokenHash: sha256(token),
      familyId,
      expiresAt: new Date(Math.min(now.getTime() + this.#refreshTtlS * 1000, familyEnd)),
      rotatedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    return token;
  }

  /** When the login that started this family happened (its first token). */
  async #familyStart(em: EntityManager, familyId: string): Promise<Date> {
    const [first] = await em.find(
      RefreshTokenEntity,
      { familyId },
      { orderBy: { createdAt: 'asc' }, limit: 1 },
    );
    return first?.createdAt ?? this.#now();
  }

  #findLocked(em: EntityManager, refreshToken: string): Promise<RefreshToken | null> {
    if (!refreshToken) return Promise.resolve(null);
    return em.findOne(
      RefreshTokenEntity,
      { tokenHash: sha256(refreshToken) },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
  }

  async #revokeFamily(em: EntityManager, familyId: string): Promise<void> {
    await em.nativeUpdate(RefreshTokenEntity, { familyId, revokedAt: null }, { revokedAt: this.#now() });
  }
}
