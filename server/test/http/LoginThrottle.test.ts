import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../src/http/errors.ts';
import { LoginThrottle } from '../../src/http/LoginThrottle.ts';
import { createLogger } from '../../src/log.ts';

const prefix = `vr_test_throttle_${randomBytes(4).toString('hex')}:`;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis('redis://127.0.0.1:6379', { keyPrefix: prefix, lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
  redis.disconnect();
});

const throttle = (r: Redis) =>
  new LoginThrottle({
    redis: r,
    logger: createLogger('test'),
    failuresBeforeBackoff: 2,
    backoffMaxS: 500,
    backoffBaseS: 100,
  });

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('LoginThrottle', () => {
  it('doubles the lock with each failure past the threshold, up to the maximum', async () => {
    const t = throttle(redis);
    const email = 'double@voiceroom.local';
    const lockTtl = () =>
      redis.keys(`${prefix}vr:login:lock:*`).then(([key]) => redis.ttl(key?.slice(prefix.length) ?? ''));
    await t.failed(email);
    await t.check(email);
    await t.failed(email);
    expect(await lockTtl()).toBe(100);
    expect((await refusal(t.check(email))).code).toBe('login_throttled');
    const locks = [];
    for (let i = 0; i < 3; i++) {
      // As if the lock had run out: the next failure locks for twice as long.
      await redis.del(...(await redis.keys(`${prefix}vr:login:lock:*`)).map((k) => k.slice(prefix.length)));
      await t.failed(email);
      locks.push(await lockTtl());
    }
    expect(locks).toEqual([200, 400, 500]);
  });

  it('treats differently written forms of one email as the same account', async () => {
    const t = throttle(redis);
    await t.failed('Same@VoiceRoom.local');
    await t.failed(' same@voiceroom.local ');
    expect((await refusal(t.check('SAME@voiceroom.local'))).code).toBe('login_throttled');
  });

  it('fails closed with 503 rate_limiter_unavailable when Redis is unreachable', async () => {
    const dead = new Redis({
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on('error', () => {});
    try {
      const error = await refusal(throttle(dead).check('x@voiceroom.local'));
      expect(error.status).toBe(503);
      expect(error.code).toBe('rate_limiter_unavailable');
    } finally {
      dead.disconnect();
    }
  });
});
