import type { Context, Middleware } from 'koa';
import { HttpError } from '../errors.ts';

declare module 'koa' {
  interface Request {
    /** Parsed JSON body (undefined when the request had none). */
    body?: unknown;
  }
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Parses JSON request bodies up to `limitBytes` into ctx.request.body. Other content types are left unread for the
 * route (e.g. YAML import) to handle; an oversized body is refused with 413 before it is buffered whole.
 */
export function jsonBody(options: { limitBytes?: number } = {}): Middleware {
  const limit = options.limitBytes ?? 1024 * 1024;
  return async (ctx, next) => {
    if (!METHODS_WITH_BODY.has(ctx.method) || !ctx.request.is('json')) return next();
    const text = await readRawBody(ctx, limit);
    if (text.trim() !== '') {
      try {
        ctx.request.body = JSON.parse(text);
      } catch (error) {
        throw new HttpError(
          400,
          'invalid_json',
          `The request body is not valid JSON: ${(error as Error).message}`,
        );
      }
    }
    return next();
  };
}

/** The request body as text, refused with 413 once it exceeds `limit` bytes (before it is buffered whole). */
export async function readRawBody(ctx: Context, limit: number): Promise<string> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `The request body exceeds ${limit} bytes.`);
}
