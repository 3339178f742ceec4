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
}

/**
 * Fixed-window rate limiter (a limit of 0 turns it off) in Redis (INCR + EXPIRE NX), shared by every server instance. When Redis is unreachable
 * it lets requests through (logged): rate limiting must not take the API down with it.
 */
export class RateLimiter {
  readonly #redis: Redis;
  readonly #name: string;
  readonly #rule: RateLimitRule;
  readonly #logger: Logger;

  constructor(options: { redis: Redis; name: string; rule: RateLimitRule; logger: Logger }) {
    this.#redis = options.redis;
    this.#name = options.name;
    this.#rule = options.rule;
    this.#logger = options.logger;
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
      this.#logger.warn({ err: error, limiter: this.#name }, 'rate limiter unavailable; request allowed');
      return { allowed: true, limit, remaining: limit, resetS: windowS };
    }
  }
}

/** Middleware: one hit per request under `keyOf(ctx)` (default the client IP); 429 rate_limited with Retry-After. */
export function rateLimit(
  limiter: RateLimiter,
  keyOf: (ctx: Parameters<Middleware>[0]) => string = (ctx) => ctx.ip,
): Middleware {
  if (limiter.rule.limit === 0) return (_ctx, next) => next();
  return async (ctx, next) => {
    const result = await limiter.hit(keyOf(ctx));
    ctx.set('RateLimit-Limit', String(result.limit));
    ctx.set('RateLimit-Remaining', String(result.remaining));
    ctx.set('RateLimit-Reset', String(result.resetS));
    if (!result.allowed) {
      throw new HttpError(429, 'rate_limited', `Too many requests: try again in ${result.resetS} s.`, {
        headers: { 'Retry-After': String(result.resetS) },
      });
    }
    return next();
  };
}
