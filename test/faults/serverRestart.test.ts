/**
 * The server process killed mid-call (kill -9) and started again on the same port: its calls cannot continue (the
 * rooms, the media and the agent's session died with it), so the restarted server has already ended them with
 * reason server_restart (a complete record, extraction queued), the caller's SDK reconnects on its own and is told
 * so (roomClosed server_restart: the page says the service restarted), and the agent worker reconnects and registers
 * again, ready for the next call. Times go to bench/results/faults.json (server_restart).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../server/src/auth/TokenService.ts';
import { loadConfig, REPO_ROOT } from '../../server/src/config.ts';
import { type RunningProcess, startNodeProcess } from '../../server/test/helpers/childProcess.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/helpers/db.ts';
import { type CallBrowser, launchCallBrowser, makeSpeechWav, pollUntil } from '../helpers/browser.ts';
import { recordFault } from './faultResults.ts';

const JWT_SECRET = randomBytes(32).toString('hex');
let db: TestDatabase;
let port: number;
let workDir: string;
let caller: CallBrowser;
let agent: RunningProcess;
const servers: RunningProcess[] = [];

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

/** A server process on the test's fixed port (so clients can find it again); resolves once it listens. */
async function startServerProcess(): Promise<RunningProcess> {
  const { dbConfig } = db;
  const server = startNodeProcess([path.join(REPO_ROOT, 'server', 'src', 'main.ts')], {
    HOST: '127.0.0.1',
    PORT: String(port),
    DB_HOST: dbConfig.host,
    DB_PORT: String(dbConfig.port),
    DB_USER: dbConfig.user,
    DB_PASSWORD: dbConfig.password,
    DB_NAME: dbConfig.dbName,
    JWT_SECRET,
    REDIS_KEY_PREFIX: `${dbConfig.dbName}:`,
    MEDIASOUP_WORKERS: '1',
    LOG_LEVEL: 'info',
  });
  servers.push(server);
  await server.waitForOutput(/"msg":"server listening"/);
  return server;
}

const sql = <T>(query: string, params: unknown[] = []) => db.orm.em.fork().execute<T[]>(query, params);

beforeAll(async () => {
  db = await createTestDatabase();
  port = await freePort();
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-restart-'));
  const server = await startServerProcess();
  const tokens = new TokenService(loadConfig({ JWT_SECRET, DB_NAME: db.dbName }).jwt);
  const { token } = await tokens.issueServiceToken('restart-agent', 3600);
  agent = startNodeProcess([path.join(REPO_ROOT, 'agent-worker', 'src', 'main.ts')], {
    HOME: process.env.HOME ?? '/root',
    SERVER_URL: `http://127.0.0.1:${port}`,
    AGENT_SERVICE_TOKEN: token,
    AGENT_NAME: 'restart-agent',
    AGENT_PIPELINE: 'echo',
    AGENT_CAPACITY: '2',
    AGENT_DRAIN_TIMEOUT_S: '0',
    LOG_LEVEL: 'info',
  });
  await server.waitForOutput(/"msg":"agent worker registered"/, 60_000);
  caller = await launchCallBrowser({
    fakeAudioWav: await makeSpeechWav('hello', workDir, { name: 'caller' }),
  });
}, 120_000);

afterAll(async () => {
  await caller?.close();
  agent?.signal('SIGKILL');
  for (const server of servers) server.signal('SIGKILL');
  await db?.drop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the server process killed mid-call and started again', () => {
  it('ends the call with reason server_restart, tells the caller, and the agent worker serves again', async () => {
    const [first] = servers as [RunningProcess];
    const { page } = caller;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.click('#call');
    await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
    await first.waitForOutput(/"msg":"agent joined the call"/, 30_000);
    const [call] = await sql<{ id: string }>("select id from calls where status = 'active'");
    expect(call).toBeDefined();

    const killedAt = performance.now();
    first.signal('SIGKILL');
    await first.exited;
    await page.waitForSelector('body[data-call-state="reconnecting"]', { timeout: 15_000 });
    const second = await startServerProcess();
    const listeningMs = performance.now() - killedAt;

    await page.waitForSelector('body[data-call-state="ended"]', { timeout: 20_000 });
    const callerToldMs = performance.now() - killedAt;
    expect(await page.textContent('#status')).toMatch(/service restarted/);
    await second.waitForOutput(/"msg":"agent worker registered"/, 20_000);
    const agentBackMs = performance.now() - killedAt;

    expect(await sql('select status, end_reason from calls where id = ?', [call?.id])).toEqual([
      { status: 'ended', end_reason: 'server_restart' },
    ]);
    expect(
      await sql('select count(*) as n from participants where call_id = ? and left_at is null', [call?.id]),
    ).toEqual([{ n: 0 }]);
    const [job] = await pollUntil(
      () => sql<{ status: string }>('select status from extraction_jobs where call_id = ?', [call?.id]),
      (rows) => rows[0]?.status === 'succeeded',
      { timeoutMs: 30_000, what: "the ended call's extraction" },
    );
    expect(job?.status).toBe('succeeded');

    // the caller calls again: a new call on the restarted server, answered by the re-registered agent
    await page.click('#call');
    await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
    await second.waitForOutput(/"msg":"agent joined the call"/, 30_000);
    expect(await sql("select count(*) as n from calls where status = 'active'")).toEqual([{ n: 1 }]);

    await recordFault('server_restart', {
      what:
        'kill -9 of the server process mid-call, a new one started on the same port at once: the call is ended ' +
        '(server_restart, extraction queued) rather than continued; times from the kill',
      n: 1,
      restarted_listening_ms: Math.round(listeningMs),
      caller_told_ms: Math.round(callerToldMs),
      agent_worker_registered_ms: Math.round(agentBackMs),
    });
  }, 150_000);
});
