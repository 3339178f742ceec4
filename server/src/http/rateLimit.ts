import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import type { RateLimitRule } from '../config.ts';
import type { Logger } from '../log.ts';
import { HttpError } from './errors.ts';

export type { RateLimitRule } from '../config.ts';

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetS: number;
  /** Redis did not answer: the request was not counted. */
  unavailable?: boolean;
}

/**
 * Fixed-window rate limiter (a limit of 0 turns it off) in Redis (INCR + EXPIRE NX), shared by every server instance.
 * When Redis is unreachable the result says so: the middleware lets the request through (logged) unless the limiter
 * fails closed (login: guessing passwords without a limit is worse than a 503).
 */
export class RateLimiter {
  readonly #redis: Redis;
  readonly #name: string;
  readonly #rule: RateLimitRule;
  readonly #logger: Logger;
  readonly #failClosed: boolean;

  constructor(options: {
    redis: Redis;
    name: string;
    rule: RateLimitRule;
    logger: Logger;
    failClosed?: boolean;
  }) {
    this.#redis = options.redis;
    this.#name = options.name;
    this.#rule = options.rule;
    this.#logger = options.logger;
    this.#failClosed = options.failClosed ?? false;
  }

  get failClosed(): boolean {
    return this.#failClosed;
  }

  get rule(): RateLimitRule {
    return this.#rule;
  }

  async hit(key: string): Promise<RateLimitResult> {
    const redisKey = `vr:rl:${this.#name}:${key}`;
    const { limit, windowS } = this.#rule;
    if (limit === 0) return { allowed: true, limit, remaining: 0, resetS: 0 };
    try {
      const replies = await this.#redis
        .multi()
        .incr(redisKey)
        .expire(redisKey, windowS, 'NX')
        .ttl(redisKey)
        .exec();
      const count = Number(replies?.[0]?.[1] ?? 0);
      const ttl = Number(replies?.[2]?.[1] ?? windowS);
      const resetS = ttl > 0 ? ttl : windowS;
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetS };
    } catch (error) {
      const outcome = this.#failClosed ? 'request refused' : 'request allowed';
      this.#logger.warn({ err: error, limiter: this.#name }, `rate limiter unavailable; ${outcome}`);
      return { allowed: !this.#failClosed, limit, remaining: limit, resetS: windowS, unavailable: true };
    }
  }
}

/** Thrown when a fail-closed limiter cannot reach Redis. */
export function limiterUnavailable(): HttpError {
  return new HttpError(
    503,
    'rate_limiter_unavailable',
    'The rate limiter (Redis) is unreachable, so this request is refused for safety: retry in a minute.',
    { headers: { 'Retry-After': '60' } },
  );
}

/**
 * Middleware: one hit per request under `keyOf(ctx)` (default the client IP: see ctx.ip, proxy hops); 429 with
 * `code` (default rate_limited) and Retry-After; 503 rate_limiter_unavailable when a fail-closed limiter has no Redis.
 */
export function rateLimit(
  limiter: RateLimiter,
  options: { keyOf?: (ctx: Parameters<Middleware>[0]) => string; code?: string; message?: string } = {},
): Middleware {
  if (limiter.rule.limit === 0) return (_ctx, next) => next();
  const keyOf = options.keyOf ?? ((ctx) => ctx.ip);
  return async (ctx, next) => {
    const result = await limiter.hit(keyOf(ctx));
    if (result.unavailable && limiter.failClosed) throw limiterUnavailable();
    ctx.set('RateLimit-Limit', String(result.limit));
    ctx.set('RateLimit-Remaining', String(result.remaining));
    ctx.set('RateLimit-Reset', String(result.resetS));
    if (!result.allowed) {
      const message = options.message ?? 'Too many requests';
      throw new HttpError(
        429,
        options.code ?? 'rate_limited',
        `${message}: try again in ${result.resetS} s.`,
        {
          headers: { 'Retry-After': String(result.resetS) },
        },
      );
    }
    return next();
  };
}
