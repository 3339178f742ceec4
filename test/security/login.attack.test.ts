import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, errorCode, type SecurityApp, startSecurityApp } from '../helpers/securityApp.ts';

/** Item 4 of the security review: login throttling that survives proxies and address rotation. */
let app: SecurityApp;

beforeAll(async () => {
  app = await startSecurityApp({
    env: {
      TRUST_PROXY: 'true',
      PROXY_HOPS: '1',
      RATE_LIMIT_LOGIN: '1000/60',
      LOGIN_FAILURES_BEFORE_BACKOFF: '3',
      LOGIN_BACKOFF_BASE_S: '60',
    },
  });
});
afterAll(async () => {
  await app?.close();
});

const login = (email: string, password: string, forwardedFor: string) =>
  app.request('POST', '/api/auth/login', {
    body: { email, password },
    headers: { 'x-forwarded-for': forwardedFor },
  });

describe('login throttling', () => {
  it("attack: guesses one account's password from a new X-Forwarded-For address each time | expected: after 3 failures the account is locked (429 login_throttled, Retry-After), even for the right password", async () => {
    const email = await app.addUser('supervisor');
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) codes.push(await errorCode(await login(email, `guess-${i}`, `10.66.${i}.1`)));
    expect(codes).toEqual([
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'login_throttled',
      'login_throttled',
      'login_throttled',
    ]);
    const right = await login(email, DEMO_PASSWORD, '10.66.99.1');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorCode(right)).toBe('login_throttled');
  });

  it('attack: writes the email in other cases and with spaces to dodge the per-account count | expected: the same account is locked', async () => {
    const email = await app.addUser('human_agent');
    const variants = [email.toUpperCase(), ` ${email}`, email.replace('user', 'USER')];
    for (const [i, variant] of variants.entries())
      await (await login(variant, 'bad', `10.67.${i}.1`)).body?.cancel();
    expect(await errorCode(await login(email, DEMO_PASSWORD, '10.67.9.1'))).toBe('login_throttled');
  });

  it('attack: prepends spoofed addresses to X-Forwarded-For in front of the one our proxy appends | expected: the per-address limit still counts the real address (429 rate_limited)', async () => {
    const strict = await startSecurityApp({
      env: { TRUST_PROXY: 'true', PROXY_HOPS: '1', RATE_LIMIT_LOGIN: '2/60' },
    });
    try {
      const real = `203.0.${randomInt(256)}.${randomInt(256)}`;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await strict.request('POST', '/api/auth/login', {
          body: { email: `nobody-${i}@voiceroom.test`, password: 'bad' },
          headers: { 'x-forwarded-for': `198.51.100.${i}, ${real}` },
        });
        statuses.push(res.status);
        await res.body?.cancel();
      }
      // The proxy-appended address is random per run (the shared Redis remembers earlier runs), constant within it.
      expect(statuses.slice(0, 2).every((s) => s === 401 || s === 429)).toBe(true);
      expect(statuses.slice(2)).toEqual([429, 429]);
    } finally {
      await strict.close();
    }
  });
});
