import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MediaServer, startMediaServer } from '../helpers/mediaServer.ts';
import { waitFor } from '../media/rtpTools.ts';
import {
  connectRtc,
  FAKE_DTLS,
  joinAndProduce,
  joinRoom,
  opusRtpParameters,
  type RtcTestClient,
} from './rtcClient.ts';

let server: MediaServer;
const clients: RtcTestClient[] = [];
let roomSeq = 0;

beforeAll(async () => {
  server = await startMediaServer({ reconnectGraceMs: 2000, emptyRoomGraceMs: 60_000 });
});
afterAll(() => server.close());
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

const newRoomId = () => `sig-room-${++roomSeq}`;

async function client(room: string, options: Omit<Parameters<MediaServer['roomToken']>[0], 'room'> = {}) {
  const c = await connectRtc(server.url, await server.roomToken({ room, ...options }));
  clients.push(c);
  return c;
}

describe('SignalingServer', () => {
  it('refuses a connection without a valid room token, saying why', async () => {
    await expect(connectRtc(server.url, 'not-a-jwt')).rejects.toMatchObject({
      message: 'unauthorized',
      data: { code: 'unauthorized' },
    });
    const forged = `${(await server.roomToken({ room: 'x' })).slice(0, -4)}AAAA`;
    await expect(connectRtc(server.url, forged)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
  });

  it('joins, lists the others and offers each new producer to the others as a paused consumer', async () => {
    const room = newRoomId();
    const alice = await client(room, { name: 'Alice' });
    const bob = await client(room, { name: 'Bob' });
    const a = await joinAndProduce(alice, 1001);
    const bobJoined = await joinRoom(bob);
    expect(bobJoined).toMatchObject({ roomId: room, role: 'customer', resumed: false });
    expect(bobJoined.peers).toEqual([
      {
        peerId: a.joined.peerId,
        displayName: 'Alice',
        role: 'customer',
        producers: [{ producerId: a.producerId, kind: 'audio', paused: false }],
      },
    ]);
    await alice.next('peerJoined', (d) => d.peerId === bobJoined.peerId && d.displayName === 'Bob');

    const recv = await bob.request('createWebRtcTransport', { direction: 'recv' });
    const offer = await bob.next('newConsumer', (d) => d.producerId === a.producerId);
    expect(offer).toMatchObject({ peerId: a.joined.peerId, kind: 'audio', producerPaused: false });
    expect(offer.rtpParameters.codecs[0]?.mimeType).toBe('audio/opus');
    const serverRoom = server.registry.get(room);
    const consumer = serverRoom?.getPeer(bobJoined.peerId)?.consumer(offer.consumerId).consumer;
    expect(consumer?.paused).toBe(true);
    await bob.request('resumeConsumer', { consumerId: offer.consumerId });
    expect(consumer?.paused).toBe(false);
    expect(recv.iceCandidates[0]).toMatchObject({ address: '127.0.0.1', protocol: 'udp' });

    await alice.request('pauseProducer', { producerId: a.producerId });
    await bob.next('consumerPaused', (d) => d.consumerId === offer.consumerId);
    await alice.request('closeProducer', { producerId: a.producerId });
    await bob.next(
      'consumerClosed',
      (d) => d.consumerId === offer.consumerId && d.reason === 'producer_closed',
    );
  });

  it('refuses to let a listen-only participant produce and keeps hidden supervisors off the customer list', async () => {
    const room = newRoomId();
    const customer = await client(room);
    const supervisor = await client(room, { role: 'supervisor', name: 'Sue' });
    const listener = await client(room, { listenOnly: true });
    const c = await joinRoom(customer);
    const s = await joinRoom(supervisor);
    expect(s.grants).toMatchObject({ canPublish: false, hidden: true });
    const l = await joinRoom(listener);
    expect(l.grants.canPublish).toBe(false);
    // A listen-only customer: the hidden supervisor is not listed to it either.
    expect(l.peers.map((p) => p.peerId)).toEqual([c.peerId]);

    for (const who of [supervisor, listener]) {
      const send = await who.request('createWebRtcTransport', { direction: 'send' });
      const reply = await who.ack('produce', {
        transportId: send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(7),
      });
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(server.registry.get(room)?.stats().producers).toBe(0);
    // The customer was told about the listener but never about the hidden supervisor.
    await customer.next('peerJoined', (d) => d.peerId === l.peerId);
    expect(customer.notifications.some((n) => n.method === 'peerJoined' && n.data.peerId === s.peerId)).toBe(
      false,
    );
    expect((await joinRoom(await client(room))).peers.map((p) => p.peerId)).not.toContain(s.peerId);
  });

  it('answers requests out of order with the right refusal codes', async () => {
    const room = newRoomId();
    const c = await client(room);
    expect(await c.ack('createWebRtcTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'not_joined' },
    });
    await joinRoom(c);
    expect(await c.ack('join', { rtpCapabilities: {} })).toMatchObject({
      ok: false,
      error: { code: 'already_joined' },
    });
    expect(await c.ack('restartIce', { transportId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await c.ack('resumeConsumer', { consumerId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const send = await c.request('createWebRtcTransport', { direction: 'send' });
    expect(await c.ack('createWebRtcTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    await c.request('connectWebRtcTransport', { transportId: send.id, dtlsParameters: FAKE_DTLS });
    expect(
      await c.ack('connectWebRtcTransport', { transportId: send.id, dtlsParameters: FAKE_DTLS }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const video = opusRtpParameters(5);
    video.codecs = [
      { ...video.codecs[0], mimeType: 'video/VP8', clockRate: 90_000 } as (typeof video.codecs)[0],
    ];
    expect(
      await c.ack('produce', { transportId: send.id, kind: 'audio', rtpParameters: video }),
    ).toMatchObject({
      ok: false,
    });
    const noOpus = await client(room);
    expect(await noOpus.ack('join', { rtpCapabilities: { codecs: [] } })).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
  });

  it('limits the request rate of one connection without affecting another', async () => {
    const limited = await startMediaServer({ rateLimit: { burst: 5, perSecond: 1 } });
    try {
      const room = newRoomId();
      const noisy = await connectRtc(limited.url, await limited.roomToken({ room }));
      const calm = await connectRtc(limited.url, await limited.roomToken({ room }));
      clients.push(noisy, calm);
      const replies = await Promise.all(
        Array.from({ length: 12 }, () => noisy.ack('getRouterRtpCapabilities')),
      );
      expect(replies.filter((r) => r.ok)).toHaveLength(5);
      expect(replies.filter((r) => !r.ok && r.error.code === 'rate_limited')).toHaveLength(7);
      expect((await calm.ack('getRouterRtpCapabilities')).ok).toBe(true);
    } finally {
      await limited.close();
    }
  });

  it('frees everything a peer owned when it leaves', async () => {
    const room = newRoomId();
    const a = await client(room);
    const b = await client(room);
    const pa = await joinAndProduce(a, 11);
    const pb = await joinAndProduce(b, 12);
    await a.request('createWebRtcTransport', { direction: 'recv' });
    await b.request('createWebRtcTransport', { direction: 'recv' });
    const serverRoom = server.registry.get(room);
    expect(serverRoom?.stats()).toEqual({ peers: 2, transports: 4, producers: 2, consumers: 2 });

    await a.request('leave');
    await b.next('peerLeft', (d) => d.peerId === pa.joined.peerId && d.reason === 'left');
    await waitFor(() => serverRoom?.stats().consumers === 0, 'consumers to close');
    expect(serverRoom?.stats()).toEqual({ peers: 1, transports: 2, producers: 1, consumers: 0 });
    b.close();
    await waitFor(() => serverRoom?.stats().peers === 0, 'b to be gone after its deliberate disconnect');
    expect(serverRoom?.stats()).toEqual({ peers: 0, transports: 0, producers: 0, consumers: 0 });
    expect(await serverRoom?.routerStats()).toEqual({ transports: 0 });
    expect(pb.producerId).toBeTruthy();
  });

  it('keeps a dropped peer for the grace period, lets it resume, and frees it after the grace', async () => {
    const room = newRoomId();
    const token = await server.roomToken({ room, identity: 'guest:resumer' });
    const first = await connectRtc(server.url, token);
    const other = await client(room);
    const joined = await joinRoom(first);
    const send = await first.request('createWebRtcTransport', { direction: 'send' });
    await first.request('createWebRtcTransport', { direction: 'recv' });
    await joinRoom(other);

    // Drop the transport without a goodbye (as a network loss would).
    first.socket.io.engine.close();
    await waitFor(() => server.signaling.resumablePeers === 1, 'the peer to be held for resumption');
    const { producerId } = await joinAndProduceOn(other);
    const serverRoom = server.registry.get(room);
    await waitFor(
      () => (serverRoom?.getPeer(joined.peerId)?.consumers.length ?? 0) === 1,
      'consumer while away',
    );

    // Someone else's token cannot take the peer over.
    const thief = await connectRtc(server.url, await server.roomToken({ room }), {
      resumePeerId: joined.peerId,
    });
    clients.push(thief);
    expect((await joinRoom(thief)).peerId).not.toBe(joined.peerId);

    const back = await connectRtc(server.url, token, { resumePeerId: joined.peerId });
    clients.push(back);
    const resumed = await joinRoom(back);
    expect(resumed).toMatchObject({ peerId: joined.peerId, resumed: true });
    const offer = await back.next('newConsumer', (d) => d.producerId === producerId);
    await back.request('resumeConsumer', { consumerId: offer.consumerId });
    const { iceParameters } = await back.request('restartIce', { transportId: send.id });
    expect(iceParameters.usernameFragment).toBeTruthy();
    expect(serverRoom?.getPeer(joined.peerId)?.counts()).toEqual({
      transports: 2,
      producers: 0,
      consumers: 1,
    });

    // Dropped again and not back within the grace: everything it owned is closed.
    back.socket.io.engine.close();
    await other.next('peerLeft', (d) => d.peerId === joined.peerId && d.reason === 'disconnected', 8000);
    expect(serverRoom?.getPeer(joined.peerId)).toBeUndefined();
    await waitFor(() => serverRoom?.stats().consumers === 0, 'consumers to close');
    expect(serverRoom?.stats()).toMatchObject({ transports: 1, producers: 1 });
  });

  it('admits a LiveKit participant for call control only: no RTP capabilities, no consumers, the same call events', async () => {
    const room = newRoomId();
    const speaker = await client(room, { name: 'Agent', role: 'human_agent' });
    const a = await joinAndProduce(speaker, 1003);
    const mediaOnly = await client(room);
    expect(await mediaOnly.ack('join', { rtpCapabilities: {} })).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    const control = await client(room);
    const joined = await control.request('join', { rtpCapabilities: {}, mediaBackend: 'livekit' });
    expect(joined.peers.map((p) => p.peerId)).toEqual([a.joined.peerId]);
    expect(server.registry.get(room)?.getPeer(joined.peerId)?.rtpCapabilities.codecs).toEqual([]);
    server.bus.emit('agent.state', { roomId: room, state: 'thinking' });
    expect(await control.next('agentState')).toEqual({ roomId: room, state: 'thinking' });
    expect(control.notifications.filter((n) => n.method === 'newConsumer')).toEqual([]);
  });

  it('relays transcripts and agent state to the participants of that room only', async () => {
    const room = newRoomId();
    const inRoom = await client(room);
    const elsewhere = await client(newRoomId());
    await joinRoom(inRoom);
    await joinRoom(elsewhere);
    const transcript = {
      roomId: room,
      segmentId: 's1',
      speaker: 'agent' as const,
      text: 'Welcome to Pizza Roma',
      final: true,
      startMs: 0,
      endMs: 900,
      interrupted: false,
    };
    server.bus.emit('transcript', transcript);
    server.bus.emit('agent.state', { roomId: room, state: 'speaking' });
    expect(await inRoom.next('transcript')).toEqual(transcript);
    expect(await inRoom.next('agentState')).toEqual({ roomId: room, state: 'speaking' });
    expect(elsewhere.notifications.filter((n) => n.method === 'transcript')).toEqual([]);
  });

  it("relays the agent's stage failures to the room's staff only, never to the customer", async () => {
    const room = newRoomId();
    const customer = await client(room);
    const supervisor = await client(room, { role: 'supervisor', name: 'Sue' });
    await joinRoom(customer);
    await joinRoom(supervisor);
    const failure = {
      roomId: room,
      stage: 'stt' as const,
      provider: 'sherpa-onnx',
      message: 'decoder crashed',
      recovery: 'fallback' as const,
      fallbackProvider: 'pocketsphinx',
      atMs: 4200,
    };
    server.bus.emit('stage.failed', failure);
    server.bus.emit('agent.state', { roomId: room, state: 'listening' });
    expect(await supervisor.next('stageFailed')).toEqual(failure);
    // the customer gets the event sent after it, but not the failure
    await customer.next('agentState', (d) => d.state === 'listening');
    expect(customer.notifications.filter((n) => n.method === 'stageFailed')).toEqual([]);
  });
});

describe('SignalingServer teardown', () => {
  it('can cut a connection as a network failure would, keeping the peer for resumption', async () => {
    const c = await client(newRoomId());
    const { peerId } = await joinRoom(c);
    const reasons: string[] = [];
    c.socket.on('disconnect', (reason) => reasons.push(reason));
    expect(server.signaling.dropConnection(peerId)).toBe(true);
    await waitFor(() => reasons.length === 1, 'the client to notice');
    expect(reasons).toEqual(['transport close']);
    expect(server.signaling.resumablePeers).toBeGreaterThanOrEqual(1);
    expect(server.signaling.dropConnection('no-such-peer')).toBe(false);
  });

  it('leaves no mediasoup object behind once every client is gone and the rooms are closed', async () => {
    for (const c of clients.splice(0)) c.close();
    await waitFor(() => server.signaling.resumablePeers === 0, 'held peers to expire', 8000);
    server.registry.close();
    await waitFor(() => server.pool.mediaCounts.routers === 0, 'routers to close');
    expect(server.pool.mediaCounts).toEqual({ routers: 0, transports: 0, producers: 0, consumers: 0 });
  });
});

async function joinAndProduceOn(c: RtcTestClient) {
  const send = await c.request('createWebRtcTransport', { direction: 'send' });
  return c.request('produce', { transportId: send.id, kind: 'audio', rtpParameters: opusRtpParameters(99) });
}
