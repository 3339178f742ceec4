import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MediaServer, startMediaServer } from '../helpers/mediaServer.ts';
import { waitFor } from '../media/rtpTools.ts';
import { connectRtc, FAKE_DTLS, joinRoom, opusRtpParameters, type RtcTestClient } from './rtcClient.ts';

let server: MediaServer;
const clients: RtcTestClient[] = [];
let roomSeq = 0;

beforeAll(async () => {
  server = await startMediaServer({
    reconnectGraceMs: 5000,
    emptyRoomGraceMs: 60_000,
    limits: { maxConnectionsPerAddress: 6, maxPeersPerRoom: 3, maxProducersPerPeer: 1 },
  });
});
afterAll(() => server.close());
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await waitFor(() => server.signaling.connections === 0, 'every test connection to close');
});

const newRoomId = () => `abuse-room-${++roomSeq}`;

async function connect(token: string, options: Parameters<typeof connectRtc>[2] = {}) {
  const c = await connectRtc(server.url, token, options);
  clients.push(c);
  return c;
}

describe('signaling abuse limits', () => {
  it('a second connection with the same customer token replaces the first, which is told why and disconnected', async () => {
    const room = newRoomId();
    const token = await server.roomToken({ room, identity: 'customer:call-1' });
    const first = await connect(token);
    const firstPeer = await joinRoom(first);
    const disconnected = new Promise<string>((resolve) => first.socket.once('disconnect', resolve));

    const second = await connect(token);
    expect(await first.next('roomClosed')).toEqual({ reason: 'connection_replaced', rejoin: false });
    expect(await disconnected).toBe('io server disconnect');

    // Joining afresh replaces the peer the first connection left behind: still one customer in the room.
    const secondPeer = await joinRoom(second);
    expect(secondPeer.peerId).not.toBe(firstPeer.peerId);
    const serverRoom = server.registry.get(room);
    await waitFor(() => serverRoom?.getPeer(firstPeer.peerId) === undefined, 'the replaced peer to close');
    expect(serverRoom?.peers.map((p) => p.id)).toEqual([secondPeer.peerId]);
    expect(server.signaling.connections).toBe(1);
  });

  it("the replacing connection can resume the first one's peer (a reconnect the server had not noticed yet)", async () => {
    const room = newRoomId();
    const token = await server.roomToken({ room, identity: 'customer:call-2' });
    const first = await connect(token);
    const joined = await joinRoom(first);
    await first.request('createWebRtcTransport', { direction: 'send' });
    const back = await connect(token, { resumePeerId: joined.peerId });
    expect(await joinRoom(back)).toMatchObject({ peerId: joined.peerId, resumed: true });
    expect(server.registry.get(room)?.getPeer(joined.peerId)?.counts().transports).toBe(1);
  });

  it('staff tokens are not limited to one connection (a supervisor may open the call twice)', async () => {
    const room = newRoomId();
    const token = await server.roomToken({ room, identity: 'user:sue', role: 'supervisor' });
    const a = await connect(token);
    const b = await connect(token);
    await joinRoom(a);
    await joinRoom(b);
    expect(a.socket.connected && b.socket.connected).toBe(true);
  });

  it('refuses join into a full room with room_full', async () => {
    const room = newRoomId();
    for (let i = 0; i < 3; i++) await joinRoom(await connect(await server.roomToken({ room })));
    const late = await connect(await server.roomToken({ room }));
    expect(
      await late.ack('join', { rtpCapabilities: server.registry.get(room)?.rtpCapabilities as never }),
    ).toMatchObject({
      ok: false,
      error: { code: 'room_full' },
    });
    expect(server.registry.get(room)?.peers).toHaveLength(3);
  });

  it('refuses connections beyond the per-address cap with too_many_connections, and admits again once one closes', async () => {
    const open: RtcTestClient[] = [];
    for (let i = 0; i < 6; i++) open.push(await connect(await server.roomToken({ room: newRoomId() })));
    await expect(connectRtc(server.url, await server.roomToken({ room: newRoomId() }))).rejects.toMatchObject(
      {
        data: { code: 'too_many_connections' },
      },
    );
    open[0]?.close();
    await waitFor(() => server.signaling.connections === 5, 'one connection to close');
    await connect(await server.roomToken({ room: newRoomId() }));
    expect(server.signaling.connections).toBe(6);
  });

  it('refuses a producer beyond the per-peer cap with too_many_producers', async () => {
    const c = await connect(await server.roomToken({ room: newRoomId() }));
    await joinRoom(c);
    const send = await c.request('createWebRtcTransport', { direction: 'send' });
    await c.request('connectWebRtcTransport', { transportId: send.id, dtlsParameters: FAKE_DTLS });
    await c.request('produce', { transportId: send.id, kind: 'audio', rtpParameters: opusRtpParameters(11) });
    expect(
      await c.ack('produce', { transportId: send.id, kind: 'audio', rtpParameters: opusRtpParameters(12) }),
    ).toMatchObject({ ok: false, error: { code: 'too_many_producers' } });
  });
});
