import { Router } from '@koa/router';
import { z } from 'zod';
import { AuthError } from '../../auth/errors.ts';
import type { SessionService } from '../../auth/sessions.ts';
import type { TokenService } from '../../auth/tokens.ts';
import { NotFoundError } from '../errors.ts';
import type { LoginThrottle } from '../LoginThrottle.ts';
import type { MetricsRegistry } from '../metrics.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { type RateLimiter, rateLimit } from '../rateLimit.ts';
import { validateBody } from '../validate.ts';

export const LoginBodySchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  password: z.string().min(1).max(1024),
});
export const RefreshBodySchema = z.object({ refreshToken: z.string().min(1).max(256) });

/** POST /api/auth/login, /refresh (rotating), /logout and GET /api/auth/me. */
export function createAuthRouter(deps: {
  sessions: SessionService;
  tokens: TokenService;
  loginLimiter: RateLimiter;
  loginThrottle: LoginThrottle;
  metrics: MetricsRegistry;
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
    const { email, password } = validateBody(ctx, LoginBodySchema);
    await deps.loginThrottle.check(email);
    ctx.body = await counted('login', async () => {
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
  });

  router.post('/refresh', async (ctx) => {
    const { refreshToken } = validateBody(ctx, RefreshBodySchema);
    ctx.body = await counted('refresh', () => deps.sessions.refresh(refreshToken));
  });

  router.post('/logout', async (ctx) => {
    const { refreshToken } = validateBody(ctx, RefreshBodySchema);
    await deps.sessions.logout(refreshToken);
    ctx.status = 204;
  });

  router.get('/me', requireAuth(deps.tokens), async (ctx) => {
    const user = await deps.sessions.getUser(authenticatedUser(ctx.state).id);
    if (!user) throw new NotFoundError('Your account', 'user_not_found');
    ctx.body = { user };
  });

  return router;
}
