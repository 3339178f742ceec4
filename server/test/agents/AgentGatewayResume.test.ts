/**
 * An agent lost mid-call (its worker crashed, or hung and fell silent) is replaced by another worker's agent that
 * resumes the conversation: the gateway sends the call so far with the dispatch, bounded per call. The lost worker
 * is a bare socket.io client here, so the test decides exactly when it vanishes or goes quiet.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { SessionCallEvent, SessionDispatch, SessionResume } from '@voiceroom/protocol';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallPipelineFactory } from '../../../agent-worker/src/worker/CallPipeline.ts';
import { EchoPipeline } from '../../../agent-worker/src/worker/EchoPipeline.ts';
import { type AgentHarness, startAgentHarness } from './agentHarness.ts';

let h: AgentHarness;
const open: { sockets: Socket[]; udp: UdpSocket[] } = { sockets: [], udp: [] };

beforeAll(async () => {
  h = await startAgentHarness({ heartbeatTimeoutMs: 800, maxRedispatchesPerCall: 2 });
});

afterEach(async () => {
  for (const socket of open.sockets.splice(0)) socket.disconnect();
  for (const udp of open.udp.splice(0)) udp.close();
  h.reset();
  await expect.poll(() => h.gateway.workers.length).toBe(0);
});

afterAll(() => {
  h.close();
});

const transcript = (
  roomId: string,
  segmentId: string,
  speaker: 'agent' | 'customer',
  text: string,
  final: boolean,
  startMs: number,
  endMs: number,
): SessionCallEvent => ({
  type: 'transcript',
  roomId,
  segmentId,
  speaker,
  text,
  final,
  startMs,
  endMs,
  interrupted: false,
});

/**
 * A worker that takes one call, reports a conversation (greeting, an order, a reply cut off mid-sentence) once the
 * agent joined, and then either vanishes (`crash`) or keeps its connection but stops its heartbeats (`hang`).
 */
async function startDoomedWorker(name: string) {
  const { token } = await h.tokens.issueServiceToken(name);
  const socket = connectClient(`${h.serverUrl}/agents`, { auth: { token }, transports: ['websocket'] });
  open.sockets.push(socket);
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  open.udp.push(udp);
  const dispatched: SessionDispatch[] = [];
  socket.on('session.dispatch', (payload: SessionDispatch, ack: (reply: unknown) => void) => {
    dispatched.push(payload);
    ack({ ok: true, data: { rtp: { ip: '127.0.0.1', port: udp.address().port } } });
  });
  socket.on('session.media', ({ sessionId }: { sessionId: string }) => {
    const roomId = dispatched.at(-1)?.roomId ?? '';
    const events: SessionCallEvent[] = [
      transcript(roomId, 'agent-0', 'agent', 'Hi, what can I get for you?', true, 0, 2_000),
      transcript(roomId, 'customer-0', 'customer', 'two large pepperoni pizzas', true, 2_500, 4_000),
      {
        type: 'turn.metrics',
        roomId,
        turn: 0,
        eouMs: 300,
        asrFinalMs: 200,
        dialogFirstTokenMs: 5,
        ttsFirstAudioMs: 40,
        voiceToVoiceMs: 500,
        interrupted: false,
      },
      transcript(roomId, 'agent-1', 'agent', 'Two large pepperoni', false, 4_500, 5_500),
    ];
    for (const event of events) socket.emit('session.event', { sessionId, event });
  });
  const heartbeat = setInterval(() => socket.emit('worker.heartbeat'), 200);
  await socket.timeout(5_000).emitWithAck('worker.register', { name, capacity: 1, heartbeatMs: 200 });
  const worker = {
    dispatched,
    crashed: false,
    crash: () => {
      worker.crashed = true;
      clearInterval(heartbeat);
      socket.disconnect();
    },
    hang: () => clearInterval(heartbeat),
    close: () => clearInterval(heartbeat),
  };
  return worker;
}

/** A real agent worker whose pipelines record the resume they were given. */
function recordingFactory(resumes: (SessionResume | undefined)[]): CallPipelineFactory {
  return async ({ roomId, emit, resume }) => {
    resumes.push(resume);
    return new EchoPipeline({ roomId, emit });
  };
}

async function callWithDoomedAgent(name: string) {
  const doomed = await startDoomedWorker(name);
  const room = await h.newRoom();
  await h.joinCustomer(room, `customer-${name}`);
  await expect.poll(() => h.gateway.sessions.some((s) => s.live), { timeout: 5_000 }).toBe(true);
  return { doomed, room };
}

