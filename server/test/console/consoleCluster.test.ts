/**
 * Consoles across server processes (ConsoleBus, SharedPresence, ConsoleRelay), as behind a load balancer: process
 * B is a server in this test, process A a real `node server/src/main.ts` sharing B's MariaDB database, Redis key
 * prefix and JWT secret. Human agents' consoles connect to either; calls run on B with a scripted AI worker.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SecurityApp, startSecurityApp } from '../../../test/helpers/securityApp.ts';
import { REPO_ROOT } from '../../src/config.ts';
import { type RunningProcess, startNodeProcess } from '../helpers/childProcess.ts';
import { connectRtc, joinRoom } from '../signaling/rtcClient.ts';
import { type ConsoleClient, connectConsole, connectScriptedWorker } from './consoleClients.ts';

const MAIN = path.join(REPO_ROOT, 'server', 'src', 'main.ts');
/** CONSOLE_NODE_TTL_MS of both processes: a killed one must be gone from the others' presence within it. */
const TTL_MS = 6_000;

let b: SecurityApp;
let a: { process: RunningProcess; url: string };
let worker: Awaited<ReturnType<typeof connectScriptedWorker>>;
const consoles: ConsoleClient[] = [];
const closers: (() => void)[] = [];
const processes: RunningProcess[] = [];

async function human(url: string) {
  const email = await b.addUser('human_agent');
  const session = await b.login(email);
  const [user] = await b.sql<{ id: string }>('select id from users where email = ?', [email]);
  const client = await connectConsole(url, session.accessToken);
  consoles.push(client);
  return { client, userId: user?.id as string };
}

/** A call on B answered by the scripted worker, with the customer in the room over signaling. */
async function callOnB(displayName: string) {
  const res = await b.request('POST', '/api/calls', { body: { agentId: 'pizzeria', displayName } });
  expect(res.status).toBe(201);
  const call = (await res.json()) as { callId: string; roomId: string; token: string };
  const customer = await connectRtc(b.url, call.token);
  closers.push(() => customer.close());
  await joinRoom(customer);
  await expect.poll(() => worker.sessions.some((s) => s.roomId === call.roomId)).toBe(true);
  return call;
}

/** Another server process of B's deployment: `node server/src/main.ts` on B's database, Redis prefix and secret. */
async function startProcess(): Promise<{ process: RunningProcess; url: string }> {
  const { config } = b.server;
  const child = startNodeProcess([MAIN], {
    HOST: '127.0.0.1',
    PORT: '0',
    DB_HOST: config.db.host,
    DB_PORT: String(config.db.port),
    DB_USER: config.db.user,
    DB_PASSWORD: config.db.password,
    DB_NAME: config.db.dbName,
    JWT_SECRET: config.jwt.secret,
    REDIS_URL: config.redisUrl,
    REDIS_KEY_PREFIX: config.redisKeyPrefix,
    MEDIASOUP_WORKERS: '1',
    CONSOLE_NODE_TTL_MS: String(TTL_MS),
    RATE_LIMIT_LOGIN: '0/60',
    LOG_LEVEL: 'info',
  });
  processes.push(child);
  const [, url] = await child.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"server listening"/);
  return { process: child, url: url as string };
}

beforeAll(async () => {
  b = await startSecurityApp({ env: { RATE_LIMIT_LOGIN: '0/60', CONSOLE_NODE_TTL_MS: String(TTL_MS) } });
  a = await startProcess();
  const { token } = await b.server.tokens.issueServiceToken('scripted-cluster');
  worker = await connectScriptedWorker(b.url, token);
}, 90_000);

afterAll(async () => {
  for (const close of closers) close();
  for (const c of consoles) c.close();
  worker?.close();
  // Signalling an exited process (A is killed by a test) does nothing.
  for (const child of processes) child.signal('SIGKILL');
  await Promise.all(processes.map((child) => child.exited));
  await b?.close();
});

