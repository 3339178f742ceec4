/**
 * Graceful shutdown of a real server process (server/src/main.ts) on SIGTERM: new calls are refused with 503
 * server_draining (and /readyz says not ready) while live calls go on; when SERVER_DRAIN_TIMEOUT_S passes (or a
 * second signal asks to stop now) the live rooms are closed with reason server_shutdown, which clients receive as
 * roomClosed, the call records are flushed, and the process exits 0.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.ts';
import { type RunningProcess, startNodeProcess } from '../helpers/childProcess.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { connectRtc, joinRoom, type RtcTestClient } from '../signaling/rtcClient.ts';

const MAIN = path.join(REPO_ROOT, 'server', 'src', 'main.ts');
let db: TestDatabase;
let server: RunningProcess | undefined;
let client: RtcTestClient | undefined;

async function startServerProcess(drainTimeoutS: number): Promise<{ process: RunningProcess; url: string }> {
  const { dbConfig } = db;
  server = startNodeProcess([MAIN], {
    HOST: '127.0.0.1',
    PORT: '0',
    DB_HOST: dbConfig.host,
    DB_PORT: String(dbConfig.port),
    DB_USER: dbConfig.user,
    DB_PASSWORD: dbConfig.password,
    DB_NAME: dbConfig.dbName,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MEDIASOUP_WORKERS: '1',
    SERVER_DRAIN_TIMEOUT_S: String(drainTimeoutS),
    LOG_LEVEL: 'info',
  });
  const [, url] = await server.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"server listening"/);
  return { process: server, url: url as string };
}

const startCall = (url: string) =>
  fetch(`${url}/api/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'Caller' }),
  });

/** A customer who started a call and joined its room over signaling. */
async function customerInCall(url: string): Promise<RtcTestClient> {
  const response = await startCall(url);
  expect(response.status).toBe(201);
  const { token } = (await response.json()) as { token: string };
  client = await connectRtc(url, token);
  await joinRoom(client);
  return client;
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterEach(() => {
  client?.close();
  server?.signal('SIGKILL');
});

afterAll(async () => {
  await db?.drop();
});

describe('server process on SIGTERM', () => {
  it('refuses new calls with 503 server_draining while a live call goes on', async () => {
    const { process: proc, url } = await startServerProcess(600);
    const customer = await customerInCall(url);

    proc.signal('SIGTERM');
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 10_000 }).toBe(503);
    const refused = await startCall(url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('server_draining');
    expect(customer.notifications.some((n) => n.method === 'roomClosed')).toBe(false);

    // A second signal stops waiting: the room closes with the shutdown reason and the process exits cleanly.
    proc.signal('SIGTERM');
    expect(await customer.next('roomClosed')).toEqual({ reason: 'server_shutdown', rejoin: true });
    expect(await proc.exited).toBe(0);
  }, 60_000);

  it('closes the rooms still live at the drain timeout with reason server_shutdown, then exits 0', async () => {
    const { process: proc, url } = await startServerProcess(1);
    const customer = await customerInCall(url);

    proc.signal('SIGTERM');
    expect(await customer.next('roomClosed', undefined, 20_000)).toEqual({
      reason: 'server_shutdown',
      rejoin: true,
    });
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toMatch(/drain timeout: closing the calls still live/);
    // The call record was flushed before the exit: ended, with the shutdown as its reason.
    const [call] = await db.orm.em
      .getConnection()
      .execute<{ status: string; end_reason: string }[]>('select status, end_reason from calls');
    expect(call).toMatchObject({ status: 'ended', end_reason: 'server_shutdown' });
  }, 60_000);
});
