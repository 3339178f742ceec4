import { grantsForRole } from '@voiceroom/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '../../src/media/Room.ts';
import { plainParticipant, startMedia } from './roomFixture.ts';
import { buildRtp, opusSineFrames, sleep, waitFor } from './rtpTools.ts';

let media: Awaited<ReturnType<typeof startMedia>>;
let room: Room;
let seq = 0;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  media = await startMedia();
});
afterAll(() => media.close());
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
  room?.close('test_done');
});

async function newRoom() {
  room = await media.registry.getOrCreate(`room-test-${++seq}`);
  return room;
}

async function participant(id: string, role: Parameters<typeof plainParticipant>[2], listenOnly = false) {
  const p = await plainParticipant(room, id, role, { listenOnly });
  sockets.push(p);
  return p;
}

describe('Room', () => {
  it('routes Opus only', async () => {
    await newRoom();
    expect(room.rtpCapabilities.codecs?.map((c) => `${c.mimeType}/${c.clockRate}/${c.channels}`)).toEqual([
      'audio/opus/48000/2',
    ]);
  });

  it('gives every other subscriber a paused consumer when someone produces, and none to the producer', async () => {
    await newRoom();
    const a = await participant('a', 'customer');
    const b = await participant('b', 'human_agent');
    const c = await participant('c', 'supervisor');
    const { producer } = await a.produce(42);
    await waitFor(
      () => b.newConsumers().length === 1 && c.newConsumers().length === 1,
      'consumers for b and c',
    );
    expect(a.newConsumers()).toEqual([]);
    for (const p of [b, c]) {
      const offer = p.newConsumers()[0];
      expect(offer).toMatchObject({
        producerId: producer.id,
        peerId: 'a',
        kind: 'audio',
        producerPaused: false,
      });
      expect(p.peer.consumer(offer?.consumerId ?? '').consumer.paused).toBe(true);
    }
    expect(room.stats()).toEqual({ peers: 3, transports: 4, producers: 1, consumers: 2 });
  });

  it('offers existing producers to a peer when it gets its receiving transport', async () => {
    await newRoom();
    const a = await participant('a', 'customer');
    const { producer } = await a.produce(7);
    const late = room.addPeer({
      id: 'late',
      kind: 'webrtc',
      identity: 'test:late',
      displayName: 'Late',
      role: 'human_agent',
      grants: grantsForRole('human_agent'),
      rtpCapabilities: room.rtpCapabilities,
    });
    expect(late.consumers).toEqual([]);
    await room.createWebRtcTransport(late, 'recv');
    expect(late.consumers.map((c) => c.consumer.producerId)).toEqual([producer.id]);
  });

  it('refuses to let a listen-only peer produce', async () => {
    await newRoom();
    const listener = await participant('listener', 'customer', true);
    await expect(listener.produce(9)).rejects.toMatchObject({ code: 'forbidden' });
    expect(room.stats().producers).toBe(0);
  });

  it('keeps hidden peers (silent supervisors) out of what customers see', async () => {
    await newRoom();
    const customer = await participant('customer', 'customer');
    const agent = await participant('human', 'human_agent');
    const supervisor = await participant('sup', 'supervisor');
    // The human agent speaks to the customer, so is shown; the supervisor never is.
    await agent.produce(11);
    expect(room.peerInfos(customer.peer).map((p) => p.peerId)).toEqual(['human']);
    expect(room.peerInfos(agent.peer).map((p) => p.peerId)).toEqual(['customer', 'sup']);
    expect(customer.notifications.filter((n) => n.method === 'peerJoined').map((n) => n.data.peerId)).toEqual(
      ['human'],
    );
    supervisor.peer.close('left');
    expect(customer.notifications.some((n) => n.method === 'peerLeft')).toBe(false);
    expect(agent.notifications).toContainEqual({
      method: 'peerLeft',
      data: { peerId: 'sup', reason: 'left' },
    });
  });

  it('never tells a customer that staff-only tracks, whispering or listening staff exist', async () => {
    await newRoom();
    const customer = await participant('customer', 'customer');
    const human = await participant('human', 'human_agent');
    await participant('listener', 'human_agent', true);
    const ingest = await room.createPlainTransport({ comedia: true });
    await room.attachTransport(human.peer, ingest, 'send');
    const whisper = await room.produce(
      human.peer,
      ingest.id,
      {
        codecs: [{ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: 100 }],
        encodings: [{ ssrc: 77 }],
      },
      {},
      'staff',
    );
    expect(room.peerInfos(customer.peer)).toEqual([]);
    expect(JSON.stringify(customer.notifications)).not.toContain(whisper.id);
    expect(JSON.stringify(customer.notifications)).not.toContain('listener');
    expect(JSON.stringify(customer.notifications)).not.toContain('human');
    // Staff still see the whisper track and each other.
    const staffView = room.peerInfos(human.peer);
    expect(staffView.map((p) => p.peerId)).toEqual(['customer', 'listener']);
    expect(
      room.peerInfos(room.getPeer('listener') as never).find((p) => p.peerId === 'human')?.producers,
    ).toEqual([{ producerId: whisper.id, kind: 'audio', paused: false }]);
  });

  it('frees what a peer owned when it closes and tells the others', async () => {
    await newRoom();
    const a = await participant('a', 'customer');
    const b = await participant('b', 'customer');
    await a.produce(1);
    await b.produce(2);
    await waitFor(() => room.stats().consumers === 2, 'two consumers');
    a.peer.close('left');
    await waitFor(() => room.stats().consumers === 0, "b's consumer of a to close");
    expect(room.stats()).toEqual({ peers: 1, transports: 2, producers: 1, consumers: 0 });
    expect(await room.routerStats()).toEqual({ transports: 2 });
    expect(b.notifications).toContainEqual(expect.objectContaining({ method: 'consumerClosed' }));
    expect(media.events).toContainEqual({
      name: 'participant.left',
      payload: { roomId: room.id, peerId: 'a', reason: 'left' },
    });
  });

  it("does not announce a control-only peer (a LiveKit client, whose presence LiveKit's webhooks report) as a participant, yet keeps it in the room's notifications", async () => {
    await newRoom();
    const b = await participant('b', 'customer');
    const control = room.addPeer({
      id: 'lk-control',
      kind: 'webrtc',
      identity: 'guest:lk',
      displayName: 'LiveKit caller',
      role: 'customer',
      grants: grantsForRole('customer'),
      rtpCapabilities: { codecs: [] },
      controlOnly: true,
    });
    const announced = (peerId: string) =>
      media.events.filter(
        (e) =>
          (e.name === 'participant.joined' || e.name === 'participant.left') &&
          (e.payload as { roomId: string; peerId: string }).roomId === room.id &&
          (e.payload as { peerId: string }).peerId === peerId,
      );
    expect(announced('lk-control')).toEqual([]);
    expect(announced('b')).toHaveLength(1);
    expect(b.notifications).toContainEqual(
      expect.objectContaining({
        method: 'peerJoined',
        data: expect.objectContaining({ peerId: 'lk-control' }),
      }),
    );
    control.close('left');
    expect(announced('lk-control')).toEqual([]);
    expect(room.peers.map((p) => p.id)).toEqual(['b']);
  });

  it('announces the active speaker from the audio levels in the RTP, and nobody after silence', async () => {
    await newRoom();
    const a = await participant('a', 'customer');
    const b = await participant('b', 'human_agent');
    const { ingest } = await a.produce(77, 100, 10);
    const [frame] = opusSineFrames(300, 1);
    const send = async (level: number, count: number) => {
      for (let i = 0; i < count; i++) {
        const packet = buildRtp({
          payloadType: 100,
          sequenceNumber: i,
          timestamp: i * 960,
          ssrc: 77,
          payload: frame ?? Buffer.alloc(1),
          audioLevel: { extensionId: 10, level },
        });
        a.socket.send(packet, ingest.port, ingest.ip);
        await sleep(20);
      }
    };
    await send(20, 40);
    await waitFor(
      () => b.notifications.some((n) => n.method === 'activeSpeaker' && n.data.peerId === 'a'),
      'a',
    );
    await send(127, 40);
    const lastSpeaker = () => {
      const last = b.notifications.filter((n) => n.method === 'activeSpeaker').at(-1);
      return last?.method === 'activeSpeaker' ? last.data.peerId : undefined;
    };
    await waitFor(() => lastSpeaker() === null, 'silence');
    expect(a.notifications.filter((n) => n.method === 'activeSpeaker').map((n) => n.data)).toEqual([
      { peerId: 'a' },
      { peerId: null },
    ]);
  });

  it('tells every peer when it closes and whether to rejoin, then frees everything', async () => {
    await newRoom();
    const a = await participant('a', 'customer');
    await a.produce(3);
    const before = media.pool.mediaCounts;
    room.close('kicked_all', false);
    expect(a.notifications.at(-1)).toEqual({
      method: 'roomClosed',
      data: { reason: 'kicked_all', rejoin: false },
    });
    expect(a.peer.closed).toBe(true);
    expect(room.stats()).toEqual({ peers: 0, transports: 0, producers: 0, consumers: 0 });
    expect(media.pool.mediaCounts.routers).toBe(before.routers - 1);
    expect(() => room.addPeer({ ...a.peer, id: 'x', kind: 'webrtc' })).toThrow(/closed/);
  });
});
