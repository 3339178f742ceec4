import type { SignalingResponse } from '@voiceroom/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRtc, joinRoom, type RtcTestClient } from '../../server/test/signaling/rtcClient.ts';
import { type SecurityApp, startSecurityApp } from '../helpers/securityApp.ts';

/** Item 3 of the security review: room tokens of finished calls, and who a participant claims to be. */
let server: SecurityApp;
const clients: RtcTestClient[] = [];

beforeAll(async () => {
  server = await startSecurityApp();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

async function startCall(displayName: string): Promise<{ roomId: string; token: string }> {
  const res = await server.request('POST', '/api/calls', { body: { displayName } });
  if (res.status !== 201) throw new Error(`POST /api/calls: ${res.status} ${await res.text()}`);
  return (await res.json()) as { roomId: string; token: string };
}

async function connect(token: string): Promise<RtcTestClient> {
  const client = await connectRtc(server.url, token);
  clients.push(client);
  return client;
}

/** The refusal (or not) of both first steps into a room: capabilities, then join with capabilities known. */
async function joinAttempt(client: RtcTestClient, known: SignalingResponse<'getRouterRtpCapabilities'>) {
  return {
    capabilities: await client.ack('getRouterRtpCapabilities'),
    join: await client.ack('join', { rtpCapabilities: known }),
  };
}
const refused = { ok: false, error: { code: 'call_ended' } };

/** Router capabilities are the same in every room: read them from a live call's room. */
async function capabilitiesOfSomeRoom() {
  const { token } = await startCall('Probe');
  return (await connect(token)).request('getRouterRtpCapabilities');
}

describe('room tokens and identities', () => {
  it('attack: a customer hangs up, then reuses the (unexpired) room token of the finished call to reopen the room | expected: join refused with call_ended, the room stays closed', async () => {
    const { roomId, token } = await startCall('Alice');
    const first = await connect(token);
    const known = await first.request('getRouterRtpCapabilities');
    await first.request('join', { rtpCapabilities: known });
    const closed = new Promise<void>((resolve) => {
      const off = server.server.bus.on('room.closed', (p) => {
        if (p.roomId !== roomId) return;
        off();
        resolve();
      });
    });
    first.socket.disconnect();
    await closed;

    const again = await joinAttempt(await connect(token), known);
    expect(again).toMatchObject({ capabilities: refused, join: refused });
    expect(server.server.registry.get(roomId)).toBeUndefined();
  });

  it('attack: a customer reuses the room token of a call that ended before this server process started | expected: join refused with call_ended', async () => {
    const { roomId, token } = await startCall('Bob');
    // The call ended on an earlier run (or another instance): only the calls table knows.
    await server.sql(
      "update calls set status = 'ended', end_reason = 'customer_left', ended_at = utc_timestamp(3) where room_id = ?",
      [roomId],
    );
    const attempt = await joinAttempt(await connect(token), await capabilitiesOfSomeRoom());
    expect(attempt).toMatchObject({ capabilities: refused, join: refused });
    expect(server.server.registry.get(roomId)).toBeUndefined();
  });

  it('attack: a customer sends displayName "Supervisor" in the join message to impersonate staff | expected: join refused as bad_request; others see the name from the signed token', async () => {
    const { roomId, token } = await startCall('Carol');
    const customer = await connect(token);
    const rtpCapabilities = await customer.request('getRouterRtpCapabilities');
    const spoofed = await customer.ack('join', {
      rtpCapabilities,
      displayName: 'Supervisor',
    } as unknown as { rtpCapabilities: typeof rtpCapabilities });
    expect(spoofed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const joined = await customer.request('join', { rtpCapabilities });

    const { token: observerToken } = await server.server.tokens.issueRoomToken({
      identity: 'observer',
      name: 'Observer',
      room: roomId,
      role: 'supervisor',
      listenOnly: true,
    });
    const observer = await joinRoom(await connect(observerToken));
    expect(observer.peers.find((p) => p.peerId === joined.peerId)?.displayName).toBe('Carol');
  });
});
