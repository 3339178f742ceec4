import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/http/LoginThrottle.ts';
import { REFRESH_COOKIE } from '../../src/http/refreshCookie.ts';
import { createLogger } from '../../src/log.ts';
import { errorCode, type Harness, JWT, PASSWORD, startHarness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ rateLimits: { login: { limit: 25, windowS: 60 } } });
});
afterAll(async () => {
  await h?.close();
});

describe('POST /api/auth/login', () => {
  it('returns an access token, a refresh token and the user for the right password', async () => {
    const res = await h.request('POST', '/api/auth/login', {
      body: { email: 'Agent@VoiceRoom.local', password: PASSWORD },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({
      email: 'agent@voiceroom.local',
      role: 'human_agent',
      displayName: 'Demo Agent',
    });
    expect(body.user.passwordHash).toBeUndefined();
    expect(body.expiresIn).toBe(900);
    expect(typeof body.refreshToken).toBe('string');
    await expect(h.tokens.verifyAccessToken(body.accessToken)).resolves.toMatchObject({
      role: 'human_agent',
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a wrong password and an unknown email with the same code', async () => {
    const wrong = await h.request('POST', '/api/auth/login', {
      body: { email: 'agent@voiceroom.local', password: 'x' },
    });
    expect(wrong.status).toBe(401);
    expect(await errorCode(wrong)).toBe('invalid_credentials');
    const unknown = await h.request('POST', '/api/auth/login', {
      body: { email: 'nobody@voiceroom.local', password: 'x' },
    });
    expect(unknown.status).toBe(401);
    expect(await errorCode(unknown)).toBe('invalid_credentials');
  });

  it('refuses a disabled account', async () => {
    await h.db.orm.em
      .getConnection()
      .execute("update users set disabled_at = now(3) where email = 'customer@voiceroom.local'");
    const res = await h.request('POST', '/api/auth/login', {
      body: { email: 'customer@voiceroom.local', password: PASSWORD },
    });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('account_disabled');
  });

  it('answers 400 validation_failed naming the missing field', async () => {
    const res = await h.request('POST', '/api/auth/login', { body: { password: PASSWORD } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual([expect.objectContaining({ path: 'body.email' })]);
  });

  it('answers 400 invalid_json for a malformed body and 413 for an oversized one', async () => {
    const malformed = await h.request('POST', '/api/auth/login', { raw: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe('invalid_json');
    const huge = await h.request('POST', '/api/auth/login', {
      raw: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await errorCode(huge)).toBe('body_too_large');
  });
});

describe('POST /api/auth/refresh', () => {
  it('rotates: returns a new refresh token and a working access token', async () => {
    const first = await h.login('supervisor@voiceroom.local');
    const res = await h.request('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(res.status).toBe(200);
    const second = await res.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const me = await h.request('GET', '/api/auth/me', { token: second.accessToken });
    expect(me.status).toBe(200);
    expect((await me.json()).user.email).toBe('supervisor@voiceroom.local');
  });

  it('treats reuse of a rotated token as theft and revokes the whole family', async () => {
    const first = await h.login('agent@voiceroom.local');
    const other = await h.login('agent@voiceroom.local');
    const rotated = await (
      await h.request('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } })
    ).json();

    const reuse = await h.request('POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(reuse.status).toBe(401);
    expect(await errorCode(reuse)).toBe('refresh_reused');

    // The legitimate successor of the stolen token is dead too...
    const successor = await h.request('POST', '/api/auth/refresh', {
      body: { refreshToken: rotated.refreshToken },
    });
    expect(successor.status).toBe(401);
    expect(await errorCode(successor)).toBe('refresh_invalid');
    // ...but another login of the same user (another family) is untouched.
    const unrelated = await h.request('POST', '/api/auth/refresh', {
      body: { refreshToken: other.refreshToken },
    });
    expect(unrelated.status).toBe(200);

    const [row] = await h.db.orm.em
      .getConnection()
      .execute(
        'select count(*) as n from refresh_tokens where revoked_at is null and family_id = (select family_id from refresh_tokens where token_hash = sha2(?, 256))',
        [first.refreshToken],
      );
    expect(Number(row?.n)).toBe(0);
  });

  it('counts refresh outcomes, reuse included, in /metrics', async () => {
    const text = await (await h.request('GET', '/metrics')).text();
    expect(text).toMatch(/vr_auth_attempts_total\{kind="refresh",outcome="refresh_reused"\} [1-9]/);
    expect(text).toMatch(/vr_auth_attempts_total\{kind="login",outcome="invalid_credentials"\} [1-9]/);
  });

  it('refuses an unknown refresh token', async () => {
    const res = await h.request('POST', '/api/auth/refresh', { body: { refreshToken: 'not-a-token' } });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('refresh_invalid');
  });

  it('lets two concurrent refreshes of one token succeed at most once', async () => {
    const { refreshToken } = await h.login('admin@voiceroom.local');
    const results = await Promise.all(
      [0, 1, 2].map(() => h.request('POST', '/api/auth/refresh', { body: { refreshToken } })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('answers two simultaneous refreshes of one token (body or cookie) with one success and one refusal, never a 500', async () => {
    for (let round = 0; round < 10; round++) {
      const { refreshToken } = await h.login('supervisor@voiceroom.local');
      // Even rounds as an API client (JSON body), odd rounds as the console (the refresh cookie).
      const send = () =>
        round % 2 === 0
          ? h.request('POST', '/api/auth/refresh', { body: { refreshToken } })
          : h.request('POST', '/api/auth/refresh', {
              body: {},
              headers: { cookie: `${REFRESH_COOKIE}=${refreshToken}` },
            });
      const results = await Promise.all([send(), send()]);
      const outcomes = await Promise.all(
        results.map(async (r) => (r.status === 200 ? 'ok' : `${r.status} ${await errorCode(r)}`)),
      );
      expect(outcomes.sort(), `round ${round}`).toEqual(
        expect.arrayContaining(['ok', expect.stringMatching(/^401 refresh_(reused|invalid)$/)]),
      );
      expect(
        outcomes.filter((o) => o === 'ok'),
        `round ${round}`,
      ).toHaveLength(1);
    }
  });
});

describe('POST /api/auth/logout and GET /api/auth/me', () => {
  it('logout revokes the refresh token', async () => {
    const { refreshToken } = await h.login('admin@voiceroom.local');
    const out = await h.request('POST', '/api/auth/logout', { body: { refreshToken } });
    expect(out.status).toBe(204);
    const res = await h.request('POST', '/api/auth/refresh', { body: { refreshToken } });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('refresh_invalid');
  });

  it('me refuses a missing, garbage or room token with its code', async () => {
    const missing = await h.request('GET', '/api/auth/me');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await errorCode(missing)).toBe('token_missing');
    expect(await errorCode(await h.request('GET', '/api/auth/me', { token: 'garbage' }))).toBe(
      'token_invalid',
    );
    const room = await h.tokens.issueRoomToken({ identity: 'x', name: 'X', room: 'r', role: 'customer' });
    expect(await errorCode(await h.request('GET', '/api/auth/me', { token: room.token }))).toBe(
      'token_wrong_audience',
    );
  });
});

describe('login rate limit', () => {
  it('answers 429 rate_limited with Retry-After once the window is used up', async () => {
    const limited = await startHarness({ rateLimits: { login: { limit: 3, windowS: 30 } } });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 5; i++) {
        last = await limited.request('POST', '/api/auth/login', {
          body: { email: 'admin@voiceroom.local', password: 'bad' },
        });
        statuses.push(last.status);
        if (i < 4) await last.body?.cancel();
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const retryAfter = Number(last?.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(30);
      expect(await errorCode(last as Response)).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });

  it('counts per forwarded client address when TRUST_PROXY is on, and ignores X-Forwarded-For otherwise', async () => {
    const rules = { login: { limit: 1, windowS: 30 } };
    const proxied = await startHarness({ config: { jwt: JWT, trustProxy: true }, rateLimits: rules });
    const direct = await startHarness({ config: { jwt: JWT, trustProxy: false }, rateLimits: rules });
    try {
      const attempt = async (harness: Harness, ip: string) => {
        const res = await harness.request('POST', '/api/auth/login', {
          body: { email: 'admin@voiceroom.local', password: 'bad' },
          headers: { 'x-forwarded-for': ip },
        });
        await res.body?.cancel();
        return res.status;
      };
      expect([
        await attempt(proxied, '10.0.0.1'),
        await attempt(proxied, '10.0.0.2'),
        await attempt(proxied, '10.0.0.1'),
      ]).toEqual([401, 401, 429]);
      // Without trust, a client cannot dodge the limit by inventing addresses.
      expect([await attempt(direct, '10.0.0.1'), await attempt(direct, '10.0.0.2')]).toEqual([401, 429]);
    } finally {
      await proxied.close();
      await direct.close();
    }
  });
});

describe('behind a proxy (TRUST_PROXY, PROXY_HOPS)', () => {
  it('keys the login limit on the address our proxy appended, whatever a client puts before it', async () => {
    const behindProxy = await startHarness({
      config: { jwt: JWT, trustProxy: true, proxyHops: 1 },
      rateLimits: { login: { limit: 2, windowS: 30 } },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        // The client sends "X-Forwarded-For: 198.51.100.<i>"; our one proxy appends the real address.
        const res = await behindProxy.request('POST', '/api/auth/login', {
          body: { email: `nobody${i}@voiceroom.local`, password: 'bad' },
          headers: { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` },
        });
        statuses.push(res.status);
        await res.body?.cancel();
      }
      expect(statuses).toEqual([401, 401, 429, 429]);
    } finally {
      await behindProxy.close();
    }
  });
});

describe('per-account login throttling', () => {
  it('locks an account after repeated failures however the source address rotates', async () => {
    const harness = await startHarness({
      config: { jwt: JWT, trustProxy: true },
      rateLimits: { login: { limit: 1000, windowS: 60 } },
    });
    const throttled = await startHarness({
      config: { jwt: JWT, trustProxy: true },
      rateLimits: { login: { limit: 1000, windowS: 60 } },
      loginThrottle: new LoginThrottle({
        redis: harness.redis,
        logger: createLogger('test'),
        failuresBeforeBackoff: 3,
        backoffMaxS: 600,
        backoffBaseS: 60,
      }),
    });
    try {
      const attempt = async (i: number, password: string) => {
        const res = await throttled.request('POST', '/api/auth/login', {
          body: { email: ' Admin@VoiceRoom.local', password },
          headers: { 'x-forwarded-for': `10.${i}.0.1` },
        });
        return {
          status: res.status,
          retryAfter: Number(res.headers.get('retry-after')),
          code: await errorCode(res),
        };
      };
      const failures = [await attempt(1, 'guess1'), await attempt(2, 'guess2'), await attempt(3, 'guess3')];
      expect(failures.map((f) => f.code)).toEqual([
        'invalid_credentials',
        'invalid_credentials',
        'invalid_credentials',
      ]);
      // Even the right password, from yet another address, waits out the lock.
      const locked = await attempt(4, PASSWORD);
      expect(locked).toMatchObject({ status: 429, code: 'login_throttled' });
      expect(locked.retryAfter).toBeGreaterThan(50);
      expect(locked.retryAfter).toBeLessThanOrEqual(60);
      // Another account is not affected.
      const other = await throttled.request('POST', '/api/auth/login', {
        body: { email: 'agent@voiceroom.local', password: PASSWORD },
      });
      expect(other.status).toBe(200);
      await other.body?.cancel();
    } finally {
      await throttled.close();
      await harness.close();
    }
  });

  it('a successful login clears the failure count', async () => {
    const harness = await startHarness({ rateLimits: { login: { limit: 1000, windowS: 60 } } });
    try {
      const login = async (password: string) => {
        const res = await harness.request('POST', '/api/auth/login', {
          body: { email: 'agent@voiceroom.local', password },
        });
        await res.body?.cancel();
        return res.status;
      };
      // Default: 5 failures before the first lock; 4 + success + 4 never reaches it.
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await login('bad'));
      statuses.push(await login(PASSWORD));
      for (let i = 0; i < 4; i++) statuses.push(await login('bad'));
      expect(statuses).toEqual([401, 401, 401, 401, 200, 401, 401, 401, 401]);
    } finally {
      await harness.close();
    }
  });
});