describe('consoles on several server processes', () => {
  it("shows a human whose console is on A in B's presence feed, and a call on B in A's live call list", async () => {
    const onB = await human(b.url);
    const onA = await human(a.url);
    await expect
      .poll(() => onB.client.of('presence.changed').findLast((p) => p.data.agent.userId === onA.userId))
      .toMatchObject({ data: { agent: { presence: 'available', role: 'human_agent' } } });
    expect((await onA.client.request('presence.set', { presence: 'away' })).ok).toBe(true);
    await expect
      .poll(() => onB.client.of('presence.changed').findLast((p) => p.data.agent.userId === onA.userId))
      .toMatchObject({ data: { agent: { presence: 'away', chosen: 'away' } } });

    const call = await callOnB('Robin');
    await expect
      .poll(() => onA.client.of('call.updated').some((u) => u.data.call.callId === call.callId))
      .toBe(true);
    // A console connecting to A later gets B's call and both humans in its first state.
    const late = await human(a.url);
    await expect.poll(() => late.client.of('console.state').length).toBe(1);
    const [state] = late.client.of('console.state');
    expect(state?.data.calls.map((c) => c.callId)).toContain(call.callId);
    expect(state?.data.agents.map((p) => p.userId)).toEqual(
      expect.arrayContaining([onA.userId, onB.userId, late.userId]),
    );
  });

  it('pushes a handoff raised by a call on B to a human on A within 1 s; of two humans on A and B accepting at once exactly one wins', async () => {
    const onA = await human(a.url);
    const onB = await human(b.url);
    const call = await callOnB('Sam');
    worker.transcript(call.roomId, 'customer', 'I want to talk to a person', 1);
    const sentAt = performance.now();
    worker.handoff(call.roomId, 'caller asked for a human');
    await expect
      .poll(() => onA.client.of('handoff.requested').find((r) => r.data.request.roomId === call.roomId))
      .toBeDefined();
    const pushed = onA.client.of('handoff.requested').find((r) => r.data.request.roomId === call.roomId);
    const notifyMs = (pushed?.at ?? Number.POSITIVE_INFINITY) - sentAt;
    process.stdout.write(`handoff raised on B reached the console on A in ${notifyMs.toFixed(0)} ms\n`);
    expect(notifyMs).toBeLessThan(1_000);
    expect(pushed?.data.request.summary.lastTurns.at(-1)?.text).toBe('I want to talk to a person');
    const requestId = pushed?.data.request.requestId as string;
    await expect
      .poll(() => onB.client.of('handoff.requested').some((r) => r.data.request.requestId === requestId))
      .toBe(true);

    const answers = await Promise.all([
      onA.client.request('handoff.accept', { requestId }),
      onB.client.request('handoff.accept', { requestId }),
    ]);
    expect(answers.filter((x) => x.ok)).toHaveLength(1);
    expect(answers.filter((x) => !x.ok)).toMatchObject([{ ok: false, error: { code: 'handoff_taken' } }]);
    const winner = answers[0]?.ok ? onA : onB;
    expect(answers.find((x) => x.ok)).toMatchObject({
      ok: true,
      data: { requestId, roomId: call.roomId, role: 'human_agent' },
    });
    const [row] = await b.sql<{ status: string; accepted_by: string }>(
      'select status, accepted_by from handoff_requests where id = ?',
      [requestId],
    );
    expect(row).toEqual({ status: 'accepted', accepted_by: winner.userId });
    // Both consoles, whichever process they are on, see who took it; the AI on B fell silent.
    for (const c of [onA, onB]) {
      await expect
        .poll(() => c.client.of('handoff.accepted').find((n) => n.data.requestId === requestId))
        .toMatchObject({ data: { acceptedBy: { userId: winner.userId } } });
    }
    await expect
      .poll(() =>
        worker.takeovers.some(
          (t) =>
            t.active && worker.sessions.some((s) => s.sessionId === t.sessionId && s.roomId === call.roomId),
        ),
      )
      .toBe(true);
  });

  it('makes a human whose console is on A busy while they are in a call on B, and available again after', async () => {
    const onB = await human(b.url);
    const onA = await human(a.url);
    const call = await callOnB('Kim');
    const presenceOf = (c: ConsoleClient) =>
      c.of('presence.changed').findLast((p) => p.data.agent.userId === onA.userId)?.data.agent;
    await expect.poll(() => presenceOf(onB.client)?.presence).toBe('available');
    const { token } = await b.server.tokens.issueRoomToken({
      identity: onA.userId,
      name: 'Test human_agent',
      room: call.roomId,
      role: 'human_agent',
    });
    const inCall = await connectRtc(b.url, token);
    await joinRoom(inCall);
    for (const c of [onA, onB]) {
      await expect
        .poll(() => presenceOf(c.client))
        .toMatchObject({ presence: 'busy', chosen: 'available', calls: 1 });
    }
    inCall.close();
    for (const c of [onA, onB]) {
      await expect.poll(() => presenceOf(c.client)).toMatchObject({ presence: 'available', calls: 0 });
    }
  });

  it("shows a frozen process's humans offline and its calls ended within the TTL, and both again once it resumes", async () => {
    const onB = await human(b.url);
    const onA = await human(a.url);
    // A call on A (no AI worker there: it waits for one), its customer in the room.
    const started = await fetch(`${a.url}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Ari' }),
    });
    expect(started.status).toBe(201);
    const call = (await started.json()) as { callId: string; roomId: string; token: string };
    const customer = await connectRtc(a.url, call.token);
    closers.push(() => customer.close());
    await joinRoom(customer);
    const shownOnB = () =>
      onB.client.of('presence.changed').findLast((p) => p.data.agent.userId === onA.userId)?.data.agent
        .presence;
    const callOnB = () =>
      onB.client.received.findLast(
        (r) =>
          (r.name === 'call.updated' &&
            (r.data as { call: { roomId: string } }).call.roomId === call.roomId) ||
          (r.name === 'call.ended' && (r.data as { roomId: string }).roomId === call.roomId),
      );
    await expect.poll(shownOnB).toBe('available');
    await expect.poll(() => callOnB()?.name).toBe('call.updated');

    a.process.signal('SIGSTOP');
    try {
      await expect.poll(shownOnB, { timeout: TTL_MS * 2 }).toBe('offline');
      expect(callOnB()).toMatchObject({ name: 'call.ended', data: { reason: 'server_lost' } });
    } finally {
      a.process.signal('SIGCONT');
    }
    await expect.poll(shownOnB, { timeout: TTL_MS }).toBe('available');
    await expect.poll(() => callOnB()?.name).toBe('call.updated');
  }, 30_000);

  it("drops the humans of a killed process from the other's presence within the TTL", async () => {
    const onB = await human(b.url);
    const onA = await human(a.url);
    await expect
      .poll(() => onB.client.of('presence.changed').findLast((p) => p.data.agent.userId === onA.userId))
      .toMatchObject({ data: { agent: { presence: 'available' } } });
    a.process.signal('SIGKILL');
    const killedAt = performance.now();
    await a.process.exited;
    await expect
      .poll(() => onB.client.of('presence.changed').findLast((p) => p.data.agent.userId === onA.userId), {
        timeout: TTL_MS * 2,
      })
      .toMatchObject({ data: { agent: { presence: 'offline' } } });
    const gone = onB.client.of('presence.changed').findLast((p) => p.data.agent.userId === onA.userId);
    const goneMs = (gone?.at ?? Number.POSITIVE_INFINITY) - killedAt;
    process.stdout.write(
      `a killed process's human shown offline after ${goneMs.toFixed(0)} ms (TTL ${TTL_MS})\n`,
    );
    expect(goneMs).toBeLessThan(TTL_MS);
    expect(b.server.console.presence.list().map((p) => p.userId)).not.toContain(onA.userId);
  });

  it("gives a process started later the others' calls and pending requests, leaves those pending, and forwards its accept to the owner", async () => {
    const onB = await human(b.url);
    const call = await callOnB('Lee');
    worker.handoff(call.roomId, 'caller asked for a human');
    await expect
      .poll(() => onB.client.of('handoff.requested').find((r) => r.data.request.roomId === call.roomId))
      .toBeDefined();
    const requestId = onB.client.of('handoff.requested').find((r) => r.data.request.roomId === call.roomId)
      ?.data.request.requestId as string;

    const later = await startProcess();
    const onLater = await human(later.url);
    await expect.poll(() => onLater.client.of('console.state').length).toBe(1);
    const [state] = onLater.client.of('console.state');
    expect(state?.data.calls.map((c) => c.roomId)).toContain(call.roomId);
    expect(state?.data.handoffs.map((r) => r.requestId)).toEqual([requestId]);
    const [row] = await b.sql<{ status: string }>('select status from handoff_requests where id = ?', [
      requestId,
    ]);
    expect(row?.status).toBe('pending');

    expect(await onLater.client.request('handoff.accept', { requestId })).toMatchObject({
      ok: true,
      data: { requestId, roomId: call.roomId },
    });
    await expect
      .poll(() => onB.client.of('handoff.accepted').find((n) => n.data.requestId === requestId))
      .toMatchObject({ data: { acceptedBy: { userId: onLater.userId } } });
  }, 60_000);
});
