import { randomBytes } from 'node:crypto';
import { ConnectionState, dispose, type Room, RoomEvent } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveKitCluster, type TestLiveKit } from '../../../../test/helpers/livekit.ts';
import { LiveKitBackend } from '../../../src/media/livekit/LiveKitBackend.ts';
import type { LiveKitNode } from '../../../src/media/livekit/LiveKitNode.ts';
import { connectParticipant, until, within } from './liveKitTools.ts';

let lk: TestLiveKit;
const connected: Room[] = [];

beforeAll(async () => {
  lk = await startLiveKitCluster(2);
}, 60_000);
afterAll(async () => {
  for (const room of connected) await room.disconnect().catch(() => {});
  await lk?.stop();
  await dispose();
});

/** The control plane as a user deploys it: talking to the cluster through one node's URL. */
const through = (node: LiveKitNode | undefined) =>
  new LiveKitBackend({ url: node?.url ?? '', apiKey: lk.apiKey, apiSecret: lk.apiSecret });

/** Creates rooms through the first node until LiveKit has placed at least one on each node (bounded). */
async function roomsOnEachNode(): Promise<Map<LiveKitNode, string>> {
  const backend = through(lk.nodes[0]);
  const placed = new Map<LiveKitNode, string>();
  for (let i = 0; i < 24 && placed.size < lk.nodes.length; i++) {
    const roomId = `call-${randomBytes(6).toString('hex')}`;
    await backend.createRoom(roomId, { agentId: null });
    const node = await until(() => lk.nodeOf(roomId), `LiveKit to place room ${roomId}`);
    if (!placed.has(node)) placed.set(node, roomId);
  }
  expect(placed.size).toBe(lk.nodes.length);
  return placed;
}

async function join(node: LiveKitNode, roomId: string, id: string): Promise<Room> {
  const ticket = await through(node).mediaTicket({
    roomId,
    identity: `customer:${id}`,
    name: id,
    role: 'customer',
  });
  if (ticket.backend !== 'livekit') throw new Error('expected a LiveKit ticket');
  const room = await connectParticipant(ticket.url, ticket.token);
  connected.push(room);
  return room;
}

describe('a two-node LiveKit cluster', () => {
  let placed: Map<LiveKitNode, string>;

  it('places rooms on both nodes, and a participant connecting through the other node joins the same room', async () => {
    placed = await roomsOnEachNode();
    for (const [host, roomId] of placed) {
      const other = lk.nodes.find((n) => n !== host);
      if (!other) throw new Error('two nodes expected');
      const direct = await join(host, roomId, `direct-${host.port}`);
      const relayed = await join(other, roomId, `relayed-${host.port}`);
      await until(
        async () => direct.remoteParticipants.has(`customer:relayed-${host.port}`),
        'the participant on its host node to see the one who came through the other node',
      );
      expect(relayed.remoteParticipants.has(`customer:direct-${host.port}`)).toBe(true);
      const listed = await through(other).listParticipants(roomId);
      expect(listed.map((p) => p.identity).sort()).toEqual(
        [`customer:direct-${host.port}`, `customer:relayed-${host.port}`].sort(),
      );
    }
  });

  it("killing one node drops only its rooms' participants; the other node's calls continue", async () => {
    const [victim, survivor] = lk.nodes;
    if (!victim || !survivor) throw new Error('two nodes expected');
    const doomedRoom = placed.get(victim);
    const livingRoom = placed.get(survivor);
    if (!doomedRoom || !livingRoom) throw new Error('rooms on both nodes expected');
    const doomed = await join(victim, doomedRoom, 'doomed');
    const living = await join(survivor, livingRoom, 'living');
    const livingTrouble: string[] = [];
    living.on(RoomEvent.Reconnecting, () => livingTrouble.push('reconnecting'));
    living.on(RoomEvent.Disconnected, () => livingTrouble.push('disconnected'));
    const doomedLost = new Promise<void>((resolve) => {
      doomed.on(RoomEvent.Reconnecting, () => resolve());
      doomed.on(RoomEvent.Disconnected, () => resolve());
    });

    await victim.kill();
    await within(doomedLost, 'the dead node’s client to lose its connection', 20_000);
    expect(doomed.connectionState).not.toBe(ConnectionState.CONN_CONNECTED);

    // The surviving node's room still works: listed, and a newcomer meets the participant already there.
    const survivorApi = through(survivor);
    expect((await survivorApi.listParticipants(livingRoom)).map((p) => p.identity)).toContain(
      'customer:living',
    );
    const newcomer = await join(survivor, livingRoom, 'newcomer');
    await until(
      async () => newcomer.remoteParticipants.has('customer:living'),
      'the newcomer to meet the caller',
    );
    expect(living.connectionState).toBe(ConnectionState.CONN_CONNECTED);
    expect(livingTrouble).toEqual([]);
  }, 40_000);
});
