import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentReceiveStream } from '../../src/media/AgentMediaLink.ts';
import type { Room } from '../../src/media/Room.ts';
import { plainParticipant, startMedia } from './roomFixture.ts';
import {
  bindUdp,
  collectRtp,
  decodedToneHz,
  opusSineFrames,
  sendOpusRtp,
  sleep,
  waitFor,
} from './rtpTools.ts';

let media: Awaited<ReturnType<typeof startMedia>>;
let room: Room;
const cleanups: (() => void)[] = [];
let roomSeq = 0;

beforeAll(async () => {
  media = await startMedia();
});
afterAll(() => media.close());
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  room?.close('test_done');
});

async function newRoom(): Promise<Room> {
  room = await media.registry.getOrCreate(`agent-room-${++roomSeq}`, { agentId: 'pizzeria' });
  return room;
}

async function agentSocket() {
  const socket = await bindUdp();
  cleanups.push(() => socket.close());
  const { port } = socket.address();
  return { socket, rtpTarget: { ip: '127.0.0.1', port } };
}

describe('AgentMediaLink', () => {
  it('delivers every other participant to the agent as real Opus on a distinct SSRC', async () => {
    await newRoom();
    const customer = await plainParticipant(room, 'customer', 'customer');
    const human = await plainParticipant(room, 'human', 'human_agent');
    cleanups.push(
      () => customer.close(),
      () => human.close(),
    );
    const c = await customer.produce(1111);
    const h = await human.produce(2222);

    const agent = await agentSocket();
    const received = collectRtp(agent.socket);
    const link = await room.connectAgent({ displayName: 'Pizza bot', rtpTarget: agent.rtpTarget });

    expect(link.receive.map((s) => s.role).sort()).toEqual(['customer', 'human_agent']);
    const bySender = new Map(link.receive.map((s) => [s.peerId, s]));
    const customerStream = bySender.get('customer') as AgentReceiveStream;
    const humanStream = bySender.get('human') as AgentReceiveStream;
    expect(customerStream.ssrc).not.toBe(humanStream.ssrc);

    await Promise.all([
      sendOpusRtp(customer.socket, c.ingest, opusSineFrames(440, 60), { ssrc: 1111, payloadType: 100 }),
      sendOpusRtp(human.socket, h.ingest, opusSineFrames(1000, 60), { ssrc: 2222, payloadType: 100 }),
    ]);
    await waitFor(
      () =>
        (received.get(customerStream.ssrc)?.length ?? 0) >= 55 &&
        (received.get(humanStream.ssrc)?.length ?? 0) >= 55,
      'both streams at the agent socket',
    );
    const fromCustomer = received.get(customerStream.ssrc) ?? [];
    expect(new Set(fromCustomer.map((p) => p.payloadType))).toEqual(new Set([customerStream.payloadType]));
    expect(decodedToneHz(fromCustomer.map((p) => p.payload)).frequencyHz).toBeGreaterThan(400);
    expect(decodedToneHz(fromCustomer.map((p) => p.payload)).frequencyHz).toBeLessThan(480);
    const humanTone = decodedToneHz((received.get(humanStream.ssrc) ?? []).map((p) => p.payload)).frequencyHz;
    expect(humanTone).toBeGreaterThan(940);
    expect(humanTone).toBeLessThan(1060);
  });

  it("lets the room hear the agent's Opus RTP sent from its socket", async () => {
    await newRoom();
    const customer = await plainParticipant(room, 'customer', 'customer');
    cleanups.push(() => customer.close());
    const heard = collectRtp(customer.socket);
    const agent = await agentSocket();
    const link = await room.connectAgent({
      displayName: 'Pizza bot',
      rtpTarget: agent.rtpTarget,
      ssrc: 777,
      payloadType: 109,
    });
    expect(link.send).toEqual({ ssrc: 777, payloadType: 109 });

    await waitFor(() => customer.newConsumers().length === 1, 'newConsumer for the agent');
    const offer = customer.newConsumers()[0];
    expect(offer?.peerId).toBe(link.peerId);
    const consumer = customer.peer.consumer(offer?.consumerId ?? '').consumer;
    expect(consumer.paused).toBe(true);
    await consumer.resume();

    await sendOpusRtp(agent.socket, link.ingest, opusSineFrames(660, 60), link.send);
    const ssrc = offer?.rtpParameters.encodings?.[0]?.ssrc ?? -1;
    await waitFor(() => (heard.get(ssrc)?.length ?? 0) >= 55, "the agent's audio at the customer");
    const tone = decodedToneHz((heard.get(ssrc) ?? []).map((p) => p.payload)).frequencyHz;
    expect(tone).toBeGreaterThan(620);
    expect(tone).toBeLessThan(700);
  });

  it('stops relaying the agent while sending is paused (takeover) and resumes after', async () => {
    await newRoom();
    const customer = await plainParticipant(room, 'customer', 'customer');
    cleanups.push(() => customer.close());
    const heard = collectRtp(customer.socket);
    const agent = await agentSocket();
    const link = await room.connectAgent({ displayName: 'Pizza bot', rtpTarget: agent.rtpTarget });
    await waitFor(() => customer.newConsumers().length === 1, 'newConsumer for the agent');
    const offer = customer.newConsumers()[0];
    await customer.peer.consumer(offer?.consumerId ?? '').consumer.resume();
    const ssrc = offer?.rtpParameters.encodings?.[0]?.ssrc ?? -1;

    await link.pauseSending();
    await waitFor(() => customer.notifications.some((n) => n.method === 'consumerPaused'), 'consumerPaused');
    await sendOpusRtp(agent.socket, link.ingest, opusSineFrames(500, 25), link.send);
    await sleep(200);
    expect(heard.get(ssrc)?.length ?? 0).toBe(0);

    await link.resumeSending();
    await sendOpusRtp(agent.socket, link.ingest, opusSineFrames(500, 25), link.send);
    await waitFor(() => (heard.get(ssrc)?.length ?? 0) >= 20, 'audio after resume');
  });

  it('reports producers that appear and close after the agent joined', async () => {
    await newRoom();
    const agent = await agentSocket();
    const link = await room.connectAgent({ displayName: 'Pizza bot', rtpTarget: agent.rtpTarget });
    const added: AgentReceiveStream[] = [];
    const closed: { consumerId: string; reason: string }[] = [];
    link.on('consumer', (s) => added.push(s));
    link.on('consumerclosed', (c) => closed.push(c));
    expect(link.receive).toEqual([]);

    const customer = await plainParticipant(room, 'late-customer', 'customer');
    cleanups.push(() => customer.close());
    const { producer } = await customer.produce(4242);
    await waitFor(() => added.length === 1, 'consumer event');
    expect(added[0]).toMatchObject({ peerId: 'late-customer', role: 'customer', producerId: producer.id });

    producer.close();
    await waitFor(() => closed.length === 1, 'consumerclosed event');
    expect(closed[0]).toMatchObject({ consumerId: added[0]?.consumerId });
    expect(link.receive).toEqual([]);
  });

  it('closing the link removes the agent and everything it owned, telling the others', async () => {
    await newRoom();
    const customer = await plainParticipant(room, 'customer', 'customer');
    cleanups.push(() => customer.close());
    await customer.produce(5151);
    const agent = await agentSocket();
    const link = await room.connectAgent({ displayName: 'Pizza bot', rtpTarget: agent.rtpTarget });
    const linkClosed: string[] = [];
    link.on('close', (reason) => linkClosed.push(reason));
    expect(room.stats()).toEqual({ peers: 2, transports: 3, producers: 2, consumers: 2 });
    expect(media.events).toContainEqual({
      name: 'participant.joined',
      payload: expect.objectContaining({ roomId: room.id, peerId: link.peerId, role: 'agent_ai' }),
    });

    link.close();
    expect(linkClosed).toEqual(['agent_left']);
    // The customer's consumer of the agent closes when the worker reports the producer gone.
    await waitFor(() => room.stats().consumers === 0, "the customer's consumer of the agent to close");
    expect(room.stats()).toEqual({ peers: 1, transports: 2, producers: 1, consumers: 0 });
    expect(await room.routerStats()).toEqual({ transports: 2 });
    expect(customer.notifications).toContainEqual({
      method: 'peerLeft',
      data: { peerId: link.peerId, reason: 'agent_left' },
    });
    expect(media.events).toContainEqual({
      name: 'participant.left',
      payload: { roomId: room.id, peerId: link.peerId, reason: 'agent_left' },
    });
  });
});
