import type { Middleware } from 'koa';

/**
 * Headers every response gets: no MIME sniffing, no referrer leaks, no framing by other sites. API responses carry
 * tokens and personal data, so they are never cached (set before the route, so a route may still override it).
 */
export function securityHeaders(options: { noStorePrefixes?: string[] } = {}): Middleware {
  const noStore = options.noStorePrefixes ?? ['/api/'];
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'SAMEORIGIN');
    if (noStore.some((prefix) => ctx.path.startsWith(prefix))) ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
