import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentConfigSchema, type AgentLinkAck, type SessionAccept } from '@voiceroom/protocol';
import { pino } from 'pino';
import { Server, type Socket } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentWorker } from '../../src/worker/AgentWorker.ts';
import type { CallPipelineFactory } from '../../src/worker/CallPipeline.ts';
import { EchoPipeline } from '../../src/worker/EchoPipeline.ts';

const config = AgentConfigSchema.parse({ id: 'test', name: 'Test', greeting: 'Hello.' });
const logger = pino({ level: 'silent' });
let io: Server;
let url: string;
let connected: Promise<Socket>;
let resolveConnected: (socket: Socket) => void;
const registrations: unknown[] = [];
const ended: unknown[] = [];

/** A minimal server side of the /agents namespace: accepts a fixed token, records what workers send. */
beforeAll(async () => {
  const http = createServer();
  io = new Server(http);
  const agents = io.of('/agents');
  agents.use((socket, next) =>
    socket.handshake.auth.token === 'good' ? next() : next(new Error('unauthorized')),
  );
  agents.on('connection', (socket) => {
    socket.on('worker.register', (payload, ack) => {
      registrations.push(payload);
      ack({ ok: true, data: { workerId: socket.id } });
      resolveConnected(socket);
    });
    socket.on('session.ended', (payload) => ended.push(payload));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(() => {
  io.close();
});

async function start(capacity: number, createPipeline: CallPipelineFactory) {
  connected = new Promise((resolve) => {
    resolveConnected = resolve;
  });
  const worker = new AgentWorker({
    serverUrl: url,
    token: 'good',
    name: 'w',
    capacity,
    rtpIp: '127.0.0.1',
    createPipeline,
    logger,
  });
  await worker.start();
  const socket = await connected;
  const dispatch = (sessionId: string, payload: object = {}) =>
    socket.timeout(15_000).emitWithAck('session.dispatch', {
      sessionId,
      roomId: `room-${sessionId}`,
      agentPeerId: `a-${sessionId}`,
      config,
      ...payload,
    }) as Promise<AgentLinkAck<SessionAccept>>;
  return { worker, socket, dispatch };
}

const echo: CallPipelineFactory = async ({ roomId, emit }) => new EchoPipeline({ roomId, emit });

describe('AgentWorker', () => {
  it('registers with its name, capacity and heartbeat interval', async () => {
    const { worker } = await start(3, echo);
    expect(registrations.at(-1)).toEqual({ name: 'w', capacity: 3, heartbeatMs: 500 });
    expect(worker.workerId).not.toBeNull();
    worker.stop();
  });

  it('sends a heartbeat every interval while connected, and none after stopping', async () => {
    const { worker, socket } = await start(1, echo);
    const beats: number[] = [];
    socket.on('worker.heartbeat', () => beats.push(performance.now()));
    await expect.poll(() => beats.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    const gaps = beats.slice(1).map((t, i) => t - (beats[i] ?? t));
    for (const gap of gaps) expect(gap).toBeGreaterThan(300);
    worker.stop();
    await expect.poll(() => socket.connected, { timeout: 5_000 }).toBe(false);
    const after = beats.length;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(beats.length).toBe(after);
  });

  it('refuses a LiveKit dispatch without a WebSocket URL, and reports a LiveKit room it cannot reach as failed', async () => {
    const { worker, dispatch } = await start(2, echo);
    const bad = await dispatch('lk-bad', { livekit: { url: 'http://127.0.0.1:7880', token: 't' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    if (!bad.ok) expect(bad.error.message).toContain('livekit.url');
    // nothing listens on port 9: joining fails, the worker says so and keeps no session
    const unreachable = await dispatch('lk-down', { livekit: { url: 'ws://127.0.0.1:9', token: 't' } });
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'session_failed' } });
    expect(worker.sessions).toEqual([]);
    worker.stop();
  }, 20_000);

  it('answers a dispatch with its UDP address and refuses beyond capacity', async () => {
    const { worker, dispatch } = await start(1, echo);
    const first = await dispatch('one');
    expect(first.ok).toBe(true);
    if (first.ok)
      expect('rtp' in first.data && first.data.rtp).toMatchObject({
        ip: '127.0.0.1',
        port: expect.any(Number),
      });
    expect(await dispatch('two')).toMatchObject({ ok: false, error: { code: 'at_capacity' } });
    expect(worker.sessions.map((s) => s.id)).toEqual(['one']);
    worker.stop();
  });

  it('refuses an invalid dispatch with bad_request', async () => {
    const { worker, dispatch } = await start(1, echo);
    const reply = await dispatch('bad', { config: { id: 'NOT VALID' } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(worker.sessions).toEqual([]);
    worker.stop();
  });

  it('reports session_failed when the pipeline cannot be created, and keeps serving', async () => {
    let calls = 0;
    const flaky: CallPipelineFactory = async (options) => {
      if (calls++ === 0) throw new Error('model missing');
      return echo(options);
    };
    const { worker, dispatch } = await start(2, flaky);
    expect(await dispatch('a')).toMatchObject({
      ok: false,
      error: { code: 'session_failed', message: 'model missing' },
    });
    expect((await dispatch('b')).ok).toBe(true);
    worker.stop();
  });

  it('drops a session the server cancelled while its pipeline was still loading', async () => {
    const slow: CallPipelineFactory = async (options) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return echo(options);
    };
    const { worker, socket, dispatch } = await start(1, slow);
    const reply = dispatch('late');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.emit('session.stop', { sessionId: 'late', reason: 'dispatch_timeout' });
    expect(await reply).toMatchObject({ ok: false, error: { code: 'unknown_session' } });
    expect(worker.sessions).toEqual([]);
    expect((await dispatch('next')).ok).toBe(true);
    worker.stop();
  });

  it('stops a session on session.stop and tells the server it ended', async () => {
    const { worker, socket, dispatch } = await start(1, echo);
    await dispatch('s');
    socket.emit('session.stop', { sessionId: 's', reason: 'customer_left' });
    await expect.poll(() => worker.sessions.length).toBe(0);
    await expect.poll(() => ended.at(-1)).toMatchObject({ sessionId: 's', reason: 'stopped' });
    worker.stop();
  });

  it('tells the pipeline once when the server reports an unanswered handoff', async () => {
    const said: string[] = [];
    const saying: CallPipelineFactory = async ({ roomId, emit }) =>
      Object.assign(new EchoPipeline({ roomId, emit }), { handoffUnanswered: () => said.push('unanswered') });
    const { worker, socket, dispatch } = await start(1, saying);
    await dispatch('h');
    // An invalid message (no request id) is dropped; messages arrive in order, so it was seen first.
    socket.emit('session.handoff.unanswered', { sessionId: 'h' });
    socket.emit('session.handoff.unanswered', { sessionId: 'h', requestId: 'r-1' });
    await expect.poll(() => said).toEqual(['unanswered']);
    socket.emit('session.stop', { sessionId: 'h', reason: 'customer_left' });
    await expect.poll(() => worker.sessions.length).toBe(0);
    worker.stop();
  });

  it('reconnects and registers again after the server closed its connection', async () => {
    const { worker, socket } = await start(1, echo);
    const before = registrations.length;
    connected = new Promise((resolve) => {
      resolveConnected = resolve;
    });
    socket.disconnect(true);
    await connected;
    expect(registrations.length).toBe(before + 1);
    await expect.poll(() => worker.workerId).not.toBeNull();
    worker.stop();
  });

  it('rejects start() when the server refuses the token', async () => {
    const worker = new AgentWorker({
      serverUrl: url,
      token: 'bad',
      name: 'x',
      capacity: 1,
      rtpIp: '127.0.0.1',
      createPipeline: echo,
      logger,
    });
    await expect(worker.start()).rejects.toThrow(/refused/);
    worker.stop();
  });
});