describe('AgentGateway when a call loses its agent', () => {
  it('dispatches the call to another worker with the conversation so far, the cut-off reply as heard', async () => {
    const transcripts = h.collect('transcript');
    const { doomed, room } = await callWithDoomedAgent('crashing');
    await expect.poll(() => transcripts.length, { timeout: 5_000 }).toBe(3);
    const resumes: (SessionResume | undefined)[] = [];
    const rescuer = await h.startWorker('rescuer', 1, recordingFactory(resumes));

    doomed.crash();
    await expect.poll(() => rescuer.sessions.length, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
    const [resume] = resumes;
    expect(resume?.resumes).toBe(1);
    expect(resume?.nextTurn).toBe(1);
    expect(resume?.callMs).toBeGreaterThan(5_500);
    expect(resume?.transcript).toEqual([
      { speaker: 'agent', text: 'Hi, what can I get for you?' },
      { speaker: 'customer', text: 'two large pepperoni pizzas' },
      { speaker: 'agent', text: 'Two large pepperoni' },
    ]);
    // the reply the caller was hearing is recorded as final, cut where it stopped
    expect(transcripts.at(-1)).toMatchObject({
      roomId: room.id,
      segmentId: 'agent-1',
      final: true,
      interrupted: true,
    });
    expect(room.peers.filter((p) => p.role === 'agent_ai')).toHaveLength(1);
  });

  it('takes a worker that stops its heartbeats as lost and moves its call', async () => {
    const { doomed } = await callWithDoomedAgent('hanging');
    const resumes: (SessionResume | undefined)[] = [];
    const rescuer = await h.startWorker('rescuer-2', 1, recordingFactory(resumes));
    const ended = new Promise<number>((resolve) =>
      h.gateway.on('sessionended', (e) => e.reason === 'worker_lost' && resolve(performance.now())),
    );

    const hungAt = performance.now();
    doomed.hang();
    const lostAfterMs = (await ended) - hungAt;
    // the harness's heartbeat timeout is 800 ms, checked every 200 ms
    expect(lostAfterMs).toBeGreaterThanOrEqual(700);
    expect(lostAfterMs).toBeLessThan(2_000);
    await expect.poll(() => rescuer.sessions.length, { timeout: 5_000 }).toBe(1);
    expect(resumes[0]?.transcript.length).toBeGreaterThan(0);
    doomed.close();
  });

  it('does not resume a call whose lost agent never joined it: the next agent greets', async () => {
    const { token } = await h.tokens.issueServiceToken('never-answers');
    const silent = connectClient(`${h.serverUrl}/agents`, { auth: { token }, transports: ['websocket'] });
    open.sockets.push(silent);
    const offered = new Promise<void>((resolve) => silent.on('session.dispatch', () => resolve()));
    await silent.timeout(5_000).emitWithAck('worker.register', { name: 'never-answers', capacity: 1 });
    const room = await h.newRoom();
    await h.joinCustomer(room, 'customer-unanswered');
    await offered;
    const resumes: (SessionResume | undefined)[] = [];
    const rescuer = await h.startWorker('rescuer-3', 1, recordingFactory(resumes));

    silent.disconnect();
    await expect.poll(() => rescuer.sessions.length, { timeout: 5_000 }).toBe(1);
    expect(resumes).toEqual([undefined]);
  });

  it('ends a call that keeps losing its agent once it passes the redispatch limit (redispatch_limit)', async () => {
    const refused: string[] = [];
    h.gateway.on('dispatchrefused', (info) => refused.push(info.code));
    const closed = h.collect('room.closed');
    const { doomed: first, room } = await callWithDoomedAgent('doomed-1');
    // the harness allows 2 replacements: the 3rd loss ends the call
    const others = [await startDoomedWorker('doomed-2'), await startDoomedWorker('doomed-3')];
    first.crash();
    for (const resumes of [1, 2]) {
      const taken = () => others.find((o) => o.dispatched.length === 1 && !o.crashed);
      await expect.poll(taken, { timeout: 5_000 }).toBeDefined();
      const next = taken();
      expect(next?.dispatched[0]?.resume?.resumes).toBe(resumes);
      await expect.poll(() => h.gateway.sessions.some((s) => s.live), { timeout: 5_000 }).toBe(true);
      next?.crash();
    }
    await expect.poll(() => room.closed, { timeout: 5_000 }).toBe(true);
    expect(refused).toEqual(['redispatch_limit']);
    expect(closed.find((c) => c.roomId === room.id)?.reason).toBe('agent_failed');
  });
});
