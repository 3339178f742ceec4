import { Router } from '@koa/router';
import { MetricsRegistry } from '../metrics.ts';
import type { ReadinessChecks } from '../readiness.ts';

/** GET /healthz (liveness: the process answers), GET /readyz (every readiness check passes), GET /metrics. */
export function createHealthRouter(deps: { readiness: ReadinessChecks; metrics: MetricsRegistry }): Router {
  const router = new Router();
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
    ctx.type = MetricsRegistry.contentType;
    ctx.body = await deps.metrics.render();
  });
  return router;
}
