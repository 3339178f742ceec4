/**
 * One customer's signaling session as a browser would run it, without media: start a call over HTTP, connect to
 * /rtc with the room token, read the router's capabilities, join, open a send and a receive transport, produce an
 * Opus track, ask for stats, then a few hostile messages (unknown methods, wrong shapes, a whisper it may not send)
 * that must each get a coded refusal, and leave.
 */
import { RTC_NAMESPACE, type SignalingAck } from '@voiceroom/protocol';
import { io, type Socket } from 'socket.io-client';
import { opusRtpParameters } from '../../test/helpers/opusRtp.ts';
import type { SignalingLoadStats } from './SignalingLoadStats.ts';

const ACK_TIMEOUT_MS = 5_000;

/** Messages no well-behaved client sends; each must be refused with an error code, and the session must go on. */
export const HOSTILE_MESSAGES: readonly unknown[] = [
  { method: 'deleteRoom', data: {} },
  { method: 'produce', data: { transportId: 'x', kind: 'video', rtpParameters: {} } },
  { method: 'join', data: 'not an object' },
  { method: 'createWebRtcTransport', data: { direction: 'sideways' } },
  { method: 'copilotHint', data: { text: 'a customer may not whisper' } },
  { method: 'resumeConsumer', data: { consumerId: 'no-such-consumer' } },
  { method: 'getStats', data: { padding: 'x'.repeat(20_000) } },
  'not even an object',
];

export async function timedFetch(
  stats: SignalingLoadStats,
  route: string,
  url: string,
  init: RequestInit,
): Promise<Response> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  stats.http(route, performance.now() - started);
  return response;
}

async function connect(baseUrl: string, token: string): Promise<Socket> {
  const socket = io(`${baseUrl}${RTC_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect within 10 s')), 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return socket;
}

async function request(
  socket: Socket,
  stats: SignalingLoadStats,
  method: string,
  data: unknown,
): Promise<unknown> {
  const started = performance.now();
  const reply = (await socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('request', { method, data })) as SignalingAck<unknown>;
  stats.ack(method, performance.now() - started);
  if (!reply.ok) throw new Error(`${method} refused: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

async function hostile(socket: Socket, stats: SignalingLoadStats, message: unknown): Promise<void> {
  try {
    const reply = (await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('request', message)) as SignalingAck<unknown>;
    const refused = reply && reply.ok === false && typeof reply.error?.code === 'string';
    stats.hostile(refused ? 'refused' : 'unanswered');
  } catch {
    stats.hostile('unanswered');
  }
}

/** Runs one session; records every latency and outcome in `stats`; never throws. */
export async function runCustomerSession(
  baseUrl: string,
  stats: SignalingLoadStats,
  options: { ssrc: number; hostileCount: number },
): Promise<void> {
  let socket: Socket | undefined;
  try {
    const started = await timedFetch(stats, 'POST /api/calls', `${baseUrl}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Load Caller' }),
    });
    if (started.status !== 201) throw new Error(`POST /api/calls answered ${started.status}`);
    const { token } = (await started.json()) as { token: string };
    socket = await connect(baseUrl, token);
    const capabilities = await request(socket, stats, 'getRouterRtpCapabilities', {});
    await request(socket, stats, 'join', { rtpCapabilities: capabilities });
    const send = (await request(socket, stats, 'createWebRtcTransport', { direction: 'send' })) as {
      id: string;
    };
    await request(socket, stats, 'produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: opusRtpParameters(options.ssrc),
    });
    await request(socket, stats, 'createWebRtcTransport', { direction: 'recv' });
    await request(socket, stats, 'getStats', {});
    for (let i = 0; i < options.hostileCount; i++) {
      await hostile(socket, stats, HOSTILE_MESSAGES[(options.ssrc + i) % HOSTILE_MESSAGES.length]);
    }
    await request(socket, stats, 'leave', {});
    stats.session(true);
  } catch (error) {
    stats.unexpected(`customer: ${error instanceof Error ? error.message : String(error)}`);
    stats.session(false);
  } finally {
    socket?.disconnect();
  }
}
