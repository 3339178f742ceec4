/**
 * The SDK's console client against the real server (MariaDB, Redis, mediasoup): typed handoff, presence and live
 * call events, the accept that returns a room token, and refusals with the server's codes. It has no browser-only
 * code, so it runs in Node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectScriptedWorker } from '../../server/test/console/consoleClients.ts';
import { connectRtc, joinRoom } from '../../server/test/signaling/rtcClient.ts';
import { type SecurityApp, startSecurityApp } from '../../test/helpers/securityApp.ts';
import { ConsoleClient } from '../src/ConsoleClient.ts';
import type { CallbackRequest, HandoffAcceptedNotice, HandoffRequest, LiveCall } from '../src/index.ts';

let app: SecurityApp;
let worker: Awaited<ReturnType<typeof connectScriptedWorker>>;
const closers: (() => void)[] = [];

beforeAll(async () => {
  app = await startSecurityApp({ env: { RATE_LIMIT_LOGIN: '0/60' } });
  const { token } = await app.server.tokens.issueServiceToken('sdk-scripted');
  worker = await connectScriptedWorker(app.url, token);
  closers.push(() => worker.close());
});

afterAll(async () => {
  for (const close of closers) close();
  await app?.close();
});

async function consoleOf(role: string): Promise<ConsoleClient> {
  const { accessToken } = await app.login(await app.addUser(role));
  const client = await ConsoleClient.connect(app.url, { token: () => accessToken });
  closers.push(() => client.close());
  return client;
}

describe('ConsoleClient', () => {
  it('tracks live calls and the handoff queue, tells the winner accepted and the other taken', async () => {
    const alice = await consoleOf('human_agent');
    const bob = await consoleOf('human_agent');
    expect(alice.me).toMatchObject({ presence: 'available', chosen: 'available' });
    await expect.poll(() => alice.agents.some((a) => a.userId === bob.me?.userId)).toBe(true);

    const updates: LiveCall[] = [];
    alice.on('callUpdated', (call) => updates.push(call));
    const requested: HandoffRequest[] = [];
    alice.on('handoffRequested', (request) => requested.push(request));
    const taken: HandoffAcceptedNotice[] = [];
    bob.on('handoffTaken', (notice) => taken.push(notice));
    const accepted: HandoffAcceptedNotice[] = [];
    alice.on('handoffAccepted', (notice) => accepted.push(notice));

    const call = (await (
      await app.request('POST', '/api/calls', { body: { displayName: 'Kim' } })
    ).json()) as {
      callId: string;
      roomId: string;
      token: string;
    };
    const customer = await connectRtc(app.url, call.token);
    closers.push(() => customer.close());
    await joinRoom(customer);
    await expect.poll(() => alice.calls.map((c) => c.callId)).toContain(call.callId);
    await expect.poll(() => worker.sessions.some((s) => s.roomId === call.roomId)).toBe(true);
    worker.handoff(call.roomId, 'caller asked for a human');
    await expect.poll(() => requested.map((r) => r.callId)).toEqual([call.callId]);
    expect(alice.handoffs.map((r) => r.callId)).toEqual([call.callId]);
    await expect.poll(() => bob.handoffs.length).toBe(1);

    const acceptance = await alice.acceptHandoff(requested[0]?.requestId as string);
    expect(acceptance).toMatchObject({ callId: call.callId, roomId: call.roomId, role: 'human_agent' });
    expect(typeof acceptance.token).toBe('string');
    await expect
      .poll(() => bob.acceptHandoff(requested[0]?.requestId as string).catch((e: { code: string }) => e.code))
      .toBe('handoff_taken');
    await expect.poll(() => taken.map((n) => n.acceptedBy.userId)).toEqual([alice.me?.userId]);
    await expect.poll(() => accepted.length).toBe(1);
    expect(bob.handoffs).toEqual([]);
    await expect.poll(() => updates.findLast((c) => c.callId === call.callId)?.takeover).toBe(true);

    expect(await bob.setPresence('away')).toMatchObject({ presence: 'away', chosen: 'away' });
    await expect.poll(() => alice.agents.find((a) => a.userId === bob.me?.userId)?.presence).toBe('away');

    customer.close();
    await expect.poll(() => alice.calls.map((c) => c.callId), { timeout: 10_000 }).not.toContain(call.callId);
  });

  it('emits callbackRequested when a caller agrees to a callback, leaving presence as it was', async () => {
    const agent = await consoleOf('human_agent');
    const callbacks: CallbackRequest[] = [];
    agent.on('callbackRequested', (callback) => callbacks.push(callback));
    const call = (await (
      await app.request('POST', '/api/calls', { body: { displayName: 'Lou' } })
    ).json()) as {
      callId: string;
      roomId: string;
      token: string;
    };
    const customer = await connectRtc(app.url, call.token);
    closers.push(() => customer.close());
    await joinRoom(customer);
    await expect.poll(() => worker.sessions.some((s) => s.roomId === call.roomId)).toBe(true);
    const me = agent.me;
    worker.callback(call.roomId, '555-321-4567');
    await expect
      .poll(() => callbacks)
      .toMatchObject([{ callId: call.callId, customerName: 'Lou', phone: '555-321-4567', consent: true }]);
    expect(agent.me).toEqual(me);
  });

  it('rejects a customer with forbidden and a bad token with unauthorized', async () => {
    const customer = (await app.login('customer')).accessToken;
    await expect(ConsoleClient.connect(app.url, { token: customer })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(ConsoleClient.connect(app.url, { token: 'nope' })).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });
});
