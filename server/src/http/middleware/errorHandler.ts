import { CodedError, formatZodError, toWireError } from '@voiceroom/protocol';
import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import type { Logger } from '../../log.ts';
import { HttpError } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Renders every error as JSON {error: {code, message, details?}}: a declared CodedError with its status
 * (ERROR_STATUS), a ZodError escaping a handler as 400 validation_failed, anything else (an undeclared code
 * included) as 500 internal_error (logged, message hidden).
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpError(404, 'route_not_found', `No route for ${ctx.method} ${ctx.path}.`);
      }
      if ((ctx.status === 405 || ctx.status === 501) && !ctx.body) {
        // Set by the routers' allowedMethods(), which leave the body empty.
        const allowed = ctx.response.get('Allow') || 'none';
        ctx.body = {
          error: {
            code: 'method_not_allowed',
            message: `${ctx.method} is not allowed on ${ctx.path} (allowed: ${allowed}).`,
          },
        };
      }
    } catch (error) {
      const { status, body, headers } = toResponse(error);
      if (status >= 500) logger.error({ err: error, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = status;
      ctx.set(headers);
      ctx.body = body;
    }
  };
}

function toResponse(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof CodedError && error.declared) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    const headers = error instanceof HttpError ? error.headers : {};
    return {
      status: error.status,
      body,
      headers: error.status === 401 ? { 'WWW-Authenticate': 'Bearer', ...headers } : headers,
    };
  }
  if (error instanceof ZodError) {
    const { message, issues } = formatZodError(error);
    return {
      status: 400,
      body: { error: { code: 'validation_failed', message, details: issues } },
      headers: {},
    };
  }
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: boolean }).expose) {
    // http-errors thrown by Koa itself (ctx.throw, malformed URLs).
    return {
      status,
      body: { error: { code: 'bad_request', message: (error as Error).message } },
      headers: {},
    };
  }
  return { status: 500, body: { error: toWireError(error, []) }, headers: {} };
}
