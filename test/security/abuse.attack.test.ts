import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../server/test/media/rtpTools.ts';
import { connectRtc, joinRoom, type RtcTestClient } from '../../server/test/signaling/rtcClient.ts';
import { errorCode, type SecurityApp, startSecurityApp } from '../helpers/securityApp.ts';

/** Item 2 of the security review: one token or address cannot exhaust the SFU, the API or the agent workers. */
let app: SecurityApp;
const clients: RtcTestClient[] = [];

beforeAll(async () => {
  app = await startSecurityApp({
    env: { MAX_PEERS_PER_ROOM: '2', MAX_CONNECTIONS_PER_ADDRESS: '4', RATE_LIMIT_START_CALL: '0/60' },
  });
});
afterAll(async () => {
  await app?.close();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await waitFor(() => app.server.signaling.connections === 0, 'the test connections to close');
});

async function startCall(): Promise<{ roomId: string; token: string }> {
  const res = await app.request('POST', '/api/calls', { body: {} });
  expect(res.status).toBe(201);
  return (await res.json()) as { roomId: string; token: string };
}

async function connect(token: string): Promise<RtcTestClient> {
  const c = await connectRtc(app.url, token);
  clients.push(c);
  return c;
}

describe('resource abuse', () => {
  it('attack: opens a second connection with the same customer room token | expected: the newer connection replaces the first, which is told (roomClosed connection_replaced) and disconnected; one customer peer remains', async () => {
    const call = await startCall();
    const first = await connect(call.token);
    await joinRoom(first);
    const second = await connect(call.token);
    expect(await first.next('roomClosed')).toEqual({ reason: 'connection_replaced', rejoin: false });
    await waitFor(() => !first.socket.connected, 'the first connection to be closed');
    const joined = await joinRoom(second);
    const room = app.server.registry.get(call.roomId);
    await waitFor(() => room?.peers.length === 1, 'the replaced peer to go');
    expect(room?.peers.map((p) => p.id)).toEqual([joined.peerId]);
  });

  it('attack: joins a live call with more participants than the room allows | expected: join refused (room_full)', async () => {
    const call = await startCall();
    await joinRoom(await connect(call.token));
    const { accessToken } = await app.login('supervisor');
    const staffToken = async () => {
      const res = await app.request('POST', `/api/rooms/${call.roomId}/token`, {
        token: accessToken,
        body: {},
      });
      return ((await res.json()) as { token: string }).token;
    };
    await joinRoom(await connect(await staffToken()));
    const extra = await connect(await staffToken());
    const rtpCapabilities = await extra.request('getRouterRtpCapabilities');
    expect(await extra.ack('join', { rtpCapabilities })).toMatchObject({
      ok: false,
      error: { code: 'room_full' },
    });
  });

  it('attack: opens many signaling connections from one address | expected: connections beyond MAX_CONNECTIONS_PER_ADDRESS refused (too_many_connections)', async () => {
    for (let i = 0; i < 4; i++) await connect((await startCall()).token);
    await expect(connectRtc(app.url, (await startCall()).token)).rejects.toMatchObject({
      data: { code: 'too_many_connections' },
    });
  });

  it('attack: starts calls from many forged addresses to create rooms without end | expected: the global budget refuses them (429 call_budget_exhausted)', async () => {
    const budget = await startSecurityApp({
      env: { TRUST_PROXY: 'true', RATE_LIMIT_START_CALL: '100/60', RATE_LIMIT_START_CALL_GLOBAL: '3/60' },
    });
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await budget.request('POST', '/api/calls', {
          body: {},
          headers: { 'x-forwarded-for': `192.0.2.${i}` },
        });
        outcomes.push(res.status === 201 ? 'started' : await errorCode(res));
        if (res.status === 201) await res.body?.cancel();
      }
      // Other test runs on this machine share the Redis counter: fewer than 3 may start, never more.
      expect(outcomes.filter((o) => o === 'started').length).toBeLessThanOrEqual(3);
      expect(outcomes.slice(3)).toEqual([
        'call_budget_exhausted',
        'call_budget_exhausted',
        'call_budget_exhausted',
      ]);
    } finally {
      await budget.close();
    }
  });
});

describe('agent dispatch', () => {
  it('attack: a customer joins and leaves its call in a loop to make the server dispatch agent after agent | expected: at most AGENT_MAX_DISPATCHES_PER_CALL (2) dispatches, the rest refused (dispatch_limit)', async () => {
    const agentApp = await startSecurityApp({
      agent: { pipeline: 'echo', capacity: 4 },
      env: { AGENT_MAX_DISPATCHES_PER_CALL: '2', RATE_LIMIT_START_CALL: '0/60' },
    });
    const { gateway } = agentApp.server;
    const ended: string[] = [];
    const refused: string[] = [];
    gateway.on('sessionended', (info) => ended.push(info.reason));
    gateway.on('dispatchrefused', (info) => refused.push(info.code));
    try {
      const res = await agentApp.request('POST', '/api/calls', { body: {} });
      const call = (await res.json()) as { token: string };
      const customer = await connectRtc(agentApp.url, call.token);
      try {
        for (let i = 0; i < 5; i++) {
          await joinRoom(customer);
          if (i < 2) await waitFor(() => gateway.sessions.some((s) => s.live), 'the agent to join');
          await customer.request('leave', {});
          await waitFor(() => gateway.sessions.length === 0, 'the agent session to end');
        }
      } finally {
        customer.close();
      }
      expect(ended).toEqual(['customer_left', 'customer_left']);
      expect(refused).toEqual(['dispatch_limit', 'dispatch_limit', 'dispatch_limit']);
    } finally {
      await agentApp.close();
    }
  });
});
