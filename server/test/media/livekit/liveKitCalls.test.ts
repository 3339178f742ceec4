import { dispose, type Room, RoomEvent } from '@livekit/rtc-node';
import { MediaTicketSchema, type SessionDispatch } from '@voiceroom/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { seedConsoleUsers } from '../../../../test/helpers/consoleUsers.ts';
import { startLiveKitNode, type TestLiveKit, testLiveKitKeys } from '../../../../test/helpers/livekit.ts';
import { type MikroORM, openOrm } from '../../../src/db/orm.ts';
import { DEFAULT_SEED_PASSWORD } from '../../../src/db/seed.ts';
import { LIVEKIT_WEBHOOK_PATH } from '../../../src/sfuConfig.ts';
import { testDbConfig } from '../../helpers/db.ts';
import { connectParticipant, until, webhookBody, webhookSignature, within } from './liveKitTools.ts';
import { publishAudio } from './publishers.ts';

const keys = testLiveKitKeys();
let app: TestApp;
let lk: TestLiveKit;
let orm: MikroORM;
const rooms: Room[] = [];

beforeAll(async () => {
  app = await startTestApp({
    env: {
      SFU_BACKEND: 'livekit',
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_API_KEY: keys.apiKey,
      LIVEKIT_API_SECRET: keys.apiSecret,
    },
  });
  lk = await startLiveKitNode({
    port: 7880,
    rtcPortRange: [50_000, 50_199],
    keys,
    webhookUrl: `${app.url}${LIVEKIT_WEBHOOK_PATH}`,
  });
  orm = await openOrm(testDbConfig(app.dbName));
  await seedConsoleUsers(app);
}, 60_000);

afterAll(async () => {
  for (const room of rooms) await room.disconnect();
  await orm?.close(true);
  await lk?.stop();
  await app?.close();
  await dispose();
});

async function startCall(): Promise<{ callId: string; roomId: string; url: string; token: string }> {
  const response = await fetch(`${app.url}/api/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'Ann' }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { callId: string; roomId: string; media: unknown };
  const media = MediaTicketSchema.parse(body.media);
  if (media.backend !== 'livekit') throw new Error(`expected a LiveKit ticket, got ${media.backend}`);
  return { callId: body.callId, roomId: body.roomId, url: media.url, token: media.token };
}

function post(body: string, authorization?: string): Promise<Response> {
  return fetch(`${app.url}${LIVEKIT_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/webhook+json',
      ...(authorization ? { authorization } : {}),
    },
    body,
  });
}

interface Snapshot {
  status: string;
  participants: { identity: string; left_at: unknown }[];
}

async function snapshot(callId: string): Promise<Snapshot> {
  const em = orm.em.fork();
  const [call] = await em.execute<{ status: string }[]>('select status from calls where id = ?', [callId]);
  const participants = await em.execute<{ identity: string; left_at: unknown }[]>(
    'select identity, left_at from participants where call_id = ? order by id',
    [callId],
  );
  return { status: call?.status ?? 'missing', participants };
}

async function signIn(who: 'agent' | 'supervisor'): Promise<string> {
  const response = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${who}@voiceroom.local`, password: DEFAULT_SEED_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

function copilot(
  token: string,
  roomId: string,
  action: 'hint' | 'takeover',
  body: unknown,
): Promise<Response> {
  return fetch(`${app.url}/api/rooms/${roomId}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

async function errorCode(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { error?: { code?: string } }).error?.code;
}

