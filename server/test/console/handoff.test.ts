import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SecurityApp, startSecurityApp } from '../../../test/helpers/securityApp.ts';
import { TokenService } from '../../src/auth/TokenService.ts';
import { connectRtc, joinRoom } from '../signaling/rtcClient.ts';
import {
  type ConsoleClient,
  connectConsole,
  connectScriptedWorker,
  consoleRefusal,
} from './consoleClients.ts';

let app: SecurityApp;
let worker: Awaited<ReturnType<typeof connectScriptedWorker>>;
const consoles: ConsoleClient[] = [];
const closers: (() => void)[] = [];

async function staffConsole(role: string) {
  const email = await app.addUser(role);
  const session = await app.login(email);
  const [user] = await app.sql<{ id: string }>('select id from users where email = ?', [email]);
  const client = await connectConsole(app.url, session.accessToken);
  consoles.push(client);
  return { client, token: session.accessToken, userId: user?.id as string };
}

/** A call answered by the scripted worker, with the customer in the room over signaling. */
async function liveCall(agentId: string, displayName: string) {
  const res = await app.request('POST', '/api/calls', { body: { agentId, displayName } });
  expect(res.status).toBe(201);
  const call = (await res.json()) as { callId: string; roomId: string; token: string };
  const customer = await connectRtc(app.url, call.token);
  closers.push(() => customer.close());
  await joinRoom(customer);
  await expect.poll(() => worker.sessions.some((s) => s.roomId === call.roomId)).toBe(true);
  return { ...call, customer };
}

async function handoffStatus(requestId: string) {
  const [row] = await app.sql<{ status: string }>('select status from handoff_requests where id = ?', [
    requestId,
  ]);
  return row?.status;
}

