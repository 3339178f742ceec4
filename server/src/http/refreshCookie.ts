import type { Context } from 'koa';
import type { Session } from '../auth/SessionService.ts';

/**
 * The console's refresh token lives in this cookie, out of reach of page scripts (httpOnly), never sent cross-site
 * (SameSite=Strict) and only to the auth routes (Path). API clients (k6, SDK, scripts) keep the JSON flow.
 */
export const REFRESH_COOKIE = 'vr_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

export function readRefreshCookie(ctx: Context): string | undefined {
  return ctx.cookies.get(REFRESH_COOKIE) || undefined;
}

/**
 * Moves the session's refresh token into the cookie and returns what the browser may read. The cookie is Secure
 * when the request came over TLS (directly, or through a trusted proxy's X-Forwarded-Proto).
 */
export function sessionInCookie(
  ctx: Context,
  session: Session,
  maxAgeS: number,
): Omit<Session, 'refreshToken'> {
  const { refreshToken, ...visible } = session;
  ctx.cookies.set(REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    secure: ctx.secure,
    maxAge: maxAgeS * 1000,
    overwrite: true,
  });
  return visible;
}

export function clearRefreshCookie(ctx: Context): void {
  ctx.cookies.set(REFRESH_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    secure: ctx.secure,
    maxAge: 0,
    overwrite: true,
  });
}
