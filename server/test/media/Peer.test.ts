import { grantsForRole, type SignalingNotification } from '@voiceroom/protocol';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_MEDIA_CODECS } from '../../src/media/mediaOptions.ts';
import { Peer } from '../../src/media/Peer.ts';

let worker: ms.Worker;
let router: ms.Router;

beforeAll(async () => {
  worker = await mediasoup.createWorker({ logLevel: 'warn' });
  router = await worker.createRouter({ mediaCodecs: ROOM_MEDIA_CODECS });
});
afterAll(() => worker.close());

function newPeer(maxBufferedNotifications?: number) {
  return new Peer({
    id: 'p1',
    kind: 'webrtc',
    identity: 'guest:1',
    displayName: 'P',
    role: 'customer',
    grants: grantsForRole('customer'),
    rtpCapabilities: router.rtpCapabilities,
    ...(maxBufferedNotifications ? { maxBufferedNotifications } : {}),
  });
}

const note = (peerId: string): SignalingNotification => ({
  method: 'peerLeft',
  data: { peerId, reason: 'left' },
});

describe('Peer', () => {
  it('buffers notifications while detached and delivers them in order on attach', () => {
    const peer = newPeer();
    peer.notify(note('a'));
    const first: SignalingNotification[] = [];
    peer.attach((n) => first.push(n));
    peer.notify(note('b'));
    peer.detach();
    peer.notify(note('c'));
    peer.notify(note('d'));
    const second: SignalingNotification[] = [];
    peer.attach((n) => second.push(n));
    expect(first.map((n) => (n.method === 'peerLeft' ? n.data.peerId : ''))).toEqual(['a', 'b']);
    expect(second.map((n) => (n.method === 'peerLeft' ? n.data.peerId : ''))).toEqual(['c', 'd']);
  });

  it('closes itself rather than buffer without bound for a client that never returns', () => {
    const peer = newPeer(3);
    const reasons: string[] = [];
    peer.on('close', (r) => reasons.push(r));
    for (const id of ['a', 'b', 'c', 'd']) peer.notify(note(id));
    expect(peer.closed).toBe(true);
    expect(reasons).toEqual(['resume_buffer_overflow']);
  });

  it('closes every transport it owns (and so its producers and consumers) exactly once', async () => {
    const peer = newPeer();
    const send = await router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] });
    const recv = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' } });
    peer.addTransport(send, 'send');
    peer.addTransport(recv, 'recv');
    expect(peer.consumingTransport).toBe(recv);
    const reasons: string[] = [];
    peer.on('close', (r) => reasons.push(r));
    peer.close('left');
    peer.close('again');
    expect(reasons).toEqual(['left']);
    expect(send.closed && recv.closed).toBe(true);
    expect(peer.counts()).toEqual({ transports: 0, producers: 0, consumers: 0 });
    expect((await router.dump()).transportIds).toEqual([]);
  });

  it('refuses new media objects once closed and closes them instead of leaking them', async () => {
    const peer = newPeer();
    peer.close('left');
    const late = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' } });
    expect(() => peer.addTransport(late, 'send')).toThrow(/left the room/);
    expect(late.closed).toBe(true);
  });

  it('answers not_found for ids it does not own', () => {
    const peer = newPeer();
    expect(() => peer.transport('x')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => peer.producer('x')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => peer.consumer('x')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});
