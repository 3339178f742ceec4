import { grantsForRole } from '@voiceroom/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Room } from '../../src/media/Room.ts';
import { startMedia } from './roomFixture.ts';
import { sleep, waitFor } from './rtpTools.ts';

let media: Awaited<ReturnType<typeof startMedia>> | undefined;
afterEach(() => media?.close());

function addCustomer(room: Room, id: string) {
  return room.addPeer({
    id,
    kind: 'webrtc',
    identity: `test:${id}`,
    displayName: id,
    role: 'customer',
    grants: grantsForRole('customer'),
    rtpCapabilities: room.rtpCapabilities,
  });
}

describe('RoomRegistry', () => {
  it('creates one room per id even when asked concurrently, and announces it', async () => {
    media = await startMedia();
    const [a, b] = await Promise.all([
      media.registry.getOrCreate('same', { agentId: 'pizzeria' }),
      media.registry.getOrCreate('same', { agentId: 'pizzeria' }),
    ]);
    expect(a).toBe(b);
    expect(a.agentId).toBe('pizzeria');
    expect(media.registry.get('same')).toBe(a);
    expect(media.events.filter((e) => e.name === 'room.created')).toEqual([
      { name: 'room.created', payload: { roomId: 'same', agentId: 'pizzeria' } },
    ]);
  });

  it('spreads rooms over the workers', async () => {
    media = await startMedia({ numWorkers: 2 });
    const rooms = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((id) => media?.registry.getOrCreate(id)));
    expect(new Set(rooms.map((r) => r?.workerPid)).size).toBe(2);
  });

  it('closes a room for good after the grace once its last human left, unless someone comes back', async () => {
    media = await startMedia({ emptyRoomGraceMs: 1000 });
    const room = await media.registry.getOrCreate('grace');
    addCustomer(room, 'a').close('left');
    await sleep(100);
    addCustomer(room, 'b');
    await sleep(1200);
    expect(room.closed).toBe(false);
    room.getPeer('b')?.close('left');
    await waitFor(() => room.closed, 'the empty room to close', 4000);
    expect(media.registry.get('grace')).toBeUndefined();
    expect(media.events).toContainEqual({
      name: 'room.closed',
      payload: { roomId: 'grace', reason: 'room_empty' },
    });
    // The call is over: its room id cannot be opened again (tokens for it are refused).
    await expect(media.registry.getOrCreate('grace')).rejects.toMatchObject({ code: 'call_ended' });
  });

  it('does not count the AI agent as company: a room with only the agent left closes', async () => {
    media = await startMedia({ emptyRoomGraceMs: 100 });
    const room = await media.registry.getOrCreate('agent-only', { agentId: 'pizzeria' });
    const customer = addCustomer(room, 'c');
    room.addPeer({
      id: 'bot',
      kind: 'agent',
      identity: 'agent:pizzeria',
      displayName: 'Bot',
      role: 'agent_ai',
      grants: grantsForRole('agent_ai'),
      rtpCapabilities: room.rtpCapabilities,
    });
    customer.close('left');
    await waitFor(() => room.closed, 'the room to close', 2000);
  });

  it('closes a room nobody joined after the first-join timeout', async () => {
    media = await startMedia({ firstJoinTimeoutMs: 100 });
    const room = await media.registry.getOrCreate('nobody');
    await waitFor(() => room.closed, 'the unused room to close', 2000);
    expect(media.events).toContainEqual({
      name: 'room.closed',
      payload: { roomId: 'nobody', reason: 'nobody_joined' },
    });
  });

  it('drops rooms whose worker died and creates the next one on the replacement', async () => {
    media = await startMedia();
    const room = await media.registry.getOrCreate('on-dead-worker');
    const peer = addCustomer(room, 'a');
    const notes: unknown[] = [];
    peer.attach((n) => notes.push(n));
    process.kill(room.workerPid, 'SIGKILL');
    await waitFor(() => room.closed, 'the room to close with its worker');
    expect(notes).toEqual([{ method: 'roomClosed', data: { reason: 'worker_died', rejoin: true } }]);
    expect(media.registry.get('on-dead-worker')).toBeUndefined();
    const next = await media.registry.getOrCreate('on-dead-worker');
    expect(next.workerPid).not.toBe(room.workerPid);
  });

  it('closes every room on shutdown with a rejoin hint', async () => {
    media = await startMedia();
    const room = await media.registry.getOrCreate('shutdown');
    const notes: unknown[] = [];
    addCustomer(room, 'a').attach((n) => notes.push(n));
    media.registry.close();
    expect(notes).toEqual([{ method: 'roomClosed', data: { reason: 'server_shutdown', rejoin: true } }]);
    await expect(media.registry.getOrCreate('late')).rejects.toThrow(/shutting down/);
  });
});
