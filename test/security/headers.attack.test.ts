/**
 * Item 9 (headers and the console's refresh token) against the real server serving the built web client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_COOKIE } from '../../server/src/http/refreshCookie.ts';
import { DEMO_PASSWORD, type SecurityApp, startSecurityApp } from '../helpers/securityApp.ts';

let app: SecurityApp;
let tls: SecurityApp;
const PAGES = ['/', '/console/'];

beforeAll(async () => {
  [app, tls] = await Promise.all([
    startSecurityApp(),
    startSecurityApp({ env: { PUBLIC_URL: 'https://voice.example.com' } }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([app?.close(), tls?.close()]);
});

const get = (base: SecurityApp, path: string) => fetch(`${base.url}${path}`);

function csp(res: Response): Map<string, string> {
  const directives = (res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim());
  return new Map(directives.filter(Boolean).map((d) => [d.split(' ')[0] ?? '', d.slice(d.indexOf(' ') + 1)]));
}

async function cookieLogin(): Promise<{ res: Response; body: Record<string, unknown>; cookie: string }> {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'agent@voiceroom.local', password: DEMO_PASSWORD, refreshCookie: true }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${REFRESH_COOKIE}=`)) ?? '';
  return { res, body: (await res.json()) as Record<string, unknown>, cookie };
}

describe('headers', () => {
  it("attack: another site frames the call page, the console or the API (clickjacking) | expected: frame-ancestors 'none' and X-Frame-Options DENY everywhere", async () => {
    for (const path of [...PAGES, '/api/openapi.json', '/healthz']) {
      const res = await get(app, path);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(csp(res).get('frame-ancestors'), path).toBe("'none'");
    }
  });

  it("attack: script injected into a page loads code from another origin or sends data to one | expected: the pages' CSP allows scripts and connections from 'self' only, and the pages need no inline code", async () => {
    for (const path of PAGES) {
      const res = await get(app, path);
      expect(res.status, `${path}: build the client first (npm run build -w client)`).toBe(200);
      const policy = csp(res);
      expect(policy.get('script-src')).toBe("'self'");
      expect(policy.get('connect-src')).toBe("'self'");
      expect(policy.get('object-src')).toBe("'none'");
      const html = await res.text();
      // Every script has a src, no inline style: nothing the policy blocks.
      expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? []).toEqual([]);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
  });

  it('attack: a browser sniffs a JSON API answer as HTML or script | expected: X-Content-Type-Options nosniff and a CSP that allows nothing on /api', async () => {
    const res = await get(app, '/api/openapi.json');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(csp(res).get('default-src')).toBe("'none'");
    expect((await get(app, '/')).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('attack: a network attacker strips TLS from an https deployment | expected: Strict-Transport-Security on every response when PUBLIC_URL is https, none on a plain-http deployment', async () => {
    for (const path of [...PAGES, '/api/openapi.json']) {
      expect((await get(tls, path)).headers.get('strict-transport-security'), path).toMatch(/max-age=\d{7,}/);
      expect((await get(app, path)).headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it("attack: script injected into the console reads the session's refresh token | expected: a cookie login returns no refresh token to the page; it sits in an httpOnly SameSite=Strict cookie scoped to /api/auth", async () => {
    const { body, cookie } = await cookieLogin();
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('refreshToken');
    expect(cookie).toMatch(/;\s*httponly/i);
    expect(cookie).toMatch(/;\s*samesite=strict/i);
    expect(cookie).toMatch(/;\s*path=\/api\/auth(;|$)/i);
  });

  it('attack: a cross-site request without the cookie, or a replay of a rotated cookie, asks for a new session | expected: 401 for both; the current cookie refreshes and rotates', async () => {
    const { cookie } = await cookieLogin();
    const refresh = (headers: Record<string, string>) =>
      fetch(`${app.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    expect((await refresh({})).status).toBe(401);
    const pair = cookie.split(';')[0] ?? '';
    const rotated = await refresh({ cookie: pair });
    expect(rotated.status).toBe(200);
    expect(await rotated.json()).not.toHaveProperty('refreshToken');
    const next = rotated.headers.getSetCookie().find((c) => c.startsWith(`${REFRESH_COOKIE}=`)) ?? '';
    expect(next.split(';')[0]).not.toBe(pair);
    expect((await refresh({ cookie: pair })).status).toBe(401);
  });

  it('attack: a k6 or SDK client (no browser, no cookie) refreshes its session | expected: the JSON refresh flow still works and sets no cookie', async () => {
    const { refreshToken } = await app.login('agent');
    const res = await app.request('POST', '/api/auth/refresh', { body: { refreshToken } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
