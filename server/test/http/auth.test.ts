import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
