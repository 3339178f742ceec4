import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../http/harness.ts';
import { type ApiHarness, startApiHarness } from './apiHarness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

async function placeCall(displayName: string, lines: string[], options: { agentId?: string } = {}) {
  const res = await h.request('POST', '/api/calls', { body: { displayName, ...options } });
  expect(res.status).toBe(201);
  const { callId, roomId } = (await res.json()) as { callId: string; roomId: string };
  for (const [i, text] of lines.entries()) {
    h.bus.emit('transcript', {
      roomId,
      segmentId: `s${i}`,
      speaker: i % 2 === 0 ? 'agent' : 'customer',
      text,
      final: true,
      startMs: i * 1000,
      endMs: i * 1000 + 800,
      interrupted: false,
    });
  }
  h.bus.emit('turn.metrics', {
    roomId,
    turn: 1,
    eouMs: 300,
    asrFinalMs: 100,
    dialogFirstTokenMs: 10,
    ttsFirstAudioMs: 50,
    voiceToVoiceMs: 500,
    interrupted: false,
  });
  h.bus.emit('turn.metrics', {
    roomId,
    turn: 2,
    eouMs: 300,
    asrFinalMs: 100,
    dialogFirstTokenMs: 10,
    ttsFirstAudioMs: 50,
    voiceToVoiceMs: 700,
    interrupted: true,
  });
  await h.records.recorder.idle();
  return { callId, roomId };
}

describe('calls API', () => {
  it('POST /api/calls creates the call record with the default agent', async () => {
    const { callId } = await placeCall('Anna', ['Hi there', 'A large margherita please']);
    const res = await h.request('GET', `/api/calls/${callId}`, { token: await h.token('agent') });
    expect(res.status).toBe(200);
    const call = (await res.json()) as Record<string, unknown>;
    expect(call).toMatchObject({
      id: callId,
      agentId: 'pizzeria',
      displayName: 'Anna',
      status: 'active',
      extraction: null,
    });
    expect(call.transcript).toEqual([
      {
        segmentId: 's0',
        speaker: 'agent',
        text: 'Hi there',
        startMs: 0,
        endMs: 800,
        interrupted: false,
        redacted: false,
      },
      {
        segmentId: 's1',
        speaker: 'customer',
        text: 'A large margherita please',
        startMs: 1000,
        endMs: 1800,
        interrupted: false,
        redacted: false,
      },
    ]);
    expect(call.metrics).toMatchObject({ voiceToVoiceMs: { count: 2, p50: 500, p95: 700, max: 700 } });
  });

  it('refuses an unknown agent with 404 agent_not_found', async () => {
    const res = await h.request('POST', '/api/calls', { body: { agentId: 'no-such-agent' } });
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('agent_not_found');
  });

  it('lists calls newest first with pagination, filters and transcript search', async () => {
    const ended = await placeCall('Bruno', ['Hello', 'Two hawaiian pizzas for delivery']);
    h.bus.emit('room.closed', { roomId: ended.roomId, reason: 'hangup' });
    await h.records.recorder.idle();
    await placeCall('Carla', ['Hello', 'Just a lemonade']);
    const token = await h.token('supervisor');
    const all = (await (await h.request('GET', '/api/calls?pageSize=2', { token })).json()) as {
      items: { displayName: string }[];
      total: number;
    };
    expect(all.total).toBe(3);
    expect(all.items.map((c) => c.displayName)).toEqual(['Carla', 'Bruno']);
    const page2 = (await (await h.request('GET', '/api/calls?pageSize=2&page=2', { token })).json()) as {
      items: { displayName: string }[];
    };
    expect(page2.items.map((c) => c.displayName)).toEqual(['Anna']);
    const search = (await (await h.request('GET', '/api/calls?q=hawaiian', { token })).json()) as {
      items: { id: string; status: string; outcome: string; extraction: { status: string } }[];
    };
    expect(search.items).toEqual([
      expect.objectContaining({
        id: ended.callId,
        status: 'ended',
        outcome: 'completed',
        extraction: expect.objectContaining({ status: 'pending' }),
      }),
    ]);
    const ongoing = (await (await h.request('GET', '/api/calls?status=active', { token })).json()) as {
      total: number;
    };
    expect(ongoing.total).toBe(2);
    const none = (await (
      await h.request(
        'GET',
        `/api/calls?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
        { token },
      )
    ).json()) as {
      total: number;
    };
    expect(none.total).toBe(0);
  });

  it('rejects bad queries and ids with a code, and unknown calls with 404', async () => {
    const token = await h.token('admin');
    const bad = await h.request('GET', '/api/calls?pageSize=1000&status=weird', { token });
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('validation_failed');
    expect(await errorCode(await h.request('GET', '/api/calls/not-a-uuid', { token }))).toBe(
      'validation_failed',
    );
    const missing = await h.request('GET', '/api/calls/00000000-0000-4000-8000-000000000000', { token });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('call_not_found');
  });

  it('is for staff only', async () => {
    expect((await h.request('GET', '/api/calls')).status).toBe(401);
    expect((await h.request('GET', '/api/calls', { token: await h.token('customer') })).status).toBe(403);
  });
});
