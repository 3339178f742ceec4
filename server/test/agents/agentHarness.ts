/**
 * Test harness for the agent gateway: a real mediasoup worker and RoomRegistry, socket.io on an ephemeral port, the
 * gateway, agent workers from agent-worker/ and customers on PlainTransports backed by Node UDP sockets.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUILTIN_AGENTS_DIR } from '@voiceroom/agent-core/agents';
import { grantsForRole, type RoomRole } from '@voiceroom/protocol';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { FRAME_SAMPLES_48K, OpusEncoderStream } from '../../../agent-worker/src/audio/OpusCodec.ts';
import { buildRtpPacket, parseRtpPacket } from '../../../agent-worker/src/rtp/rtpPacket.ts';
import { AgentWorker } from '../../../agent-worker/src/worker/AgentWorker.ts';
import type { CallPipelineFactory } from '../../../agent-worker/src/worker/CallPipeline.ts';
import { AgentGateway } from '../../src/agents/AgentGateway.ts';
import { type AgentConfigSource, FileAgentConfigStore } from '../../src/agents/FileAgentConfigStore.ts';
import { TokenService } from '../../src/auth/TokenService.ts';
import { CallEventBus, type CallEventMap } from '../../src/CallEventBus.ts';
import type { Room } from '../../src/media/Room.ts';
import { RoomRegistry } from '../../src/media/RoomRegistry.ts';
import { WorkerPool } from '../../src/media/WorkerPool.ts';

/**
 * One harness shared by a test file's tests: started before them, emptied after each (every worker gone) and closed
 * after all; `started` receives it.
 */
export function useAgentHarness(started: (harness: AgentHarness) => void): void {
  let h: AgentHarness;
  beforeAll(async () => {
    h = await startAgentHarness();
    started(h);
  });
  afterEach(async () => {
    h.reset();
    await expect.poll(() => h.gateway.workers.length).toBe(0);
  });
  afterAll(() => {
    h.close();
  });
}

export const AGENTS_DIR = BUILTIN_AGENTS_DIR;

export type AgentHarness = Awaited<ReturnType<typeof startAgentHarness>>;
export type Customer = Awaited<ReturnType<AgentHarness['joinCustomer']>>;

