import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaServer, startMediaServer } from '../helpers/mediaServer.ts';
import { waitFor } from '../media/rtpTools.ts';
import { connectRtc, joinAndProduce, joinRoom, type RtcTestClient } from './rtcClient.ts';

let server: MediaServer;
const clients: RtcTestClient[] = [];

beforeAll(async () => {
  server = await startMediaServer({ numWorkers: 1 });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

async function client(room: string) {
  const c = await connectRtc(server.url, await server.roomToken({ room }));
  clients.push(c);
  return c;
}

describe('mediasoup worker death', () => {
  it('closes the rooms on the dead worker with a rejoin notice, and a replacement worker serves the rejoin', async () => {
    const a = await client('doomed');
    const b = await client('doomed');
    const bystanderRoomClient = await client('doomed-too');
    await joinAndProduce(a, 1);
    await joinRoom(b);
    await b.request('createWebRtcTransport', { direction: 'recv' });
    await joinRoom(bystanderRoomClient);
    const room = server.registry.get('doomed');
    const deadPid = room?.workerPid ?? -1;
    expect(room?.stats()).toMatchObject({ peers: 2, producers: 1, consumers: 1 });

    process.kill(deadPid, 'SIGKILL');
    for (const c of [a, b, bystanderRoomClient]) {
      expect(await c.next('roomClosed')).toEqual({ reason: 'worker_died', rejoin: true });
    }
    expect(room?.closed).toBe(true);
    expect(server.registry.get('doomed')).toBeUndefined();
    await waitFor(() => server.pool.alive, 'a replacement worker');
    expect(server.pool.pids).not.toContain(deadPid);

    // Rejoin on the same connection: a fresh room on the new worker, media set up again.
    const again = await joinAndProduce(a, 2);
    expect(again.joined.resumed).toBe(false);
    const reborn = server.registry.get('doomed');
    expect(reborn).toBeDefined();
    expect(reborn).not.toBe(room);
    expect(reborn?.workerPid).not.toBe(deadPid);
    // ...and on a new connection.
    const fresh = await client('doomed');
    const joined = await joinRoom(fresh);
    expect(joined.peers.map((p) => p.peerId)).toEqual([again.joined.peerId]);
    await fresh.request('createWebRtcTransport', { direction: 'recv' });
    await fresh.next('newConsumer', (d) => d.producerId === again.producerId);
    expect(reborn?.stats()).toMatchObject({ peers: 2, producers: 1, consumers: 1 });
  });
});

describe('mediasoup worker death with several workers', () => {
  it('closes only the rooms on the dead worker; rooms on the others carry on', async () => {
    const multi = await startMediaServer({ numWorkers: 2 });
    const local: RtcTestClient[] = [];
    try {
      const join = async (room: string) => {
        const c = await connectRtc(multi.url, await multi.roomToken({ room }));
        local.push(c);
        await joinAndProduce(c, local.length);
        return c;
      };
      const [a, b] = [await join('room-a'), await join('room-b')];
      const roomA = multi.registry.get('room-a');
      const roomB = multi.registry.get('room-b');
      expect(roomA?.workerPid).not.toBe(roomB?.workerPid);

      process.kill(roomA?.workerPid ?? -1, 'SIGKILL');
      expect(await a.next('roomClosed')).toEqual({ reason: 'worker_died', rejoin: true });
      expect(roomB?.closed).toBe(false);
      expect(b.notifications.some((n) => n.method === 'roomClosed')).toBe(false);
      expect((await b.request('getStats')).transports).toHaveLength(1);
      expect(roomB?.stats()).toMatchObject({ peers: 1, producers: 1 });
    } finally {
      for (const c of local) c.close();
      await multi.close();
    }
  });
});
