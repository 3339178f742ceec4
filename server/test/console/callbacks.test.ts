import type { CallbackRequest } from '@voiceroom/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SecurityApp, startSecurityApp } from '../../../test/helpers/securityApp.ts';
import { connectRtc, joinRoom } from '../signaling/rtcClient.ts';
import { type ConsoleClient, connectConsole, connectScriptedWorker } from './consoleClients.ts';

let app: SecurityApp;
let worker: Awaited<ReturnType<typeof connectScriptedWorker>>;
let agentConsole: ConsoleClient;
let agentToken: string;
let adminToken: string;
const closers: (() => void)[] = [];

async function liveCall(displayName: string) {
  const res = await app.request('POST', '/api/calls', { body: { displayName } });
  expect(res.status).toBe(201);
  const call = (await res.json()) as { callId: string; roomId: string; token: string };
  const customer = await connectRtc(app.url, call.token);
  closers.push(() => customer.close());
  await joinRoom(customer);
  await expect.poll(() => worker.sessions.some((s) => s.roomId === call.roomId)).toBe(true);
  return call;
}

async function getJson<T>(path: string, token: string): Promise<{ status: number; body: T }> {
  const res = await app.request('GET', path, { token });
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  app = await startSecurityApp({ env: { RATE_LIMIT_LOGIN: '0/60' } });
  const { token } = await app.server.tokens.issueServiceToken('scripted-callbacks');
  worker = await connectScriptedWorker(app.url, token);
  agentToken = (await app.login('agent')).accessToken;
  adminToken = (await app.login('admin')).accessToken;
  agentConsole = await connectConsole(app.url, agentToken);
});

afterAll(async () => {
  for (const close of closers) close();
  agentConsole?.close();
  worker?.close();
  await app?.close();
});

describe('callback requests (the caller agreed to be called back)', () => {
  it('stores the consent with the number and time, pushes it to consoles, lists it and shows it in the call record', async () => {
    const call = await liveCall('Carla');
    const before = Date.now();
    worker.callback(call.roomId, '555-321-4567');
    await expect.poll(() => agentConsole.of('callback.requested').length).toBe(1);
    const pushed = agentConsole.of('callback.requested')[0]?.data.callback as CallbackRequest;
    expect(pushed).toMatchObject({
      callId: call.callId,
      roomId: call.roomId,
      customerName: 'Carla',
      phone: '555-321-4567',
      consent: true,
      status: 'open',
    });
    const consentedAt = Date.parse(pushed.consentedAt);
    expect(consentedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(consentedAt).toBeLessThanOrEqual(Date.now() + 1_000);

    const [row] = await app.sql<{ consent: number; phone: string }>(
      'select consent, phone from callback_requests where id = ?',
      [pushed.callbackId],
    );
    expect(row).toEqual({ consent: 1, phone: '555-321-4567' });

    const list = await getJson<{ items: CallbackRequest[]; total: number }>(
      '/api/callbacks?status=open',
      agentToken,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.callbackId)).toContain(pushed.callbackId);

    const record = await getJson<{ callbacks: CallbackRequest[] }>(`/api/calls/${call.callId}`, agentToken);
    expect(record.body.callbacks).toEqual([pushed]);

    const audit = await getJson<{ items: { action: string; actorId: string | null; details: unknown }[] }>(
      `/api/audit?callId=${call.callId}&action=callback.`,
      adminToken,
    );
    expect(audit.body.items).toMatchObject([
      {
        action: 'callback.request',
        actorId: null,
        details: { callbackId: pushed.callbackId, consent: true },
      },
    ]);
    // Ids only in the audit log: the number stays with the call.
    expect(JSON.stringify(audit.body.items)).not.toContain('555');
  });

  it('records a yes without a number, and a staff member marks it called back (audit-logged)', async () => {
    const call = await liveCall('Caller');
    const pushedBefore = agentConsole.of('callback.requested').length;
    worker.callback(call.roomId, null);
    await expect.poll(() => agentConsole.of('callback.requested').length).toBe(pushedBefore + 1);
    const pushed = agentConsole.of('callback.requested').at(-1)?.data.callback as CallbackRequest;
    expect(pushed).toMatchObject({ callId: call.callId, phone: null, customerName: null, consent: true });

    const done = await app.request('POST', `/api/callbacks/${pushed.callbackId}/done`, { token: agentToken });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ callbackId: pushed.callbackId, status: 'done' });
    const open = await getJson<{ items: CallbackRequest[] }>('/api/callbacks?status=open', agentToken);
    expect(open.body.items.map((c) => c.callbackId)).not.toContain(pushed.callbackId);
    const audit = await getJson<{ items: { action: string }[] }>(
      `/api/audit?callId=${call.callId}&action=callback.done`,
      adminToken,
    );
    expect(audit.body.items).toHaveLength(1);
  });

  it('refuses the list to customers and validates its filters and ids', async () => {
    const call = await liveCall('Someone');
    expect((await app.request('GET', '/api/callbacks')).status).toBe(401);
    expect((await app.request('GET', '/api/callbacks', { token: call.token })).status).toBe(401);
    expect((await app.request('GET', '/api/callbacks?status=maybe', { token: agentToken })).status).toBe(400);
    const unknown = await app.request('POST', '/api/callbacks/00000000-0000-4000-8000-000000000000/done', {
      token: agentToken,
    });
    expect(unknown.status).toBe(404);
    // A worker cannot record a callback with a malformed number: the event is dropped at the gateway.
    const pushedBefore = agentConsole.of('callback.requested').length;
    worker.callback(call.roomId, 'x'.repeat(40));
    // Events of one worker arrive in order: once the next one shows at the console, the bad one was handled.
    worker.state(call.roomId, 'thinking');
    await expect
      .poll(() =>
        agentConsole
          .of('call.updated')
          .some((u) => u.data.call.roomId === call.roomId && u.data.call.aiState === 'thinking'),
      )
      .toBe(true);
    expect(agentConsole.of('callback.requested').length).toBe(pushedBefore);
  });
});
