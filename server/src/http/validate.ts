import { formatZodError } from '@voiceroom/protocol';
import type { Context } from 'koa';
import type { z } from 'zod';
import { HttpError } from './errors.ts';

type Source = 'body' | 'query' | 'params';

function validate<S extends z.ZodType>(source: Source, value: unknown, schema: S): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { message, issues } = formatZodError(parsed.error, {
    what: `Invalid request ${source}`,
    prefix: [source],
  });
  throw new HttpError(400, 'validation_failed', message, { details: issues });
}

/** The parsed JSON body (see jsonBody middleware), validated; throws 400 validation_failed naming each bad field. */
export function validateBody<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  return validate('body', (ctx.request as { body?: unknown }).body ?? {}, schema);
}

export function validateQuery<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  return validate('query', ctx.query, schema);
}

/** Route parameters (`ctx.params` set by @koa/router). */
export function validateParams<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  return validate('params', (ctx as { params?: unknown }).params ?? {}, schema);
}
