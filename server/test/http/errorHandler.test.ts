import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import { CodedError, ERROR_STATUS } from '@voiceroom/protocol';
import Koa from 'koa';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthError } from '../../src/auth/errors.ts';
import { errorHandler } from '../../src/http/middleware/errorHandler.ts';

const SECRET = 'select password from users where email = root@db-host';
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const router = new Router();
  router.get('/coded/:code', (ctx) => {
    throw new CodedError(ctx.params.code as string, `refused with ${ctx.params.code}`);
  });
  router.get('/unknown', () => {
    throw new Error(SECRET);
  });
  router.get('/zod', () => {
    z.object({ name: z.string() }).parse({ name: 7 });
  });
  router.get('/status', () => {
    throw new CodedError('not_found', 'given its own status', { status: 418 });
  });
  router.get('/auth', () => {
    throw new AuthError('token_expired');
  });
  const app = new Koa();
  app.use(errorHandler(pino({ level: 'silent' })));
  app.use(router.routes());
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get(path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe('the HTTP error middleware', () => {
  it.each(Object.entries(ERROR_STATUS))(
    'answers a CodedError %s from a route with HTTP %i and its code',
    async (code, status) => {
      expect(await get(`/coded/${code}`)).toMatchObject({
        status,
        body: { error: { code, message: `refused with ${code}` } },
      });
    },
  );

  it('answers a CodedError whose code is not in the table as internal_error, its message hidden', async () => {
    const { status, body } = await get('/coded/some_new_code');
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(JSON.stringify(body)).not.toContain('some_new_code');
  });

  it('answers an unknown error with 500 internal_error without leaking its message', async () => {
    const { status, body } = await get('/unknown');
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(JSON.stringify(body)).not.toMatch(/password|db-host/);
  });

  it('answers a ZodError escaping a handler with 400 validation_failed naming the field', async () => {
    expect(await get('/zod')).toMatchObject({
      status: 400,
      body: {
        error: { code: 'validation_failed', details: [{ path: 'name', message: expect.any(String) }] },
      },
    });
  });

  it('lets a CodedError override the status of its code', async () => {
    expect((await get('/status')).status).toBe(418);
  });

  it('asks for a bearer token on a 401', async () => {
    const { status, headers } = await get('/auth');
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer');
  });
});
