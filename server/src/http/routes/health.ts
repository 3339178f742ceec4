import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from '@koa/router';
import { HttpError } from '../errors.ts';
import { MetricsRegistry } from '../metrics.ts';
import { bearerToken } from '../middleware/requireAuth.ts';
import type { ReadinessChecks } from '../ReadinessChecks.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /healthz (liveness: the process answers), GET /readyz (every readiness check passes; failures are named with
 * a code, their detail is logged), GET /metrics (with `metricsToken`, only for `Authorization: Bearer <token>`).
 */
export function createHealthRouter(deps: {
  readiness: ReadinessChecks;
  metrics: MetricsRegistry;
  metricsToken?: string;
}): Router {
  const router = new Router();
  const expected = deps.metricsToken ? digest(deps.metricsToken) : undefined;
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const result = await deps.readiness.run();
    ctx.status = result.ready ? 200 : 503;
    const failed = Object.entries(result.checks)
      .filter(([, check]) => !check.ok)
      .map(([name]) => name);
    ctx.body = result.ready
      ? { status: 'ready', checks: result.checks }
      : {
          status: 'not_ready',
          error: { code: 'not_ready', message: `Failing readiness checks: ${failed.join(', ')}.` },
          failed,
          checks: result.checks,
        };
  });
  router.get('/metrics', async (ctx) => {
    const presented = bearerToken(ctx.get('authorization'));
    if (expected && !(presented && timingSafeEqual(digest(presented), expected))) {
      throw new HttpError(
        401,
        'metrics_token_required',
        'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>: configure your scraper with it.',
        { headers: { 'WWW-Authenticate': 'Bearer' } },
      );
    }
    ctx.type = MetricsRegistry.contentType;
    ctx.body = await deps.metrics.render();
  });
  return router;
}
