import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/src/config.ts';
import { DEFAULT_SEED_PASSWORD, seedDemoUsers } from '../../server/src/db/seed.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/** Item 5 of the security review: what a production deployment refuses to run with. */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

interface Exit {
  code: number | null;
  output: string;
}

/** Runs a repository script (the server's main, a CLI) the way an operator would, with this environment. */
function run(script: string, args: string[], env: Record<string, string | undefined>): Promise<Exit> {
  const dbEnv = {
    DB_HOST: db.dbConfig.host,
    DB_PORT: String(db.dbConfig.port),
    DB_USER: db.dbConfig.user,
    DB_PASSWORD: db.dbConfig.password,
    DB_NAME: db.dbName,
  };
  const child = spawn(process.execPath, [path.join(REPO_ROOT, script), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...dbEnv, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  // A server that does start (the refusal is missing) is stopped, and the test fails on its output.
  const stop = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(stop);
      resolve({ code, output });
    }),
  );
}

const production = { NODE_ENV: 'production', LOG_LEVEL: 'info', MEDIASOUP_WORKERS: '1' };
const jwtSecret = randomBytes(32).toString('hex');

async function demoAccounts(): Promise<number> {
  const [row] = await db.orm.em
    .fork()
    .execute<{ n: number }[]>("select count(*) as n from users where email like '%@voiceroom.local'");
  return Number(row?.n);
}

describe('production mode', () => {
  it('attack: start the server with NODE_ENV=production and no JWT_SECRET, so tokens would be signed with a secret from the local disk | expected: it refuses to start, naming JWT_SECRET', async () => {
    const exit = await run('server/src/main.ts', [], { ...production });
    expect(exit.code).not.toBe(0);
    expect(exit.output).toMatch(/JWT_SECRET: is required in production/);
  });

  it('attack: start the server with NODE_ENV=production and a short JWT_SECRET | expected: it refuses to start, naming JWT_SECRET', async () => {
    const exit = await run('server/src/main.ts', [], { ...production, JWT_SECRET: 'short-secret' });
    expect(exit.code).not.toBe(0);
    expect(exit.output).toMatch(/JWT_SECRET: must be at least 32 characters/);
  });

  it('attack: seed the demo accounts (public password) into a production database | expected: refused, no account created', async () => {
    const exit = await run('server/src/db/cli.ts', ['seed'], { NODE_ENV: 'production' });
    expect(exit.code).toBe(2);
    expect(exit.output).toMatch(/create-admin/);
    expect(await demoAccounts()).toBe(0);
  });

  it('attack: log in with the public demo password on a production deployment whose database was seeded in development | expected: the server refuses to start (demo_password_in_production) until those passwords change', async () => {
    await seedDemoUsers(db.orm);
    try {
      const exit = await run('server/src/main.ts', [], { ...production, JWT_SECRET: jwtSecret });
      expect(exit.code).not.toBe(0);
      expect(exit.output).toMatch(/admin@voiceroom\.local.*still have the public demo password/);
    } finally {
      await db.orm.em.fork().execute("delete from users where email like '%@voiceroom.local'");
    }
  });
});

describe('first admin', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const login = (email: string, password: string) =>
    fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('attack: guess the first admin’s password of a fresh deployment (the demo password, or anything predictable) | expected: create-admin prints a random one-time password that logs in; the demo password does not', async () => {
    const email = `ops-${randomBytes(4).toString('hex')}@example.com`;
    const exit = await run('server/src/db/cli.ts', ['create-admin', '--email', email], {
      DB_NAME: app.dbName,
    });
    expect(exit.code).toBe(0);
    const password = /password: (\S+)/.exec(exit.output)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);

    expect((await login(email, DEFAULT_SEED_PASSWORD)).status).toBe(401);
    const ok = await login(email, password);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { user: { role: string } }).user.role).toBe('admin');

    const again = await run('server/src/db/cli.ts', ['create-admin', '--email', email], {
      DB_NAME: app.dbName,
    });
    expect(again.code).not.toBe(0);
    expect(again.output).toMatch(/already exists/);
  });
});