describe('LiveKit webhooks', () => {
  it('refuses unsigned, wrongly signed and tampered webhooks and changes nothing', async () => {
    const call = await startCall();
    const before = await snapshot(call.callId);
    const joined = webhookBody('participant_joined', call.roomId, {
      identity: `customer:${call.callId}`,
      role: 'customer',
    });
    const finished = webhookBody('room_finished', call.roomId);

    const unsigned = await post(joined);
    expect(unsigned.status).toBe(401);
    expect(await errorCode(unsigned)).toBe('webhook_unsigned');

    const forged = await post(finished, await webhookSignature(finished, testLiveKitKeys()));
    expect(forged.status).toBe(401);
    expect(await errorCode(forged)).toBe('webhook_bad_signature');

    // A real signature over other bytes: the body was changed in transit.
    const tampered = await post(finished, await webhookSignature(joined, keys));
    expect(tampered.status).toBe(401);
    expect(await errorCode(tampered)).toBe('webhook_bad_signature');

    expect(await snapshot(call.callId)).toEqual(before);
    expect(before.status).toBe('active');
  });

  it('refuses a replayed or stale webhook and changes nothing', async () => {
    const call = await startCall();
    const identity = `customer:${call.callId}`;
    const joined = webhookBody('participant_joined', call.roomId, { identity, role: 'customer' });
    const left = webhookBody('participant_left', call.roomId, { identity, role: 'customer' });
    expect((await post(joined, await webhookSignature(joined, keys))).status).toBe(200);
    expect((await post(left, await webhookSignature(left, keys))).status).toBe(200);
    const afterLeft = await until(async () => {
      const s = await snapshot(call.callId);
      return s.participants[0]?.left_at ? s : undefined;
    }, 'the participant row to record the leave');

    // Played again, the join would reopen the participant row (left_at = null).
    const replayed = await post(joined, await webhookSignature(joined, keys));
    expect(replayed.status).toBe(409);
    expect(await errorCode(replayed)).toBe('webhook_replayed');

    const old = webhookBody('room_finished', call.roomId, undefined, {
      createdAtS: Math.floor(Date.now() / 1000) - 3600,
    });
    const stale = await post(old, await webhookSignature(old, keys));
    expect(stale.status).toBe(409);
    expect(await errorCode(stale)).toBe('webhook_stale');

    expect(await snapshot(call.callId)).toEqual(afterLeft);
    expect(afterLeft.status).toBe('active');
  });

  it('leaves rooms it did not create alone (other tenants of the cluster): no call record appears', async () => {
    const foreign = webhookBody('room_finished', 'someone-elses-room', undefined, { roomMetadata: '' });
    const response = await post(foreign, await webhookSignature(foreign, keys));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ event: 'room_finished', applied: false });
    const [row] = await orm.em
      .fork()
      .execute<{ n: number }[]>("select count(*) as n from calls where room_id = 'someone-elses-room'");
    expect(Number(row?.n)).toBe(0);
  });

  it("drives the call record from a real LiveKit node's webhooks: join, leave, room finished", async () => {
    const call = await startCall();
    const customer = await connectParticipant(call.url, call.token);
    rooms.push(customer);
    const identity = `customer:${call.callId}`;
    const joined = await until(async () => {
      const s = await snapshot(call.callId);
      return s.participants.find((p) => p.identity === identity && !p.left_at);
    }, 'participant_joined to reach the call record');
    expect(joined.identity).toBe(identity);

    await customer.disconnect();
    await until(async () => {
      const s = await snapshot(call.callId);
      return s.participants.find((p) => p.identity === identity)?.left_at ? s : undefined;
    }, 'participant_left to reach the call record');

    await new RoomServiceClient(lk.nodes[0]?.httpUrl ?? '', keys.apiKey, keys.apiSecret).deleteRoom(
      call.roomId,
    );
    const ended = await until(async () => {
      const s = await snapshot(call.callId);
      return s.status === 'ended' ? s : undefined;
    }, 'room_finished to end the call');
    expect(ended.status).toBe('ended');
    const [job] = await orm.em
      .fork()
      .execute<{ n: number }[]>('select count(*) as n from extraction_jobs where call_id = ?', [call.callId]);
    expect(Number(job?.n)).toBe(1);
  });
});

