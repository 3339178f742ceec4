import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { grantsForRole } from '@voiceroom/sdk/protocol';
import { Server } from 'socket.io';
import { io as connectClient } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FRAME_SAMPLES_48K,
  OpusDecoderStream,
  OpusEncoderStream,
} from '../../../agent-worker/src/audio/OpusCodec.ts';
import { buildRtpPacket, parseRtpPacket } from '../../../agent-worker/src/rtp/rtpPacket.ts';
import { AgentWorker } from '../../../agent-worker/src/worker/AgentWorker.ts';
import type { CallPipeline, CallPipelineFactory } from '../../../agent-worker/src/worker/CallPipeline.ts';
import { EchoPipeline } from '../../../agent-worker/src/worker/EchoPipeline.ts';
import { AgentGateway } from '../../src/agents/AgentGateway.ts';
import { FileAgentConfigStore } from '../../src/agents/FileAgentConfigStore.ts';
import { TokenService } from '../../src/auth/tokens.ts';
import { CallEventBus, type CallEventMap } from '../../src/events.ts';
import type { Room } from '../../src/media/Room.ts';
import { RoomRegistry } from '../../src/media/RoomRegistry.ts';
import { WorkerPool } from '../../src/media/WorkerPool.ts';

const AGENTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../agent-worker/agents');

let pool: WorkerPool;
let registry: RoomRegistry;
let bus: CallEventBus;
let http: HttpServer;
let io: Server;
let gateway: AgentGateway;
let tokens: TokenService;
let serverUrl: string;
const workers: AgentWorker[] = [];
const sockets: UdpSocket[] = [];

const echo: CallPipelineFactory = async ({ roomId, emit }) => new EchoPipeline({ roomId, emit });

beforeAll(async () => {
  pool = await WorkerPool.create({ numWorkers: 1 });
  bus = new CallEventBus();
  registry = new RoomRegistry({
    pool,
    bus,
    network: { listenIp: '127.0.0.1', rtcMinPort: 40_000, rtcMaxPort: 49_999 },
  });
  tokens = new TokenService({
    secret: randomBytes(32).toString('hex'),
    issuer: 'test',
    accessTtlS: 60,
    roomTtlS: 60,
  });
  http = createServer();
  io = new Server(http);
  gateway = new AgentGateway({
    io,
    bus,
    rooms: registry,
    tokens,
    agentConfigs: new FileAgentConfigStore(AGENTS_DIR),
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const worker of workers.splice(0)) worker.stop();
  for (const socket of sockets.splice(0)) socket.close();
  for (const room of registry.rooms) room.close('test_done');
  await expect.poll(() => gateway.workers.length).toBe(0);
});

afterAll(async () => {
  gateway.close();
  io.close();
  await pool.close?.();
});

async function startWorker(name: string, capacity = 2, createPipeline = echo): Promise<AgentWorker> {
  const { token } = await tokens.issueServiceToken(name);
  const worker = new AgentWorker({ serverUrl, token, name, capacity, rtpIp: '127.0.0.1', createPipeline });
  workers.push(worker);
  await worker.start();
  return worker;
}

async function udp(): Promise<UdpSocket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  sockets.push(socket);
  return socket;
}