beforeAll(async () => {
  // Several staff accounts log in here: the per-address login limit is not what this file tests.
  app = await startSecurityApp({ env: { RATE_LIMIT_LOGIN: '0/60' }, handoffJoinTimeoutMs: 4_000 });
  const { token } = await app.server.tokens.issueServiceToken('scripted-handoff');
  worker = await connectScriptedWorker(app.url, token);
  // An agent whose handoff requests wait one second (handoff.timeoutS), for the expiry case.
  const admin = (await app.login('admin')).accessToken;
  const pizzeria = (await (
    await app.request('GET', '/api/agent-configs/pizzeria', { token: admin })
  ).json()) as {
    handoff: Record<string, unknown>;
  };
  const created = await app.request('POST', '/api/agent-configs', {
    token: admin,
    body: { ...pizzeria, id: 'impatient', handoff: { ...pizzeria.handoff, timeoutS: 1 } },
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  for (const close of closers) close();
  for (const c of consoles) c.close();
  worker?.close();
  await app?.close();
});

describe('handoff requests', () => {
  it('pushes the request with its summary to available agents within 1 s, not to busy or away ones; the first accept wins', async () => {
    const first = await staffConsole('human_agent');
    const second = await staffConsole('human_agent');
    const away = await staffConsole('human_agent');
    const busy = await staffConsole('supervisor');
    expect((await away.client.request('presence.set', { presence: 'away' })).ok).toBe(true);
    expect(await busy.client.request('presence.set', { presence: 'busy' })).toMatchObject({
      ok: true,
      data: { agent: { presence: 'busy', chosen: 'busy', userId: busy.userId } },
    });
    await expect
      .poll(() => first.client.of('presence.changed').some((p) => p.data.agent.userId === busy.userId))
      .toBe(true);

    const call = await liveCall('pizzeria', 'Dana');
    worker.transcript(call.roomId, 'customer', 'a large pepperoni pizza please', 1);
    worker.transcript(call.roomId, 'agent', 'One large pepperoni pizza. Anything else?', 2);
    worker.transcript(call.roomId, 'customer', 'I want to talk to a person', 3);
    const sentAt = performance.now();
    worker.handoff(call.roomId, 'caller asked for a human');

    await expect.poll(() => first.client.of('handoff.requested').length).toBe(1);
    await expect.poll(() => second.client.of('handoff.requested').length).toBe(1);
    const [pushed] = first.client.of('handoff.requested');
    expect((pushed?.at ?? Number.POSITIVE_INFINITY) - sentAt).toBeLessThan(1_000);
    const request = pushed?.data.request;
    expect(request).toMatchObject({
      callId: call.callId,
      roomId: call.roomId,
      agentId: 'pizzeria',
      status: 'pending',
      summary: {
        reason: 'caller asked for a human',
        customerName: 'Dana',
        order: [{ name: 'pepperoni pizza', size: 'large', quantity: 1 }],
        sentiment: { label: 'neutral' },
      },
    });
    expect(request?.summary.lastTurns.at(-1)).toEqual({
      speaker: 'customer',
      text: 'I want to talk to a person',
    });
    expect(away.client.of('handoff.requested')).toEqual([]);
    expect(busy.client.of('handoff.requested')).toEqual([]);
    await expect
      .poll(
        () =>
          first.client.of('call.updated').findLast((u) => u.data.call.callId === call.callId)?.data.call
            .handoff,
      )
      .toEqual({ requestId: request?.requestId, status: 'pending' });

    const requestId = request?.requestId as string;
    const answers = await Promise.all([
      first.client.request('handoff.accept', { requestId }),
      second.client.request('handoff.accept', { requestId }),
    ]);
    const won = answers.filter((a) => a.ok);
    const lost = answers.filter((a) => !a.ok);
    expect(won).toHaveLength(1);
    expect(lost).toMatchObject([{ ok: false, error: { code: 'handoff_taken' } }]);
    const winner = answers[0]?.ok ? first : second;
    const acceptance = won[0]?.ok ? won[0].data : undefined;
    expect(acceptance).toMatchObject({
      requestId,
      callId: call.callId,
      roomId: call.roomId,
      role: 'human_agent',
      media: { backend: 'mediasoup' },
    });
    // The AI fell silent at the accept, before the human even joined.
    await expect.poll(() => worker.takeovers.at(-1)?.active).toBe(true);
    for (const c of [first, second, away, busy])
      await expect
        .poll(() => c.client.of('handoff.accepted').map((n) => n.data))
        .toEqual([
          {
            requestId,
            callId: call.callId,
            roomId: call.roomId,
            acceptedBy: expect.objectContaining({ userId: winner.userId }),
          },
        ]);

    // The winner joins with the token it was given and holds the takeover.
    const human = await connectRtc(app.url, acceptance?.token as string);
    closers.push(() => human.close());
    await joinRoom(human);
    expect(await human.request('copilotTakeover', { active: true })).toMatchObject({
      takeover: { peerId: expect.any(String) },
    });
    await expect
      .poll(
        () =>
          winner.client.of('presence.changed').findLast((p) => p.data.agent.userId === winner.userId)?.data
            .agent,
      )
      .toMatchObject({ presence: 'busy', chosen: 'available', calls: 1 });

    const admin = (await app.login('admin')).accessToken;
    const record = (await (
      await app.request('GET', `/api/calls/${call.callId}`, { token: admin })
    ).json()) as {
      handoffs: unknown[];
    };
    expect(record.handoffs).toMatchObject([
      { requestId, status: 'accepted', acceptedBy: winner.userId, reason: 'caller asked for a human' },
    ]);
    const audit = await app.request('GET', `/api/audit?callId=${call.callId}&pageSize=50`, { token: admin });
    expect(audit.status).toBe(200);
    const entries = (await audit.json()) as {
      items: { action: string; actorId: string | null }[];
      total: number;
    };
    const actions = entries.items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['handoff.request', 'handoff.accept', 'copilot.takeover']),
    );
    expect(entries.items.find((e) => e.action === 'handoff.accept')?.actorId).toBe(winner.userId);
    // Audit rows name ids only: neither the caller's name nor the order is in them.
    expect(JSON.stringify(entries)).not.toMatch(/Dana|pepperoni/);
    const byActor = (await (
      await app.request('GET', `/api/audit?actorId=${winner.userId}&action=handoff.`, { token: admin })
    ).json()) as { items: { action: string }[] };
    expect(byActor.items.map((e) => e.action)).toEqual(['handoff.accept']);
  });

  it('expires a request nobody accepts within the agent timeout: the worker is told and the request is recorded expired', async () => {
    const agent = await staffConsole('human_agent');
    const call = await liveCall('impatient', 'Sam');
    worker.handoff(call.roomId, 'caller sounds upset');
    await expect.poll(() => agent.client.of('handoff.requested').length).toBe(1);
    const requestId = agent.client.of('handoff.requested')[0]?.data.request.requestId as string;
    await expect
      .poll(() => worker.unanswered.map((u) => u.requestId), { timeout: 5_000 })
      .toEqual([requestId]);
    expect(worker.unanswered[0]?.sessionId).toBe(
      worker.sessions.findLast((s) => s.roomId === call.roomId)?.sessionId,
    );
    expect(await handoffStatus(requestId)).toBe('expired');
    await expect
      .poll(() => agent.client.of('handoff.expired').map((n) => n.data.requestId))
      .toEqual([requestId]);
    expect(await agent.client.request('handoff.accept', { requestId })).toMatchObject({
      ok: false,
      error: { code: 'handoff_expired' },
    });
    const admin = (await app.login('admin')).accessToken;
    const audit = (await (
      await app.request('GET', `/api/audit?callId=${call.callId}&action=handoff.expire`, { token: admin })
    ).json()) as { items: { actorId: string | null }[] };
    expect(audit.items).toMatchObject([{ actorId: null }]);
  });

  it('gives the call back to the AI when the human who accepted never takes it over', async () => {
    const agent = await staffConsole('human_agent');
    const call = await liveCall('pizzeria', 'Ola');
    worker.handoff(call.roomId, 'caller asked for a human');
    await expect.poll(() => agent.client.of('handoff.requested').length).toBe(1);
    const requestId = agent.client.of('handoff.requested')[0]?.data.request.requestId as string;
    const session = worker.sessions.findLast((s) => s.roomId === call.roomId)?.sessionId;
    expect((await agent.client.request('handoff.accept', { requestId })).ok).toBe(true);
    await expect
      .poll(() => worker.takeovers.filter((t) => t.sessionId === session))
      .toEqual([{ sessionId: session, active: true }]);
    await expect
      .poll(() => worker.takeovers.filter((t) => t.sessionId === session).at(-1), { timeout: 8_000 })
      .toEqual({ sessionId: session, active: false });
    const admin = (await app.login('admin')).accessToken;
    const audit = (await (
      await app.request('GET', `/api/audit?callId=${call.callId}&action=handoff.join_timeout`, {
        token: admin,
      })
    ).json()) as { items: { actorId: string | null }[] };
    expect(audit.items).toMatchObject([{ actorId: agent.userId }]);
  });

  it('offers a pending request to an agent who becomes available, and cancels it when the call ends', async () => {
    const agent = await staffConsole('human_agent');
    await agent.client.request('presence.set', { presence: 'away' });
    const call = await liveCall('pizzeria', 'Lee');
    worker.handoff(call.roomId, 'caller asked for a human');
    await expect.poll(() => app.server.console.desk.pending.some((r) => r.roomId === call.roomId)).toBe(true);
    expect(agent.client.of('handoff.requested')).toEqual([]);
    await agent.client.request('presence.set', { presence: 'available' });
    await expect
      .poll(() => agent.client.of('handoff.requested').map((r) => r.data.request.roomId))
      .toContain(call.roomId);
    const requestId = agent.client.of('handoff.requested').find((r) => r.data.request.roomId === call.roomId)
      ?.data.request.requestId as string;
    expect(await agent.client.request('handoff.decline', { requestId })).toEqual({ ok: true, data: {} });

    await call.customer.request('leave');
    await expect
      .poll(() => agent.client.of('handoff.cancelled').map((n) => n.data.requestId), { timeout: 10_000 })
      .toContain(requestId);
    expect(await handoffStatus(requestId)).toBe('cancelled');
  });
});