describe('agent dispatch on LiveKit', () => {
  it('dispatches the agent into the very room as agent:<session>; staff hint it and take over (muting it) over HTTP', async () => {
    const { token: serviceToken } = await app.server.tokens.issueServiceToken('lk-probe', 600);
    const worker = connectClient(`${app.url}/agents`, {
      auth: { token: serviceToken },
      transports: ['websocket'],
    });
    try {
      const dispatched = new Promise<SessionDispatch>((resolve) =>
        worker.on('session.dispatch', (payload: SessionDispatch, ack: (reply: unknown) => void) => {
          ack({ ok: true, data: { transport: 'livekit' } });
          resolve(payload);
        }),
      );
      await worker.timeout(5_000).emitWithAck('worker.register', { name: 'lk-probe', capacity: 1 });
      const call = await startCall();
      const customer = await connectParticipant(call.url, call.token);
      rooms.push(customer);

      const dispatch = await within(dispatched, 'the dispatch');
      expect(dispatch.roomId).toBe(call.roomId);
      expect(dispatch.livekit).toMatchObject({ url: call.url, customerIdentity: `customer:${call.callId}` });
      const agent = await connectParticipant(dispatch.livekit?.url ?? '', dispatch.livekit?.token ?? '');
      rooms.push(agent);
      expect(agent.name).toBe(call.roomId);
      expect(agent.localParticipant?.identity).toBe(`agent:${dispatch.sessionId}`);
      expect(agent.remoteParticipants.has(`customer:${call.callId}`)).toBe(true);
      expect(app.server.gateway.sessions).toEqual([
        expect.objectContaining({ id: dispatch.sessionId, roomId: call.roomId, live: true }),
      ]);

      // Takeover: the worker is told, and the server mutes the agent's voice on LiveKit itself.
      const voice = await publishAudio(agent, 'agent-voice');
      await until(
        async () =>
          customer.remoteParticipants.get(`agent:${dispatch.sessionId}`)?.trackPublications.size === 1,
        'the customer to see the agent voice',
      );
      const agentUser = await signIn('agent');
      const supervisor = await signIn('supervisor');
      const hinted = new Promise((resolve) => worker.once('session.hint', resolve));
      expect((await copilot(agentUser, call.roomId, 'hint', { text: 'offer the garlic bread' })).status).toBe(
        200,
      );
      expect(await within(hinted, 'the hint to reach the worker')).toEqual({
        sessionId: dispatch.sessionId,
        text: 'offer the garlic bread',
      });

      const told = new Promise((resolve) => worker.once('session.takeover', resolve));
      const muted = new Promise<string>((resolve) =>
        customer.once(RoomEvent.TrackMuted, (publication) => resolve(publication.name ?? '')),
      );
      const takeover = await copilot(agentUser, call.roomId, 'takeover', { active: true });
      expect(await takeover.json()).toEqual({ holder: expect.any(String) });
      expect(await within(told, 'the worker to hear of the takeover')).toEqual({
        sessionId: dispatch.sessionId,
        active: true,
      });
      expect(await within(muted, 'the agent voice to be muted')).toBe('agent-voice');
      const unmuted = new Promise<string>((resolve) =>
        customer.once(RoomEvent.TrackUnmuted, (publication) => resolve(publication.name ?? '')),
      );
      const notTheirs = await copilot(supervisor, call.roomId, 'takeover', { active: false });
      expect(notTheirs.status).toBe(403);
      expect(
        await copilot(agentUser, call.roomId, 'takeover', { active: false }).then((r) => r.json()),
      ).toEqual({
        holder: null,
      });
      expect(await within(unmuted, 'the agent voice to be unmuted')).toBe('agent-voice');
      const audited = await until(async () => {
        const rows = await orm.em
          .fork()
          .execute<{ action: string }[]>('select action from audit_events where target_id = ? order by id', [
            call.roomId,
          ]);
        return rows.length >= 3 ? rows.map((r) => r.action) : undefined;
      }, 'the co-pilot actions to be audited');
      expect(audited).toEqual(['copilot.hint', 'copilot.takeover', 'copilot.handback']);
      await voice.stop();

      // The customer hanging up ends the agent's session (participant_left through the webhook).
      const stopped = new Promise<{ sessionId: string; reason: string }>((resolve) =>
        worker.on('session.stop', resolve),
      );
      await customer.disconnect();
      expect(await within(stopped, 'session.stop')).toEqual({
        sessionId: dispatch.sessionId,
        reason: 'customer_left',
      });
    } finally {
      worker.disconnect();
    }
  });
});
