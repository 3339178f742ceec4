import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { HttpError } from './errors.ts';
import { limiterUnavailable } from './rateLimit.ts';

export interface LoginThrottleOptions {
  redis: Redis;
  logger: Logger;
  /** Failed logins for one account before it is locked out (1 s, then doubling). */
  failuresBeforeBackoff: number;
  /** Longest lockout in seconds. */
  backoffMaxS: number;
  /** First lockout in seconds, doubled by each further failure. Default 1. */
  backoffBaseS?: number;
}

/** Failures are remembered this long after the last one (then the account starts afresh). */
const FAILURE_MEMORY_S = 24 * 3600;

/**
 * Per-account login throttling in Redis, keyed by the normalised email (hashed), so that rotating source addresses or
 * X-Forwarded-For does not reset it. After `failuresBeforeBackoff` failed logins the account is locked for 1 s, and
 * each further failure doubles the lock up to `backoffMaxS`; a successful login clears the count. Without Redis it
 * fails closed (503 rate_limiter_unavailable).
 */
export class LoginThrottle {
  readonly #redis: Redis;
  readonly #log: Logger;
  readonly #threshold: number;
  readonly #maxS: number;
  readonly #baseS: number;

  constructor(options: LoginThrottleOptions) {
    this.#redis = options.redis;
    this.#log = options.logger;
    this.#threshold = options.failuresBeforeBackoff;
    this.#maxS = options.backoffMaxS;
    this.#baseS = options.backoffBaseS ?? 1;
  }

  /** Throws 429 login_throttled while the account is locked out. */
  async check(email: string): Promise<void> {
    const lockedS = await this.#redisCall(() => this.#redis.ttl(this.#key('lock', email)));
    if (lockedS > 0) {
      throw new HttpError(
        429,
        'login_throttled',
        `Too many failed logins for this account: try again in ${lockedS} s.`,
        { headers: { 'Retry-After': String(lockedS) } },
      );
    }
  }

  async failed(email: string): Promise<void> {
    const failures = await this.#redisCall(async () => {
      const replies = await this.#redis
        .multi()
        .incr(this.#key('fail', email))
        .expire(this.#key('fail', email), FAILURE_MEMORY_S)
        .exec();
      return Number(replies?.[0]?.[1] ?? 0);
    });
    if (failures < this.#threshold) return;
    const lockS = Math.min(this.#maxS, this.#baseS * 2 ** Math.min(30, failures - this.#threshold));
    await this.#redisCall(() => this.#redis.set(this.#key('lock', email), '1', 'EX', lockS));
    this.#log.warn({ account: this.#hash(email), failures, lockS }, 'login throttled for an account');
  }

  async succeeded(email: string): Promise<void> {
    await this.#redisCall(() => this.#redis.del(this.#key('fail', email)));
  }

  #hash(email: string): string {
    return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
  }

  #key(kind: 'fail' | 'lock', email: string): string {
    return `vr:login:${kind}:${this.#hash(email)}`;
  }

  async #redisCall<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.#log.warn({ err: error }, 'login throttle unavailable; login refused');
      throw limiterUnavailable();
    }
  }
}