describe('who may use the console and the audit log', () => {
  it('refuses a customer token, a room token and an expired staff token at the console handshake', async () => {
    expect(await consoleRefusal(app.url, (await app.login('customer')).accessToken)).toBe('forbidden');
    const call = (await (await app.request('POST', '/api/calls', { body: {} })).json()) as { token: string };
    expect(await consoleRefusal(app.url, call.token)).toBe('unauthorized');
    const shortLived = new TokenService({ ...app.server.config.jwt, accessTtlS: -60 });
    const [agent] = await app.sql<{ id: string; email: string }>(
      "select id, email from users where email = 'agent@voiceroom.local'",
    );
    const expired = await shortLived.issueAccessToken({
      id: agent?.id as string,
      email: agent?.email as string,
      role: 'human_agent',
    });
    expect(await consoleRefusal(app.url, expired.token)).toBe('unauthorized');
  });

  it('answers token_expired to presence and accept requests once the staff token has expired on an open console', async () => {
    const [agent] = await app.sql<{ id: string; email: string }>(
      "select id, email from users where email = 'agent@voiceroom.local'",
    );
    // JWT expiry has whole-second resolution, so a token of n seconds lives between n - 1 and n seconds: 5 leaves a
    // loaded machine 4 s to connect and make the first request before it expires.
    const shortLived = new TokenService({ ...app.server.config.jwt, accessTtlS: 5 });
    const issued = await shortLived.issueAccessToken({
      id: agent?.id as string,
      email: agent?.email as string,
      role: 'human_agent',
    });
    const client = await connectConsole(app.url, issued.token);
    consoles.push(client);
    expect((await client.request('presence.set', { presence: 'away' })).ok).toBe(true);
    await expect
      .poll(async () => (await client.request('presence.set', { presence: 'available' })).ok, {
        timeout: 8_000,
        interval: 250,
      })
      .toBe(false);
    expect(await client.request('presence.set', { presence: 'available' })).toMatchObject({
      ok: false,
      error: { code: 'token_expired' },
    });
    expect(await client.request('handoff.accept', { requestId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'token_expired' },
    });
  });

  it('serves GET /api/audit to admins only, validating filters', async () => {
    const customer = (await app.login('customer')).accessToken;
    const agent = (await app.login('agent')).accessToken;
    const admin = (await app.login('admin')).accessToken;
    expect((await app.request('GET', '/api/audit', { token: customer })).status).toBe(403);
    expect((await app.request('GET', '/api/audit', { token: agent })).status).toBe(403);
    expect((await app.request('GET', '/api/audit')).status).toBe(401);
    const shortLived = new TokenService({ ...app.server.config.jwt, accessTtlS: -60 });
    const [row] = await app.sql<{ id: string }>("select id from users where email = 'admin@voiceroom.local'");
    const expired = await shortLived.issueAccessToken({
      id: row?.id as string,
      email: 'admin@voiceroom.local',
      role: 'admin',
    });
    expect((await app.request('GET', '/api/audit', { token: expired.token })).status).toBe(401);
    expect((await app.request('GET', '/api/audit?callId=nope', { token: admin })).status).toBe(400);
    const page = await app.request('GET', '/api/audit?page=1&pageSize=2', { token: admin });
    expect(page.status).toBe(200);
    const body = (await page.json()) as { items: unknown[]; total: number; pageSize: number };
    expect(body.pageSize).toBe(2);
    expect(body.items.length).toBeLessThanOrEqual(2);
    const future = await app.request('GET', `/api/audit?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`, {
      token: admin,
    });
    expect(((await future.json()) as { total: number }).total).toBe(0);
  });
});
