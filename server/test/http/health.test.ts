import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type Harness, JWT, startHarness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('health endpoints', () => {
  it('GET /healthz answers 200 while the process lives', async () => {
    const res = await h.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the database and Redis answer', async () => {
    const res = await h.request('GET', '/readyz');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.checks.database.ok).toBe(true);
    expect(body.checks.redis.ok).toBe(true);
  });

  it('GET /readyz answers 503 naming a failing check with a code, never its error text', async () => {
    const remove = h.http.readiness.register('mediasoup', () => {
      throw new Error('connect ECONNREFUSED 10.1.2.3:3306 as root@secret-host');
    });
    const res = await h.request('GET', '/readyz');
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toContain('secret-host');
    const body = JSON.parse(text);
    expect(body.failed).toEqual(['mediasoup']);
    expect(body.error.code).toBe('not_ready');
    expect(body.checks.mediasoup).toEqual({ ok: false, code: 'check_failed', ms: expect.any(Number) });
    remove();
    expect((await h.request('GET', '/readyz')).status).toBe(200);
  });

  it('GET /readyz answers 503 when Redis is unreachable', async () => {
    // A client pointed at a port nothing listens on: no retries, fail fast.
    const deadRedis = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    deadRedis.on('error', () => {});
    const down = await startHarness({ redis: deadRedis });
    try {
      const res = await down.request('GET', '/readyz');
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.failed).toEqual(['redis']);
      // Login fails closed without its rate limiter: guessing passwords without a limit is worse than a 503.
      const login = await down.request('POST', '/api/auth/login', {
        body: { email: 'admin@voiceroom.local', password: 'wrong' },
      });
      expect(login.status).toBe(503);
      expect(await errorCode(login)).toBe('rate_limiter_unavailable');
      // Starting a call stays available (its limiter fails open).
      const call = await down.request('POST', '/api/calls', { body: {} });
      expect(call.status).toBe(201);
    } finally {
      deadRedis.disconnect();
      await down.close();
    }
  });

  it('GET /metrics exposes request counters by route pattern in Prometheus text format', async () => {
    await h.request('GET', '/healthz');
    await (await h.request('POST', '/api/rooms/abc/token', { body: {} })).body?.cancel();
    const res = await h.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(text).toMatch(
      /http_requests_total\{method="POST",route="\/api\/rooms\/:roomId\/token",status="401"\} 1/,
    );
    expect(text).toContain('http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"}');
  });

  it('GET /metrics with METRICS_TOKEN set answers 401 without the bearer token and 200 with it', async () => {
    const metricsToken = 'metrics-token-0123456789abcdef';
    const guarded = await startHarness({ config: { jwt: JWT, metricsToken } });
    try {
      const none = await guarded.request('GET', '/metrics');
      expect(none.status).toBe(401);
      expect(await errorCode(none)).toBe('metrics_token_required');
      const wrong = await guarded.request('GET', '/metrics', { token: `${metricsToken}x` });
      expect(wrong.status).toBe(401);
      await wrong.body?.cancel();
      const right = await guarded.request('GET', '/metrics', { token: metricsToken });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('http_requests_total');
    } finally {
      await guarded.close();
    }
  });

  it('answers a wrong method with 405 method_not_allowed and the Allow header', async () => {
    const res = await h.request('DELETE', '/healthz');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(await errorCode(res)).toBe('method_not_allowed');
  });

  it('answers unknown routes with 404 route_not_found in JSON', async () => {
    const res = await h.request('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('route_not_found');
  });
});
