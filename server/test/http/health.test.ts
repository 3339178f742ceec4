import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type Harness, startHarness } from './harness.ts';

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

  it('GET /readyz answers 503 naming a failing registered check, and 200 once it is removed', async () => {
    const remove = h.http.readiness.register('mediasoup', () => {
      throw new Error('0 of 2 workers alive');
    });
    const res = await h.request('GET', '/readyz');
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.failed).toEqual(['mediasoup']);
    expect(body.error.code).toBe('not_ready');
    expect(body.checks.mediasoup).toMatchObject({ ok: false, error: '0 of 2 workers alive' });
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
      // Rate limiting fails open: logins still work while Redis is down.
      const login = await down.request('POST', '/api/auth/login', {
        body: { email: 'admin@voiceroom.local', password: 'wrong' },
      });
      expect(login.status).toBe(401);
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
