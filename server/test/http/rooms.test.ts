import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartCallRequest } from '../../src/http/routes/rooms.ts';
import { errorCode, type Harness, JWT, startHarness } from './harness.ts';

let h: Harness;
const started: StartCallRequest[] = [];
const liveRooms = new Set(['room-live']);

beforeAll(async () => {
  h = await startHarness({
    startCall: async (request) => {
      started.push(request);
      return {
        callId: `call-${started.length}`,
        roomId: `room-${started.length}`,
        agentId: request.agentId ?? 'pizzeria',
      };
    },
    roomExists: (roomId) => liveRooms.has(roomId),
    rateLimits: { startCall: { limit: 6, windowS: 30 } },
  });
});
afterAll(async () => {
  await h?.close();
});

describe('POST /api/calls', () => {
  it('starts a call and returns a customer room token for its room', async () => {
    const res = await h.request('POST', '/api/calls', { body: { agentId: 'pizzeria', displayName: 'Ann' } });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(started.at(-1)).toEqual({ agentId: 'pizzeria', displayName: 'Ann' });
    expect(body).toMatchObject({
      callId: `call-${started.length}`,
      roomId: `room-${started.length}`,
      iceServers: [],
    });
    const claims = await h.tokens.verifyRoomToken(body.token);
    expect(claims).toMatchObject({
      sub: `customer:${body.callId}`,
      name: 'Ann',
      room: body.roomId,
      role: 'customer',
    });
    expect(claims.agentId).toBe('pizzeria');
    expect(claims.grants).toMatchObject({
      canPublish: true,
      canSubscribe: true,
      canWhisper: false,
      canTakeOver: false,
    });
  });

  it('applies defaults when the body is empty', async () => {
    const res = await h.request('POST', '/api/calls', { body: {} });
    expect(res.status).toBe(201);
    const claims = await h.tokens.verifyRoomToken((await res.json()).token);
    expect(claims.name).toBe('Customer');
    expect(claims.agentId).toBe('pizzeria');
  });

  it('refuses unknown fields and a bad agent id without starting a call', async () => {
    const before = started.length;
    const extra = await h.request('POST', '/api/calls', { body: { role: 'supervisor' } });
    expect(extra.status).toBe(400);
    expect(await errorCode(extra)).toBe('validation_failed');
    const badId = await h.request('POST', '/api/calls', { body: { agentId: '../etc/passwd' } });
    expect(badId.status).toBe(400);
    expect(started.length).toBe(before);
  });

  it('is rate limited per client with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await h.request('POST', '/api/calls', { body: {} });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      await res.body?.cancel();
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(6);
  });
});

describe('POST /api/calls without a rate limit (limit 0, for load tests)', () => {
  it('never answers 429', async () => {
    const open = await startHarness({
      config: {
        jwt: JWT,
        rateLimits: {
          login: { limit: 1, windowS: 60 },
          startCall: { limit: 0, windowS: 60 },
          startCallGlobal: { limit: 0, windowS: 60 },
        },
      },
    });
    try {
      for (let i = 0; i < 12; i++) {
        const res = await open.request('POST', '/api/calls', { body: {} });
        expect(res.status).toBe(201);
        expect(res.headers.get('ratelimit-limit')).toBeNull();
        await res.body?.cancel();
      }
    } finally {
      await open.close();
    }
  });
});