export async function startAgentHarness(
  options: {
    dispatchTimeoutMs?: number;
    greetingWaitMs?: number;
    maxDispatchesPerCall?: number;
    rejoinGraceMs?: number;
    maxRedispatchesPerCall?: number;
    heartbeatTimeoutMs?: number;
    /** Agent configurations (default the built-in agents/). */
    agentsDir?: string;
    /** Where the gateway gets agent configurations (default: the files in `agentsDir`). */
    agentConfigs?: AgentConfigSource;
    /** Serves HTTP requests other than socket.io's (e.g. the recordings route workers upload to). */
    onRequest?: (request: IncomingMessage, response: ServerResponse) => void;
  } = {},
) {
  const { agentsDir, agentConfigs, onRequest, ...gatewayOptions } = options;
  const pool = await WorkerPool.create({ numWorkers: 1 });
  const bus = new CallEventBus();
  const registry = new RoomRegistry({
    pool,
    bus,
    network: { listenIp: '127.0.0.1', rtcMinPort: 40_000, rtcMaxPort: 49_999 },
  });
  const tokens = new TokenService({
    secret: randomBytes(32).toString('hex'),
    issuer: 'test',
    accessTtlS: 60,
    roomTtlS: 60,
  });
  const http = createServer();
  const io = new Server(http);
  if (onRequest) http.on('request', (req, res) => !req.url?.startsWith('/socket.io/') && onRequest(req, res));
  const gateway = new AgentGateway({
    io,
    bus,
    rooms: registry,
    tokens,
    agentConfigs: agentConfigs ?? new FileAgentConfigStore(agentsDir ?? AGENTS_DIR),
    ...gatewayOptions,
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const serverUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const workers: AgentWorker[] = [];
  const sockets: UdpSocket[] = [];

  async function startWorker(name: string, capacity: number, createPipeline: CallPipelineFactory) {
    const { token } = await tokens.issueServiceToken(name);
    const worker = new AgentWorker({ serverUrl, token, name, capacity, rtpIp: '127.0.0.1', createPipeline });
    workers.push(worker);
    await worker.start();
    return worker;
  }

  function newRoom(agentId: string | null = 'pizzeria'): Promise<Room> {
    return registry.getOrCreate(`room-${randomBytes(4).toString('hex')}`, { agentId });
  }

  /**
   * A customer (or, with `role`, a human agent barging in) on a PlainTransport to a Node UDP socket: sends Opus into
   * the room, receives the room's audio.
   */
  async function joinCustomer(
    room: Room,
    peerId: string,
    options: { browserLike?: boolean; produceNow?: boolean; role?: RoomRole } = {},
  ) {
    const role = options.role ?? 'customer';
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
    const transport = await room.createPlainTransport({ comedia: false });
    await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
    const peer = room.addPeer({
      id: peerId,
      // 'webrtc' peers get their consumers paused until resumed, like a browser's.
      kind: options.browserLike ? 'webrtc' : 'agent',
      identity: `guest:${peerId}`,
      displayName: role === 'customer' ? 'Customer' : 'Human agent',
      role,
      grants: grantsForRole(role),
      rtpCapabilities: room.rtpCapabilities,
    });
    await room.attachTransport(peer, transport, 'sendrecv');
    const ssrc = 0x1234_5678;
    /** Starts sending audio into the room (a browser does this a moment after joining). */
    const produce = () =>
      room.produce(peer, transport.id, {
        codecs: [{ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: 100 }],
        encodings: [{ ssrc }],
      });
    if (options.produceNow ?? true) await produce();
    /** Opus payloads the customer received, with arrival times (performance.now()). */
    const heard: { payload: Uint8Array; at: number }[] = [];
    socket.on('message', (data) => {
      const parsed = parseRtpPacket(data);
      if (parsed.ok) heard.push({ payload: parsed.packet.payload.slice(), at: performance.now() });
    });
    const encoder = new OpusEncoderStream();
    let sequence = 0;
    /** Sends mono 48 kHz PCM as 20 ms Opus RTP packets, in real time. */
    const speakPcm = async (pcm: Int16Array) => {
      const start = performance.now();
      for (let f = 0; f * FRAME_SAMPLES_48K < pcm.length; f++) {
        const frame = new Int16Array(FRAME_SAMPLES_48K);
        frame.set(pcm.subarray(f * FRAME_SAMPLES_48K, (f + 1) * FRAME_SAMPLES_48K));
        const packet = buildRtpPacket({
          payloadType: 100,
          sequenceNumber: sequence & 0xffff,
          timestamp: (sequence * FRAME_SAMPLES_48K) >>> 0,
          ssrc,
          payload: encoder.encode(frame),
        });
        sequence++;
        socket.send(packet, transport.tuple.localPort, transport.tuple.localAddress);
        const due = start + (f + 1) * 20;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      }
    };
    /** Sends `frames` 20 ms frames of a tone in real time. */
    const speak = (frequency: number, frames: number) => {
      const pcm = new Int16Array(frames * FRAME_SAMPLES_48K);
      for (let i = 0; i < pcm.length; i++)
        pcm[i] = Math.round(8_000 * Math.sin((2 * Math.PI * frequency * i) / 48_000));
      return speakPcm(pcm);
    };
    return { peer, heard, speak, speakPcm, produce };
  }

  function collect<E extends keyof CallEventMap>(event: E): CallEventMap[E][] {
    const seen: CallEventMap[E][] = [];
    bus.on(event, (payload) => {
      seen.push(payload);
    });
    return seen;
  }

  /** Stops workers, closes customer sockets and rooms (between tests). */
  function reset(): void {
    for (const worker of workers.splice(0)) worker.stop();
    for (const socket of sockets.splice(0)) socket.close();
    for (const room of registry.rooms) room.close('test_done');
  }

  function close(): void {
    reset();
    gateway.close();
    io.close();
    pool.close();
  }

  return {
    bus,
    registry,
    tokens,
    gateway,
    serverUrl,
    startWorker,
    newRoom,
    joinCustomer,
    collect,
    reset,
    close,
  };
}

/** Amplitude of `frequency` in `samples` (single-bin DFT). */
export function toneAmplitude(samples: Int16Array, frequency: number, sampleRate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i++) {
    const phase = (2 * Math.PI * frequency * i) / sampleRate;
    re += (samples[i] as number) * Math.cos(phase);
    im += (samples[i] as number) * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}