/** A customer on a PlainTransport to a Node UDP socket: sends Opus into the room, receives the room's audio. */
async function joinCustomer(room: Room, peerId: string) {
  const socket = await udp();
  const transport = await room.createPlainTransport({ comedia: false });
  await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
  const peer = room.addPeer({
    id: peerId,
    kind: 'agent',
    identity: `guest:${peerId}`,
    displayName: 'Customer',
    role: 'customer',
    grants: grantsForRole('customer'),
    rtpCapabilities: room.rtpCapabilities,
  });
  await room.attachTransport(peer, transport, 'sendrecv');
  const ssrc = 0x1234_5678;
  await room.produce(peer, transport.id, {
    codecs: [{ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: 100 }],
    encodings: [{ ssrc }],
  });
  const heard: Uint8Array[] = [];
  socket.on('message', (data) => {
    const parsed = parseRtpPacket(data);
    if (parsed.ok) heard.push(parsed.packet.payload.slice());
  });
  const encoder = new OpusEncoderStream();
  let sequence = 0;
  /** Sends `frames` 20 ms frames of a tone in real time. */
  const speak = async (frequency: number, frames: number) => {
    for (let f = 0; f < frames; f++) {
      const pcm = new Int16Array(FRAME_SAMPLES_48K);
      for (let i = 0; i < pcm.length; i++) {
        pcm[i] = Math.round(
          8_000 * Math.sin((2 * Math.PI * frequency * (sequence * FRAME_SAMPLES_48K + i)) / 48_000),
        );
      }
      const packet = buildRtpPacket({
        payloadType: 100,
        sequenceNumber: sequence,
        timestamp: sequence * FRAME_SAMPLES_48K,
        ssrc,
        payload: encoder.encode(pcm),
      });
      sequence++;
      socket.send(packet, transport.tuple.localPort, transport.tuple.localAddress);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { peer, heard, speak };
}

function toneAmplitude(samples: Int16Array, frequency: number, sampleRate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i++) {
    const phase = (2 * Math.PI * frequency * i) / sampleRate;
    re += (samples[i] as number) * Math.cos(phase);
    im += (samples[i] as number) * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}

function collect<E extends keyof CallEventMap>(event: E): CallEventMap[E][] {
  const seen: CallEventMap[E][] = [];
  bus.on(event, (payload) => {
    seen.push(payload);
  });
  return seen;
}

describe('AgentGateway', () => {
  it('refuses a worker without a valid service token', async () => {
    const worker = new AgentWorker({
      serverUrl,
      token: 'not-a-token',
      name: 'intruder',
      capacity: 1,
      rtpIp: '127.0.0.1',
      createPipeline: echo,
    });
    workers.push(worker);
    await expect(worker.start()).rejects.toThrow(/unauthorized/);
    expect(gateway.workers).toEqual([]);
  });

  it('sends a customer call to the agent, whose voice reaches the customer through mediasoup', async () => {
    const worker = await startWorker('w1');
    const states = collect('agent.state');
    const room = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    const customer = await joinCustomer(room, 'customer-1');

    await expect.poll(() => gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
    expect(room.peers.some((p) => p.role === 'agent_ai')).toBe(true);
    await expect.poll(() => states.map((s) => s.state), { timeout: 5_000 }).toContain('listening');
    expect(states[0]?.roomId).toBe(room.id);

    // The echo agent plays the customer's 1 kHz tone back; the customer hears it through the agent's producer.
    await customer.speak(1_000, 75);
    await expect.poll(() => customer.heard.length, { timeout: 5_000 }).toBeGreaterThan(40);
    const decoder = new OpusDecoderStream();
    const decoded = customer.heard.map((p) => decoder.decode(p));
    const steady = new Int16Array(decoded.slice(10, 40).flatMap((f) => [...f]));
    expect(toneAmplitude(steady, 1_000, 48_000)).toBeGreaterThan(3_000);
    expect(toneAmplitude(steady, 600, 48_000)).toBeLessThan(500);

    const [session] = worker.sessions;
    expect(session?.mediaStats.rtp.accepted).toBeGreaterThan(60);
    const inbound = Object.values(session?.mediaStats.inbound ?? {});
    expect(inbound.length).toBe(1);
    expect(inbound[0]?.lost).toBe(0);

    // The customer hangs up: the worker's session stops and the agent leaves the room.
    customer.peer.close('hangup');
    await expect.poll(() => worker.sessions.length, { timeout: 5_000 }).toBe(0);
    expect(gateway.sessions).toEqual([]);
    expect(room.peers.some((p) => p.role === 'agent_ai')).toBe(false);
  });

  it('dispatches to the least-loaded worker', async () => {
    const busy = await startWorker('busy', 1);
    const roomA = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    await joinCustomer(roomA, 'customer-a');
    await expect.poll(() => busy.sessions.length, { timeout: 5_000 }).toBe(1);
    const spare = await startWorker('spare', 4);
    const roomB = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    await joinCustomer(roomB, 'customer-b');
    await expect.poll(() => spare.sessions.length, { timeout: 5_000 }).toBe(1);
    expect(busy.sessions.length).toBe(1);
  });

  it('ends the agent session cleanly when its worker disconnects, and re-dispatches the call to another worker', async () => {
    const first = await startWorker('first', 1);
    const room = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    await joinCustomer(room, 'customer-r');
    await expect.poll(() => first.sessions.length, { timeout: 5_000 }).toBe(1);
    const second = await startWorker('second', 1);
    const firstAgent = room.peers.find((p) => p.role === 'agent_ai')?.id;

    first.stop();
    await expect.poll(() => second.sessions.length, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
    const agents = room.peers.filter((p) => p.role === 'agent_ai');
    expect(agents.length).toBe(1);
    expect(agents[0]?.id).not.toBe(firstAgent);
  });

  it('keeps other calls running when one session fails on the worker', async () => {
    let calls = 0;
    const flaky: CallPipelineFactory = async (options) => {
      const pipeline = new EchoPipeline(options);
      if (calls++ === 0) {
        pipeline.pushCallerAudio = () => {
          throw new Error('boom');
        };
      }
      return pipeline;
    };
    const worker = await startWorker('flaky', 2, flaky);
    const roomA = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    const a = await joinCustomer(roomA, 'customer-x');
    await expect.poll(() => worker.sessions.length, { timeout: 5_000 }).toBe(1);
    const roomB = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    const b = await joinCustomer(roomB, 'customer-y');
    await expect.poll(() => gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(2);

    await Promise.all([a.speak(500, 20), b.speak(500, 60)]);
    await expect.poll(() => worker.sessions.map((s) => s.roomId), { timeout: 5_000 }).toEqual([roomB.id]);
    expect(roomA.peers.some((p) => p.role === 'agent_ai')).toBe(false);
    await expect.poll(() => b.heard.length, { timeout: 5_000 }).toBeGreaterThan(20);
  });
});

/** A pipeline that says one scripted line at start and records what the co-pilot did to it. */
function scripted(record: {
  hints: string[];
  muted: boolean[];
  pipelines: (CallPipeline & { hangUp(): void })[];
}) {
  const factory: CallPipelineFactory = async ({ roomId, emit }) => {
    const echoPipeline = new EchoPipeline({ roomId, emit });
    const pipeline = Object.assign(echoPipeline, {
      start() {
        emit({ type: 'agent.state', roomId, state: 'speaking' });
        emit({
          type: 'transcript',
          roomId: 'someone-elses-room',
          segmentId: 'a1',
          speaker: 'agent',
          text: 'Hi, thanks for calling.',
          final: true,
          startMs: 0,
          endMs: 900,
          interrupted: false,
        });
      },
      addHint: (text: string) => record.hints.push(text),
      setMuted: (muted: boolean) => record.muted.push(muted),
      hangUp: () => emit({ type: 'end_call', roomId }),
    });
    record.pipelines.push(pipeline);
    return pipeline;
  };
  return factory;
}

describe('AgentGateway session events and co-pilot', () => {
  it('publishes validated session events on the bus with the session room id', async () => {
    const transcripts = collect('transcript');
    const record = { hints: [], muted: [], pipelines: [] };
    await startWorker('scripted', 1, scripted(record));
    const room = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    await joinCustomer(room, 'customer-t');
    await expect.poll(() => transcripts.length, { timeout: 5_000 }).toBe(1);
    expect(transcripts[0]).toMatchObject({
      roomId: room.id,
      speaker: 'agent',
      text: 'Hi, thanks for calling.',
    });
    expect(transcripts[0]).not.toHaveProperty('type');
  });

  it('drops malformed events and events for sessions of another worker', async () => {
    const transcripts = collect('transcript');
    const record = { hints: [], muted: [], pipelines: [] };
    await startWorker('honest', 1, scripted(record));
    const room = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    await joinCustomer(room, 'customer-m');
    await expect.poll(() => transcripts.length, { timeout: 5_000 }).toBe(1);
    const [session] = gateway.sessions;

    const { token } = await tokens.issueServiceToken('rogue');
    const rogue = connectClient(`${serverUrl}/agents`, { auth: { token }, transports: ['websocket'] });
    try {
      const reply = await rogue.timeout(5_000).emitWithAck('worker.register', { name: 'rogue', capacity: 0 });
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      await rogue.timeout(5_000).emitWithAck('worker.register', { name: 'rogue', capacity: 1 });
      const forged = {
        type: 'transcript',
        roomId: room.id,
        segmentId: 'x',
        speaker: 'agent',
        text: 'forged',
        final: true,
        startMs: 0,
        endMs: 1,
      };
      rogue.emit('session.event', { sessionId: session?.id, event: forged });
      rogue.emit('session.event', { sessionId: session?.id, event: { type: 'transcript', text: 42 } });
      rogue.emit('session.event', 'garbage');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(transcripts.map((t) => t.text)).toEqual(['Hi, thanks for calling.']);
    } finally {
      rogue.disconnect();
    }
  });

  it('relays co-pilot hints and takeover to the session, and closes the room when the agent hangs up', async () => {
    const record = {
      hints: [] as string[],
      muted: [] as boolean[],
      pipelines: [] as (CallPipeline & { hangUp(): void })[],
    };
    const worker = await startWorker('copilot', 1, scripted(record));
    const room = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    await joinCustomer(room, 'customer-c');
    await expect.poll(() => gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);

    expect(gateway.hint(room.id, 'Offer the garlic bread.')).toBe(true);
    expect(await gateway.takeover(room.id, true)).toBe(true);
    expect(await gateway.takeover(room.id, false)).toBe(true);
    expect(gateway.hint('no-such-room', 'x')).toBe(false);
    await expect.poll(() => record.hints, { timeout: 5_000 }).toEqual(['Offer the garlic bread.']);
    await expect.poll(() => record.muted, { timeout: 5_000 }).toEqual([true, false]);

    const hangups: string[] = [];
    gateway.on('hangup', ({ roomId }) => hangups.push(roomId));
    record.pipelines[0]?.hangUp();
    await expect.poll(() => room.closed, { timeout: 5_000 }).toBe(true);
    expect(hangups).toEqual([room.id]);
    expect(worker.sessions).toEqual([]);
  });

  it('holds a call until a worker registers', async () => {
    const room = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, {
      agentId: 'pizzeria',
    });
    await joinCustomer(room, 'customer-w');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gateway.sessions).toEqual([]);
    const late = await startWorker('late', 1);
    await expect.poll(() => late.sessions.length, { timeout: 5_000 }).toBe(1);
  });

  it('does not dispatch for a room without an agent', async () => {
    const worker = await startWorker('idle', 1);
    const room = await registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, { agentId: null });
    await joinCustomer(room, 'customer-n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(worker.sessions).toEqual([]);
  });
});
