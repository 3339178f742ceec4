import type { Middleware } from 'koa';
import { AuthError } from '../../auth/errors.ts';
import type { UserRole } from '../../auth/roles.ts';
import type { AccessClaims, TokenService } from '../../auth/TokenService.ts';

declare module 'koa' {
  interface DefaultState {
    /** The authenticated caller, set by requireAuth. */
    user?: AccessClaims;
  }
}

/** The bearer token of the request, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * Requires a valid access token (Authorization: Bearer) and, when given, one of `roles`; sets ctx.state.user.
 * 401 with the token's AuthError code when missing or invalid, 403 forbidden for another role.
 */
export function requireAuth(tokens: TokenService, roles?: readonly UserRole[]): Middleware {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('authorization'));
    if (!token) throw new AuthError('token_missing');
    const user = await tokens.verifyAccessToken(token);
    if (roles && !roles.includes(user.role)) throw new AuthError('forbidden');
    ctx.state.user = user;
    return next();
  };
}

/** The user set by requireAuth; throws when the route forgot to require authentication. */
export function authenticatedUser(state: { user?: AccessClaims }): AccessClaims {
  if (!state.user) throw new AuthError('token_missing');
  return state.user;
}
