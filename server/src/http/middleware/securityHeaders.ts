import type { Middleware } from 'koa';

/**
 * The pages (call page, console) load only their own scripts and styles (Vite emits no inline code), talk only to
 * their own origin (REST and the socket.io websocket: 'self' covers ws/wss of the same host) and may not be framed.
 * `connectSources`: the media servers the pages must reach too (a LiveKit URL: see liveKitConnectSources).
 */
export function pageCsp(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    ["connect-src 'self'", ...connectSources].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What a page needs to reach a LiveKit server: its WebSocket origin and the HTTP(S) one livekit-client probes. */
export function liveKitConnectSources(livekitUrl: string): string[] {
  const url = new URL(livekitUrl);
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  return [`${secure ? 'wss' : 'ws'}://${url.host}`, `${secure ? 'https' : 'http'}://${url.host}`];
}
/** JSON answers are never rendered as a document. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
export const HSTS = 'max-age=31536000; includeSubDomains';

export interface SecurityHeadersOptions {
  noStorePrefixes?: string[];
  /**
   * Send Strict-Transport-Security on every response: the public URL is https (TLS ends at this server or at a
   * proxy in front of it). Without it, HSTS is still sent on requests that arrived over TLS (ctx.secure, which
   * honours X-Forwarded-Proto only when the proxy is trusted).
   */
  hsts?: boolean;
  /** Origins the pages may connect to besides their own (the LiveKit server when SFU_BACKEND=livekit). */
  connectSources?: readonly string[];
}

/**
 * Headers every response gets: a Content-Security-Policy, no MIME sniffing, no referrer leaks, no framing by any
 * site, HSTS behind TLS. API responses carry tokens and personal data, so they are never cached (set before the
 * route, so a route may still override it).
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): Middleware {
  const noStore = options.noStorePrefixes ?? ['/api/'];
  const page = pageCsp(options.connectSources);
  return async (ctx, next) => {
    const api = noStore.some((prefix) => ctx.path.startsWith(prefix));
    ctx.set('Content-Security-Policy', api ? API_CSP : page);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    if (options.hsts || ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    if (api) ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