describe('POST /api/rooms/:roomId/token', () => {
  it('gives a human agent a human_agent token with whisper and takeover', async () => {
    const { accessToken } = await h.login('agent@voiceroom.local');
    const res = await h.request('POST', '/api/rooms/room-live/token', { token: accessToken, body: {} });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.role).toBe('human_agent');
    const claims = await h.tokens.verifyRoomToken(body.token);
    expect(claims).toMatchObject({ room: 'room-live', role: 'human_agent', name: 'Demo Agent' });
    expect(claims.grants).toEqual({
      canPublish: true,
      canSubscribe: true,
      canWhisper: true,
      canTakeOver: true,
      hidden: false,
    });
    expect(body.grants).toEqual(claims.grants);
  });

  it('strips publishing from a listen-only join', async () => {
    const { accessToken } = await h.login('agent@voiceroom.local');
    const res = await h.request('POST', '/api/rooms/room-live/token', {
      token: accessToken,
      body: { listenOnly: true },
    });
    const claims = await h.tokens.verifyRoomToken((await res.json()).token);
    expect(claims.grants.canPublish).toBe(false);
    expect(claims.grants.canSubscribe).toBe(true);
  });

  it('joins supervisors and admins as hidden listen-only supervisors', async () => {
    for (const email of ['supervisor@voiceroom.local', 'admin@voiceroom.local']) {
      const { accessToken } = await h.login(email);
      const res = await h.request('POST', '/api/rooms/room-live/token', { token: accessToken, body: {} });
      const claims = await h.tokens.verifyRoomToken((await res.json()).token);
      expect(claims.role).toBe('supervisor');
      expect(claims.grants).toMatchObject({ canPublish: false, hidden: true, canTakeOver: true });
    }
  });

  it('refuses customers (403), anonymous callers (401) and unknown rooms (404)', async () => {
    const customer = await h.login('customer@voiceroom.local');
    const forbidden = await h.request('POST', '/api/rooms/room-live/token', {
      token: customer.accessToken,
      body: {},
    });
    expect(forbidden.status).toBe(403);
    expect(await errorCode(forbidden)).toBe('forbidden');
    const anonymous = await h.request('POST', '/api/rooms/room-live/token', { body: {} });
    expect(anonymous.status).toBe(401);
    const agent = await h.login('agent@voiceroom.local');
    const missing = await h.request('POST', '/api/rooms/room-gone/token', {
      token: agent.accessToken,
      body: {},
    });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('room_not_found');
  });

  it('refuses a room token used as an access token', async () => {
    const room = await h.tokens.issueRoomToken({
      identity: 'x',
      name: 'X',
      room: 'room-live',
      role: 'human_agent',
    });
    const res = await h.request('POST', '/api/rooms/room-live/token', { token: room.token, body: {} });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('token_wrong_audience');
  });

  it("checks the account's current role: a demoted supervisor's earlier access token gets 403, refresh the new role", async () => {
    const before = await h.login('supervisor@voiceroom.local');
    const setRole = (role: string) =>
      h.db.orm.em
        .getConnection()
        .execute("update users set role = ? where email = 'supervisor@voiceroom.local'", [role]);
    await setRole('customer');
    try {
      const res = await h.request('POST', '/api/rooms/room-live/token', {
        token: before.accessToken,
        body: {},
      });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('forbidden');
      const refreshed = await h.request('POST', '/api/auth/refresh', {
        body: { refreshToken: before.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      const { accessToken } = (await refreshed.json()) as { accessToken: string };
      expect((await h.tokens.verifyAccessToken(accessToken)).role).toBe('customer');
    } finally {
      await setRole('supervisor');
    }
  });

  it('refuses a disabled account holding a still-valid access token', async () => {
    const before = await h.login('agent@voiceroom.local');
    const setDisabled = (disabled: boolean) =>
      h.db.orm.em
        .getConnection()
        .execute(
          `update users set disabled_at = ${disabled ? 'now(3)' : 'null'} where email = 'agent@voiceroom.local'`,
        );
    await setDisabled(true);
    try {
      const res = await h.request('POST', '/api/rooms/room-live/token', {
        token: before.accessToken,
        body: {},
      });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('account_disabled');
    } finally {
      await setDisabled(false);
    }
  });
});

describe('POST /api/calls global budget (RATE_LIMIT_START_CALL_GLOBAL)', () => {
  it('refuses calls from every address once the global budget is spent, with call_budget_exhausted', async () => {
    const budget = await startHarness({
      config: { jwt: JWT, trustProxy: true },
      rateLimits: { startCall: { limit: 100, windowS: 60 }, startCallGlobal: { limit: 3, windowS: 60 } },
    });
    try {
      const results: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await budget.request('POST', '/api/calls', {
          body: {},
          headers: { 'x-forwarded-for': `192.0.2.${i}` },
        });
        results.push(res.status === 201 ? '201' : `${res.status} ${await errorCode(res)}`);
        if (res.status === 201) await res.body?.cancel();
      }
      expect(results).toEqual([
        '201',
        '201',
        '201',
        '429 call_budget_exhausted',
        '429 call_budget_exhausted',
      ]);
    } finally {
      await budget.close();
    }
  });
});
