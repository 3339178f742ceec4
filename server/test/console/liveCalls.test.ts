import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SecurityApp, startSecurityApp } from '../../../test/helpers/securityApp.ts';
import { connectRtc, joinRoom } from '../signaling/rtcClient.ts';
import { type ConsoleClient, connectConsole, connectScriptedWorker } from './consoleClients.ts';

let app: SecurityApp;
let agentConsole: ConsoleClient;

beforeAll(async () => {
  app = await startSecurityApp();
  agentConsole = await connectConsole(app.url, (await app.login('agent')).accessToken);
});

afterAll(async () => {
  agentConsole?.close();
  await app?.close();
});

async function startCall(displayName: string) {
  const res = await app.request('POST', '/api/calls', { body: { displayName } });
  expect(res.status).toBe(201);
  return (await res.json()) as { callId: string; roomId: string; token: string };
}

async function callStatus(callId: string): Promise<string | undefined> {
  const [row] = await app.sql<{ status: string }>('select status from calls where id = ?', [callId]);
  return row?.status;
}

describe('live call list on the console channel', () => {
  it('pushes a new call with its AI state and order, and its end, without polling', async () => {
    const { token: serviceToken } = await app.server.tokens.issueServiceToken('scripted-live');
    const worker = await connectScriptedWorker(app.url, serviceToken);
    try {
      const call = await startCall('Robin');
      const customer = await connectRtc(app.url, call.token);
      await joinRoom(customer);
      await expect
        .poll(() => agentConsole.of('call.updated').some((u) => u.data.call.callId === call.callId))
        .toBe(true);
      await expect.poll(() => worker.sessions.some((s) => s.roomId === call.roomId)).toBe(true);
      worker.state(call.roomId, 'listening');
      worker.transcript(call.roomId, 'customer', 'can I get two large pepperoni pizzas', 1);
      const latest = () =>
        agentConsole.of('call.updated').findLast((u) => u.data.call.callId === call.callId)?.data.call;
      await expect
        .poll(() => latest()?.order)
        .toEqual([{ name: 'pepperoni pizza', size: 'large', quantity: 2 }]);
      expect(latest()).toMatchObject({
        aiState: 'listening',
        customerName: 'Robin',
        participants: 1,
        handoff: null,
      });

      customer.request('leave').catch(() => {});
      await expect
        .poll(() => agentConsole.of('call.ended').some((e) => e.data.callId === call.callId), {
          timeout: 10_000,
        })
        .toBe(true);
      await expect.poll(() => callStatus(call.callId)).toBe('ended');
      customer.close();
    } finally {
      worker.close();
    }
  });

  it('keeps a call listed, not ended, when its media worker dies and the customer rejoins', async () => {
    const call = await startCall('Survivor');
    const customer = await connectRtc(app.url, call.token);
    try {
      await joinRoom(customer);
      await expect
        .poll(() => agentConsole.of('call.updated').some((u) => u.data.call.callId === call.callId))
        .toBe(true);
      process.kill(app.server.registry.get(call.roomId)?.workerPid ?? -1, 'SIGKILL');
      expect(await customer.next('roomClosed')).toEqual({ reason: 'worker_died', rejoin: true });
      const updatesBefore = agentConsole.of('call.updated').length;
      await joinRoom(customer);
      await expect
        .poll(() =>
          agentConsole
            .of('call.updated')
            .slice(updatesBefore)
            .some((u) => u.data.call.callId === call.callId),
        )
        .toBe(true);
      expect(agentConsole.of('call.ended').some((e) => e.data.callId === call.callId)).toBe(false);
      expect(await callStatus(call.callId)).toBe('active');
    } finally {
      customer.close();
    }
  }, 30_000);

  it('ends a call within seconds when the customer joined and dropped without speaking', async () => {
    const call = await startCall('Quiet');
    const customer = await connectRtc(app.url, call.token);
    await joinRoom(customer);
    await expect
      .poll(() => agentConsole.of('call.updated').some((u) => u.data.call.callId === call.callId))
      .toBe(true);
    const dropped = performance.now();
    // The page is closed: the transport goes away without a goodbye (the server sees "transport close").
    customer.socket.io.engine.close();
    await expect.poll(() => callStatus(call.callId), { timeout: 25_000, interval: 200 }).toBe('ended');
    const endedAfterMs = performance.now() - dropped;
    expect(agentConsole.of('call.ended').some((e) => e.data.callId === call.callId)).toBe(true);
    // The reconnect grace (10 s) lets a caller changing networks resume, then 5 s to rejoin from scratch.
    expect(endedAfterMs).toBeLessThan(17_000);
  }, 40_000);
});
