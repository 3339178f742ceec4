import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type SecurityApp, startSecurityApp } from '../helpers/securityApp.ts';

/** Item 10 of the security review: the operational endpoints leak nothing to anonymous callers. */
const METRICS_TOKEN = 'ops-attack-metrics-token-0123456789';
let app: SecurityApp;

beforeAll(async () => {
  app = await startSecurityApp({ env: { METRICS_TOKEN } });
});
afterAll(async () => {
  await app?.close();
});

describe('operational endpoints', () => {
  it('attack: reads /readyz while a dependency fails with an error naming its host and account | expected: 503 names the check with code check_failed; no error text in the answer', async () => {
    const remove = app.server.readiness.register('search', () => {
      throw new Error("Access denied for user 'voiceroom'@'10.20.30.40' (using password: YES)");
    });
    try {
      const res = await app.request('GET', '/readyz');
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(text).not.toMatch(/Access denied|10\.20\.30\.40|voiceroom'@/);
      const body = JSON.parse(text);
      expect(body.failed).toEqual(['search']);
      expect(body.checks.search).toMatchObject({ ok: false, code: 'check_failed' });
    } finally {
      remove();
    }
  });

  it('attack: scrapes /metrics without the token, or with a wrong one | expected: 401 metrics_token_required; the right bearer token gets the metrics', async () => {
    const none = await app.request('GET', '/metrics');
    expect(none.status).toBe(401);
    expect(await errorCode(none)).toBe('metrics_token_required');
    const wrong = await app.request('GET', '/metrics', { token: 'guess-guess-guess-guess' });
    expect(wrong.status).toBe(401);
    await wrong.body?.cancel();
    const right = await app.request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('http_requests_total');
  });
});
