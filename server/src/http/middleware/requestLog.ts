import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../log.ts';
import type { MetricsRegistry } from '../metrics.ts';

/** Probes and scrapes, logged at debug so they do not drown the request log. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Logs one line per request (method, route, status, duration, request id) and records
 * http_requests_total / http_request_duration_seconds by route pattern, not by raw path.
 */
export function requestLog(logger: Logger, metrics: MetricsRegistry): Middleware {
  const requests = metrics.counter('http_requests_total', 'HTTP requests handled.', [
    'method',
    'route',
    'status',
  ]);
  const duration = metrics.histogram('http_request_duration_seconds', 'HTTP request duration in seconds.', [
    'method',
    'route',
  ]);
  return async (ctx, next) => {
    const requestId = ctx.get('x-request-id').slice(0, 64) || randomUUID();
    ctx.set('X-Request-Id', requestId);
    const start = performance.now();
    try {
      await next();
    } finally {
      const ms = performance.now() - start;
      const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      const route = typeof matched === 'string' ? matched : 'unmatched';
      requests.inc({ method: ctx.method, route, status: ctx.status });
      duration.observe({ method: ctx.method, route }, ms / 1000);
      const line = {
        requestId,
        method: ctx.method,
        path: ctx.path,
        route,
        status: ctx.status,
        ms: Math.round(ms),
      };
      // Failures themselves are logged with their error by errorHandler; 5xx here is a warning (e.g. /readyz 503).
      if (ctx.status >= 500) logger.warn(line, 'request');
      else if (QUIET_ROUTES.has(route)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    }
  };
}
