import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { AuthError } from '../../auth/errors.ts';
import type { SessionService } from '../../auth/SessionService.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import { NotFoundError } from '../errors.ts';
import type { LoginThrottle } from '../LoginThrottle.ts';
import type { MetricsRegistry } from '../metrics.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { type RateLimiter, rateLimit } from '../rateLimit.ts';
import { clearRefreshCookie, readRefreshCookie, sessionInCookie } from '../refreshCookie.ts';
import { validateBody } from '../validate.ts';

export const LoginBodySchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  password: z.string().min(1).max(1024),
  /** Browsers: keep the refresh token in an httpOnly cookie instead of returning it. */
  refreshCookie: z.boolean().optional(),
});
/** Without refreshToken, the refresh cookie set at a cookie login is used. */
export const RefreshBodySchema = z.object({ refreshToken: z.string().min(1).max(256).optional() });

/** The refresh token of a request: from the JSON body (API clients) or the cookie (the console). */
function refreshTokenOf(ctx: Context): { token: string; fromCookie: boolean } {
  const { refreshToken } = validateBody(ctx, RefreshBodySchema);
  if (refreshToken) return { token: refreshToken, fromCookie: false };
  const cookie = readRefreshCookie(ctx);
  if (cookie) return { token: cookie, fromCookie: true };
  throw new AuthError(
    'refresh_invalid',
    'No refresh token: send { "refreshToken": ... } (API clients), or log in with "refreshCookie": true (browsers).',
  );
}

/** POST /api/auth/login, /refresh (rotating), /logout and GET /api/auth/me. */
export function createAuthRouter(deps: {
  sessions: SessionService;
  tokens: TokenService;
  loginLimiter: RateLimiter;
  loginThrottle: LoginThrottle;
  metrics: MetricsRegistry;
  /** Lifetime of the refresh cookie (the refresh token's own lifetime). */
  refreshTtlS: number;
}): Router {
  const router = new Router({ prefix: '/api/auth' });
  const outcomes = deps.metrics.counter('vr_auth_attempts_total', 'Logins and refreshes by outcome.', [
    'kind',
    'outcome',
  ]);
  const counted = async <T>(kind: 'login' | 'refresh', work: () => Promise<T>): Promise<T> => {
    try {
      const result = await work();
      outcomes.inc({ kind, outcome: 'ok' });
      return result;
    } catch (error) {
      if (error instanceof AuthError) outcomes.inc({ kind, outcome: error.code });
      throw error;
    }
  };

  router.post('/login', rateLimit(deps.loginLimiter), async (ctx) => {
    const { email, password, refreshCookie } = validateBody(ctx, LoginBodySchema);
    await deps.loginThrottle.check(email);
    const session = await counted('login', async () => {
      try {
        const session = await deps.sessions.login(email, password);
        await deps.loginThrottle.succeeded(email);
        return session;
      } catch (error) {
        if (error instanceof AuthError && error.code === 'invalid_credentials')
          await deps.loginThrottle.failed(email);
        throw error;
      }
    });
    ctx.body = refreshCookie ? sessionInCookie(ctx, session, deps.refreshTtlS) : session;
  });

  router.post('/refresh', async (ctx) => {
    const { token, fromCookie } = refreshTokenOf(ctx);
    const session = await counted('refresh', () => deps.sessions.refresh(token)).catch((error: unknown) => {
      if (fromCookie) clearRefreshCookie(ctx);
      throw error;
    });
    ctx.body = fromCookie ? sessionInCookie(ctx, session, deps.refreshTtlS) : session;
  });

  router.post('/logout', async (ctx) => {
    const { token, fromCookie } = refreshTokenOf(ctx);
    if (fromCookie) clearRefreshCookie(ctx);
    await deps.sessions.logout(token);
    ctx.status = 204;
  });

  router.get('/me', requireAuth(deps.tokens), async (ctx) => {
    const user = await deps.sessions.getUser(authenticatedUser(ctx.state).id);
    if (!user) throw new NotFoundError('Your account', 'user_not_found');
    ctx.body = { user };
  });

  return router;
}
