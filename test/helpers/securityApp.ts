import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { type MikroORM, openOrm } from '../../server/src/db/orm.ts';
import { seedDemoUsers } from '../../server/src/db/seed.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';

export const DEMO_PASSWORD = 'security-test-password-0123456789';

export interface SecurityApp extends TestApp {
  request(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Logs a demo account in (admin, supervisor, agent, customer @voiceroom.local) or an email from addUser. */
  login(who: string): Promise<{ accessToken: string; refreshToken: string }>;
  /**
   * A new account with a random email (password DEMO_PASSWORD): Redis is shared by every test run on this machine,
   * so per-account lockouts must not hit the demo accounts other tests log in with.
   */
  addUser(role: string): Promise<string>;
  /** A connection of the test's own to the server's database (closed by close()). */
  orm: MikroORM;
  /** Runs SQL on the app's database (to demote or disable an account as an administrator would). */
  sql<T = unknown>(statement: string, params?: unknown[]): Promise<T[]>;
}

/** The real server (startTestApp: fresh MariaDB database, ephemeral port) with the demo accounts, for attack tests. */
export async function startSecurityApp(options: TestAppOptions = {}): Promise<SecurityApp> {
  const app = await startTestApp(options);
  const orm = await openOrm(app.server.config.db);
  await seedDemoUsers(orm, DEMO_PASSWORD);
  const request: SecurityApp['request'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${app.url}${path}`, {
      method,
      headers,
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
  };
  return {
    ...app,
    request,
    async login(who) {
      const res = await request('POST', '/api/auth/login', {
        body: { email: who.includes('@') ? who : `${who}@voiceroom.local`, password: DEMO_PASSWORD },
      });
      if (res.status !== 200) throw new Error(`login ${who} failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { accessToken: string; refreshToken: string };
    },
    async addUser(role) {
      const email = `user-${randomBytes(6).toString('hex')}@voiceroom.test`;
      await orm.em
        .getConnection()
        .execute(
          'insert into users (id, email, password_hash, role, display_name, created_at) values (?, ?, ?, ?, ?, now(3))',
          [randomUUID(), email, await hashPassword(DEMO_PASSWORD), role, `Test ${role}`],
        );
      return email;
    },
    orm,
    sql: (statement, params = []) => orm.em.fork().execute(statement, params),
    async close() {
      await orm.close(true);
      await app.close();
    },
  };
}

export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return body.error?.code ?? `(no error code; status ${res.status})`;
}
