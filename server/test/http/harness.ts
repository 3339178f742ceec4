import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { TokenService } from '../../src/auth/TokenService.ts';
import { seedDemoUsers } from '../../src/db/seed.ts';
import { createHttpApp, type HttpApp, type HttpAppDeps } from '../../src/http/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

export const JWT = {
  secret: 'http-test-secret-0123456789-0123456789-abcdef',
  issuer: 'voiceroom',
  accessTtlS: 900,
  refreshTtlS: 3600,
  roomTtlS: 600,
};
export const PASSWORD = 'correct horse battery staple';

export interface Harness {
  baseUrl: string;
  http: HttpApp;
  tokens: TokenService;
  db: TestDatabase;
  redis: Redis;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  login(email: string): Promise<{ accessToken: string; refreshToken: string }>;
  close(): Promise<void>;
}

/**
 * A real control plane on an ephemeral port: fresh MariaDB database with the demo accounts, Redis under a key prefix
 * of its own (rate-limit counters never collide between test files).
 */
export async function startHarness(overrides: Partial<HttpAppDeps> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  await seedDemoUsers(db.orm, PASSWORD);
  const redis = new Redis('redis://127.0.0.1:6379', { keyPrefix: `${db.dbName}:`, lazyConnect: true });
  await redis.connect();
  const tokens = new TokenService(JWT);
  const http = createHttpApp({
    config: { jwt: JWT },
    tokens,
    orm: db.orm,
    redis,
    startCall: async () => ({
      callId: randomBytes(4).toString('hex'),
      roomId: `room-${randomBytes(4).toString('hex')}`,
    }),
    ...overrides,
  });
  const server: Server = createServer(http.callback);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request: Harness['request'] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined || options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = options.raw ?? JSON.stringify(options.body);
    }
    return fetch(`${baseUrl}${path}`, { method, headers, body });
  };

  return {
    baseUrl,
    http,
    tokens,
    db,
    redis,
    request,
    async login(email) {
      const res = await request('POST', '/api/auth/login', { body: { email, password: PASSWORD } });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { accessToken: string; refreshToken: string };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // KEYS patterns get the client's keyPrefix added; the keys come back with it.
      const keys = await redis.keys('*');
      if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(db.dbName.length + 1)));
      redis.disconnect();
      await db.drop();
    },
  };
}

export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code ?? `(no error code; status ${res.status})`;
}
