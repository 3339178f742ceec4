import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RTC_NAMESPACE, type SignalingNotification } from '@voiceroom/protocol';
import { Server, type Socket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VoiceRoomError } from '../src/errors.ts';
import { SignalingClient } from '../src/SignalingClient.ts';

type Handler = (request: { method: string; data: unknown }, ack: (answer: unknown) => void) => void;

/** A real socket.io server on an ephemeral port whose /rtc namespace answers requests with `handler`. */
class FakeSignalingServer {
  readonly http: HttpServer = createServer();
  readonly io = new Server(this.http);
  readonly handshakes: Record<string, unknown>[] = [];
  readonly sockets: Socket[] = [];
  handler: Handler = (_request, ack) => ack({ ok: true, data: {} });

  async start(): Promise<string> {
    const rtc = this.io.of(RTC_NAMESPACE);
    rtc.use((socket, next) => {
      const auth = socket.handshake.auth as Record<string, unknown>;
      this.handshakes.push(auth);
      if (auth.token !== 'good') {
        const error = new Error('unauthorized') as Error & { data?: unknown };
        error.data = { code: 'unauthorized', message: 'the room token expired; ask for a new one' };
        next(error);
        return;
      }
      next();
    });
    rtc.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('request', (request, ack) => this.handler(request, ack));
    });
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await this.io.close();
  }
}

const JOIN_DATA = {
  peerId: 'p1',
  roomId: 'r1',
  role: 'customer',
  grants: { canPublish: true, canSubscribe: true, canWhisper: false, canTakeOver: false, hidden: false },
  resumed: false,
  peers: [],
};

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SignalingClient', () => {
  let server: FakeSignalingServer;
  let url: string;
  const clients: SignalingClient[] = [];
  const client = (token = 'good', requestTimeoutMs?: number): SignalingClient => {
    const created = new SignalingClient({ url, token, requestTimeoutMs });
    clients.push(created);
    return created;
  };

  beforeEach(async () => {
    server = new FakeSignalingServer();
    url = await server.start();
  });

  afterEach(async () => {
    for (const created of clients.splice(0)) created.close();
    await server.close();
  });

  it('sends the token in the handshake and returns the validated ack data of a request', async () => {
    server.handler = (request, ack) => {
      expect(request).toEqual({ method: 'join', data: { rtpCapabilities: { codecs: [] } } });
      ack({ ok: true, data: JOIN_DATA });
    };
    const signaling = client();
    await signaling.connect();
    const joined = await signaling.request('join', { rtpCapabilities: { codecs: [] } });
    expect(joined.peerId).toBe('p1');
    expect(server.handshakes).toEqual([{ token: 'good' }]);
  });

  it('rejects connect with the code the server gave for a refused handshake', async () => {
    const signaling = client('expired');
    const error = await signaling.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceRoomError);
    expect(error).toMatchObject({
      code: 'unauthorized',
      message: 'the room token expired; ask for a new one',
    });
  });

  it('surfaces an error ack as a VoiceRoomError with the server code', async () => {
    server.handler = (_request, ack) =>
      ack({ ok: false, error: { code: 'forbidden', message: 'this token may not publish' } });
    const signaling = client();
    await signaling.connect();
    await expect(signaling.request('createWebRtcTransport', { direction: 'send' })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'this token may not publish',
    });
  });

  it('refuses an ack whose data does not match the method schema', async () => {
    server.handler = (_request, ack) => ack({ ok: true, data: { peerId: 42 } });
    const signaling = client();
    await signaling.connect();
    await expect(signaling.request('join', { rtpCapabilities: {} })).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('times out a request the server never answers', async () => {
    server.handler = () => undefined;
    const signaling = client('good', 150);
    await signaling.connect();
    await expect(signaling.request('getStats')).rejects.toMatchObject({ code: 'request_timeout' });
  });

  it('emits valid notifications and drops invalid ones as protocol errors', async () => {
    const signaling = client();
    const notifications: SignalingNotification[] = [];
    const problems: VoiceRoomError[] = [];
    signaling.on('notification', (n) => notifications.push(n));
    signaling.on('protocolError', (e) => problems.push(e));
    await signaling.connect();
    const [socket] = server.sockets;
    socket?.emit('notification', { method: 'peerLeft', data: { peerId: 'p2' } });
    socket?.emit('notification', { method: 'selfDestruct', data: {} });
    socket?.emit('notification', { method: 'peerLeft', data: { peerId: 'p2', reason: 'left' } });
    await until(() => notifications.length + problems.length === 3, 'three notifications');
    expect(notifications).toEqual([{ method: 'peerLeft', data: { peerId: 'p2', reason: 'left' } }]);
    expect(problems.map((p) => p.code)).toEqual(['bad_response', 'bad_response']);
    expect(problems[1]?.message).toContain('selfDestruct');
  });

  it('reconnects after a transport loss and offers the peer id to resume', async () => {
    const signaling = client();
    const events: string[] = [];
    signaling.on('disconnected', ({ willReconnect }) => events.push(`disconnected:${willReconnect}`));
    signaling.on('connected', ({ reconnect }) => events.push(`connected:${reconnect}`));
    await signaling.connect();
    signaling.resumePeerId = 'p1';
    server.sockets[0]?.conn.close();
    await until(() => events.includes('connected:true'), 'the reconnection');
    expect(events).toEqual(['connected:false', 'disconnected:true', 'connected:true']);
    expect(server.handshakes.at(-1)).toEqual({ token: 'good', resumePeerId: 'p1' });
  });

  it('refuses requests at once while disconnected instead of queueing them', async () => {
    const signaling = client();
    const seen: boolean[] = [];
    signaling.on('disconnected', ({ willReconnect }) => seen.push(willReconnect));
    await signaling.connect();
    server.sockets[0]?.disconnect(true);
    await until(() => seen.length === 1, 'the disconnect');
    expect(seen).toEqual([false]);
    await expect(signaling.request('leave')).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('reconnectFresh drops the resume id and connects as a new peer', async () => {
    const signaling = client();
    await signaling.connect();
    signaling.resumePeerId = 'p1';
    await signaling.reconnectFresh();
    expect(signaling.connected).toBe(true);
    expect(server.handshakes).toEqual([{ token: 'good' }, { token: 'good' }]);
  });
});
