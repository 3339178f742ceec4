import { type MikroORM, openOrm } from '../../server/src/db/orm.ts';
import { seedDemoUsers } from '../../server/src/db/seed.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';

export const STAFF_PASSWORD = 'security-audit-password-0123';

export interface SeededApp extends TestApp {
  /** A connection of the test's own to the server's database (closed by close()). */
  orm: MikroORM;
  sql<T>(query: string, params?: unknown[]): Promise<T[]>;
  /** Logs a demo account in ('admin', 'supervisor', 'agent') through the API: its JSON session. */
  login(who: 'admin' | 'supervisor' | 'agent'): Promise<{ accessToken: string; refreshToken: string }>;
  api(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<Response>;
}

/**
 * The real server (startTestApp) with the demo staff accounts seeded under a test password, and login throttling
 * off (the tests of throttling start their own servers).
 */
export async function startSeededApp(options: TestAppOptions = {}): Promise<SeededApp> {
  // Login throttling counts per address in the shared Redis: every test server here is 127.0.0.1.
  const app = await startTestApp({ ...options, env: { RATE_LIMIT_LOGIN: '0/60', ...options.env } });
  const orm = await openOrm(app.server.config.db);
  await seedDemoUsers(orm, STAFF_PASSWORD);
  const api: SeededApp['api'] = (method, path, { token, body } = {}) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    ...app,
    orm,
    api,
    sql: (query, params = []) => orm.em.fork().execute(query, params),
    async login(who) {
      const res = await api('POST', '/api/auth/login', {
        body: { email: `${who}@voiceroom.local`, password: STAFF_PASSWORD },
      });
      if (res.status !== 200) throw new Error(`login ${who}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { accessToken: string; refreshToken: string };
    },
    async close() {
      await orm.close(true);
      await app.close();
    },
  };
}
