import { type SessionCallEvent, type SessionDispatch, SessionDispatchSchema } from '@voiceroom/protocol';
import { io as connectClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { CallPipeline, CallPipelineFactory } from '../../../agent-worker/src/worker/CallPipeline.ts';
import { EchoPipeline } from '../../../agent-worker/src/worker/EchoPipeline.ts';
import { type AgentHarness, useAgentHarness } from './agentHarness.ts';

let h: AgentHarness;
const echo: CallPipelineFactory = async ({ roomId, emit }) => new EchoPipeline({ roomId, emit });
const startWorker = (name: string, capacity = 2, factory = echo) => h.startWorker(name, capacity, factory);
const joinCustomer: AgentHarness['joinCustomer'] = (room, peerId, options) =>
  h.joinCustomer(room, peerId, options);
const collect: AgentHarness['collect'] = (event) => h.collect(event);

useAgentHarness((started) => {
  h = started;
});

const GREETING = {
  type: 'transcript',
  roomId: 'someone-elses-room',
  segmentId: 'a1',
  speaker: 'agent',
  text: 'Hi, thanks for calling.',
  final: true,
  startMs: 0,
  endMs: 900,
  interrupted: false,
} as const;

/**
 * A pipeline that says scripted transcript lines at start (the greeting by default) and records what the co-pilot
 * did to it.
 */
function scripted(
  record: {
    hints: string[];
    muted: boolean[];
    pipelines: (CallPipeline & { hangUp(): void })[];
  },
  lines: readonly SessionCallEvent[] = [GREETING],
) {
  const factory: CallPipelineFactory = async ({ roomId, emit }) => {
    const echoPipeline = new EchoPipeline({ roomId, emit });
    const pipeline = Object.assign(echoPipeline, {
      start() {
        emit({ type: 'agent.state', roomId, state: 'speaking' });
        for (const line of lines) emit(line);
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
    const heard = { confidence: 0.04, alternatives: ['two pizza', 'to pizzas'] };
    const customer = {
      ...GREETING,
      segmentId: 'c1',
      speaker: 'customer',
      text: 'two pizzas',
      ...heard,
    } as const;
    await startWorker('scripted', 1, scripted(record, [GREETING, customer]));
    const room = await h.newRoom();
    await joinCustomer(room, 'customer-t');
    await expect.poll(() => transcripts.length, { timeout: 5_000 }).toBe(2);
    expect(transcripts[0]).toMatchObject({
      roomId: room.id,
      speaker: 'agent',
      text: 'Hi, thanks for calling.',
    });
    expect(transcripts[0]).not.toHaveProperty('type');
    // what the recogniser heard of the caller reaches the bus whole (bench:robustness records it)
    expect(transcripts[1]).toMatchObject({
      roomId: room.id,
      speaker: 'customer',
      text: 'two pizzas',
      ...heard,
    });
  });

  it('drops malformed events and events for sessions of another worker', async () => {
    const transcripts = collect('transcript');
    const record = { hints: [], muted: [], pipelines: [] };
    await startWorker('honest', 1, scripted(record));
    const room = await h.newRoom();
    await joinCustomer(room, 'customer-m');
    await expect.poll(() => transcripts.length, { timeout: 5_000 }).toBe(1);
    const [session] = h.gateway.sessions;

    const { token } = await h.tokens.issueServiceToken('rogue');
    const rogue = connectClient(`${h.serverUrl}/agents`, { auth: { token }, transports: ['websocket'] });
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
    const room = await h.newRoom();
    await joinCustomer(room, 'customer-c');
    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);

    expect(h.gateway.hint(room.id, 'Offer the garlic bread.')).toBe(true);
    expect(await h.gateway.takeover(room.id, true)).toBe(true);
    expect(await h.gateway.takeover(room.id, false)).toBe(true);
    expect(h.gateway.hint('no-such-room', 'x')).toBe(false);
    await expect.poll(() => record.hints, { timeout: 5_000 }).toEqual(['Offer the garlic bread.']);
    await expect.poll(() => record.muted, { timeout: 5_000 }).toEqual([true, false]);

    const hangups: string[] = [];
    h.gateway.on('hangup', ({ roomId }) => hangups.push(roomId));
    record.pipelines[0]?.hangUp();
    await expect.poll(() => room.closed, { timeout: 5_000 }).toBe(true);
    expect(hangups).toEqual([room.id]);
    expect(worker.sessions).toEqual([]);
  });

  it('starts an agent that joins a taken-over call muted', async () => {
    const record = {
      hints: [] as string[],
      muted: [] as boolean[],
      pipelines: [] as (CallPipeline & { hangUp(): void })[],
    };
    const room = await h.newRoom();
    expect(await h.gateway.takeover(room.id, true)).toBe(false);
    await startWorker('late-joiner', 1, scripted(record));
    await joinCustomer(room, 'customer-to');
    await expect.poll(() => record.muted, { timeout: 5_000 }).toEqual([true]);
  });

  it('holds a call until a worker registers', async () => {
    const room = await h.newRoom();
    await joinCustomer(room, 'customer-w');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.gateway.sessions).toEqual([]);
    const late = await startWorker('late', 1);
    await expect.poll(() => late.sessions.length, { timeout: 5_000 }).toBe(1);
  });

  it('tells the worker how long ago the caller joined (a duration, valid whatever the worker clock)', async () => {
    const room = await h.newRoom();
    const beforeJoin = performance.now();
    await joinCustomer(room, 'customer-j');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { token } = await h.tokens.issueServiceToken('probe');
    const probe = connectClient(`${h.serverUrl}/agents`, { auth: { token }, transports: ['websocket'] });
    try {
      const dispatched = new Promise<{ at: number; payload: SessionDispatch }>((resolve) =>
        probe.on('session.dispatch', (payload: SessionDispatch, ack: (reply: unknown) => void) => {
          resolve({ at: performance.now(), payload });
          ack({ ok: false, error: { code: 'at_capacity', message: 'probe only' } });
        }),
      );
      await probe.timeout(5_000).emitWithAck('worker.register', { name: 'probe', capacity: 1 });
      const { at, payload } = await dispatched;
      expect(SessionDispatchSchema.parse(payload).roomId).toBe(room.id);
      expect(payload.callerJoinedMsAgo).toBeGreaterThanOrEqual(300);
      expect(payload.callerJoinedMsAgo).toBeLessThanOrEqual(Math.ceil(at - beforeJoin));
      // Older servers omit it; a negative or absurd lead-in is refused.
      const { callerJoinedMsAgo: _, ...older } = payload;
      expect(SessionDispatchSchema.safeParse(older).success).toBe(true);
      for (const bad of [-1, 600_001, 1.5])
        expect(SessionDispatchSchema.safeParse({ ...payload, callerJoinedMsAgo: bad }).success).toBe(false);
    } finally {
      probe.disconnect();
    }
  });

  it('does not dispatch for a room without an agent', async () => {
    const worker = await startWorker('idle', 1);
    const room = await h.newRoom(null);
    await joinCustomer(room, 'customer-n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(worker.sessions).toEqual([]);
  });
});
