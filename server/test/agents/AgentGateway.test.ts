import { describe, expect, it } from 'vitest';
import { OpusDecoderStream } from '../../../agent-worker/src/audio/OpusCodec.ts';
import { AgentWorker } from '../../../agent-worker/src/worker/AgentWorker.ts';
import type { CallPipelineFactory } from '../../../agent-worker/src/worker/CallPipeline.ts';
import { EchoPipeline } from '../../../agent-worker/src/worker/EchoPipeline.ts';
import { registerAgentMetrics } from '../../src/agents/agentMetrics.ts';
import { MetricsRegistry } from '../../src/http/metrics.ts';
import { type AgentHarness, startAgentHarness, toneAmplitude, useAgentHarness } from './agentHarness.ts';

let h: AgentHarness;
const echo: CallPipelineFactory = async ({ roomId, emit }) => new EchoPipeline({ roomId, emit });
const startWorker = (name: string, capacity = 2, factory = echo) => h.startWorker(name, capacity, factory);
const joinCustomer: AgentHarness['joinCustomer'] = (room, peerId, options) =>
  h.joinCustomer(room, peerId, options);
const collect: AgentHarness['collect'] = (event) => h.collect(event);

useAgentHarness((started) => {
  h = started;
});

describe('AgentGateway', () => {
  it('refuses a worker without a valid service token', async () => {
    const worker = new AgentWorker({
      serverUrl: h.serverUrl,
      token: 'not-a-token',
      name: 'intruder',
      capacity: 1,
      rtpIp: '127.0.0.1',
      createPipeline: echo,
    });
    await expect(worker.start()).rejects.toThrow(/unauthorized/);
    worker.stop();
    expect(h.gateway.workers).toEqual([]);
  });

  it('sends a customer call to the agent, whose voice reaches the customer through mediasoup', async () => {
    const worker = await startWorker('w1');
    const states = collect('agent.state');
    const room = await h.newRoom();
    const customer = await joinCustomer(room, 'customer-1');

    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
    expect(room.peers.some((p) => p.role === 'agent_ai')).toBe(true);
    await expect.poll(() => states.map((s) => s.state), { timeout: 5_000 }).toContain('listening');
    expect(states[0]?.roomId).toBe(room.id);

    // The echo agent plays the customer's 1 kHz tone back; the customer hears it through the agent's producer.
    await customer.speak(1_000, 75);
    await expect.poll(() => customer.heard.length, { timeout: 5_000 }).toBeGreaterThan(40);
    const decoder = new OpusDecoderStream();
    const decoded = customer.heard.map((p) => decoder.decode(p.payload));
    const steady = new Int16Array(decoded.slice(10, 40).flatMap((f) => [...f]));
    expect(toneAmplitude(steady, 1_000, 48_000)).toBeGreaterThan(3_000);
    expect(toneAmplitude(steady, 600, 48_000)).toBeLessThan(500);

    const stats = worker.sessions[0]?.mediaStats;
    if (stats?.kind !== 'rtp') throw new Error('expected an RTP session');
    expect(stats.rtp.accepted).toBeGreaterThan(60);
    const inbound = Object.values(stats.inbound);
    expect(inbound.length).toBe(1);
    expect(inbound[0]?.lost).toBe(0);

    // The customer hangs up: the worker's session stops and the agent leaves the room.
    customer.peer.close('hangup');
    await expect.poll(() => worker.sessions.length, { timeout: 5_000 }).toBe(0);
    expect(h.gateway.sessions).toEqual([]);
    expect(room.peers.some((p) => p.role === 'agent_ai')).toBe(false);
  });

  it('hears a customer who starts sending audio only after the agent joined', async () => {
    const worker = await startWorker('patient', 1);
    const room = await h.newRoom();
    const customer = await joinCustomer(room, 'customer-later', { produceNow: false });
    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
    expect(worker.sessions[0]?.mediaStats.inbound).toEqual({});

    await customer.produce();
    await customer.speak(1_000, 40);
    await expect.poll(() => customer.heard.length, { timeout: 5_000 }).toBeGreaterThan(20);
    expect(Object.values(worker.sessions[0]?.mediaStats.inbound ?? {}).length).toBe(1);
  });

  it('keeps the agent for a customer who rejoins under a new peer id', async () => {
    const worker = await startWorker('steady', 1);
    const room = await h.newRoom();
    const first = await joinCustomer(room, 'customer-old');
    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
    const again = await joinCustomer(room, 'customer-new');
    first.peer.close('transport_lost');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(worker.sessions.length).toBe(1);
    again.peer.close('hangup');
    await expect.poll(() => worker.sessions.length, { timeout: 5_000 }).toBe(0);
  });

  it('moves the same agent session into the room opened again after a media worker death, or ends it', async () => {
    const moving = await startAgentHarness({ rejoinGraceMs: 500 });
    try {
      const worker = await moving.startWorker('mover', 2, echo);
      const ended: string[] = [];
      moving.gateway.on('sessionended', (info) => ended.push(info.reason));
      const room = await moving.newRoom();
      await moving.joinCustomer(room, 'customer-before');
      await expect
        .poll(() => moving.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 })
        .toBe(1);
      const [session] = moving.gateway.sessions;

      room.close('worker_died', true);
      expect(moving.gateway.sessions).toEqual([{ ...session, live: false }]);
      const reopened = await moving.registry.getOrCreate(room.id, { agentId: 'pizzeria' });
      const customer = await moving.joinCustomer(reopened, 'customer-after');
      await expect.poll(() => moving.gateway.sessions, { timeout: 5_000 }).toEqual([session]);
      expect(worker.sessions.map((s) => s.id)).toEqual([session?.id]);
      // the echo agent hears the customer in the new room and answers there
      await customer.speak(1_000, 40);
      await expect.poll(() => customer.heard.length, { timeout: 5_000 }).toBeGreaterThan(20);

      // nobody comes back this time: the session ends after the grace
      reopened.close('worker_died', true);
      await expect.poll(() => worker.sessions.length, { timeout: 5_000 }).toBe(0);
      expect(ended).toEqual(['room_closed']);
    } finally {
      moving.close();
    }
  });

  it('stops re-dispatching the agent to a customer who joins and leaves in a loop (dispatch_limit)', async () => {
    const limited = await startAgentHarness({ maxDispatchesPerCall: 2 });
    try {
      const worker = await limited.startWorker('looped', 4, echo);
      const ended: string[] = [];
      const refused: string[] = [];
      limited.gateway.on('sessionended', (info) => ended.push(info.reason));
      limited.gateway.on('dispatchrefused', (info) => refused.push(info.code));
      const room = await limited.newRoom();
      for (let i = 0; i < 5; i++) {
        const customer = await limited.joinCustomer(room, `customer-loop-${i}`);
        if (i < 2) await expect.poll(() => worker.sessions.length, { timeout: 5_000 }).toBe(1);
        customer.peer.close('hangup');
        await expect.poll(() => worker.sessions.length, { timeout: 5_000 }).toBe(0);
      }
      expect(ended).toEqual(['customer_left', 'customer_left']);
      expect(refused).toEqual(['dispatch_limit', 'dispatch_limit', 'dispatch_limit']);
    } finally {
      limited.close();
    }
  });

  it('exposes workers, sessions and ended sessions as Prometheus metrics', async () => {
    const metrics = new MetricsRegistry();
    const stop = registerAgentMetrics(metrics, h.gateway);
    try {
      await startWorker('metered', 3);
      const room = await h.newRoom();
      const customer = await joinCustomer(room, 'customer-metrics');
      await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
      const live = await metrics.render();
      expect(live).toMatch(/^voiceroom_agent_workers 1$/m);
      expect(live).toMatch(/^voiceroom_agent_capacity 3$/m);
      expect(live).toMatch(/^voiceroom_agent_sessions\{state="live"\} 1$/m);
      customer.peer.close('hangup');
      await expect
        .poll(async () => metrics.render(), { timeout: 5_000 })
        .toMatch(/^voiceroom_agent_sessions_ended_total\{reason="customer_left"\} 1$/m);
    } finally {
      stop();
    }
  });

  it('dispatches to the least-loaded worker', async () => {
    const busy = await startWorker('busy', 1);
    const roomA = await h.newRoom();
    await joinCustomer(roomA, 'customer-a');
    await expect.poll(() => busy.sessions.length, { timeout: 5_000 }).toBe(1);
    const spare = await startWorker('spare', 4);
    const roomB = await h.newRoom();
    await joinCustomer(roomB, 'customer-b');
    await expect.poll(() => spare.sessions.length, { timeout: 5_000 }).toBe(1);
    expect(busy.sessions.length).toBe(1);
  });

  it('ends the agent session cleanly when its worker disconnects, and re-dispatches the call to another worker', async () => {
    const first = await startWorker('first', 1);
    const room = await h.newRoom();
    await joinCustomer(room, 'customer-r');
    await expect.poll(() => first.sessions.length, { timeout: 5_000 }).toBe(1);
    const second = await startWorker('second', 1);
    const firstAgent = room.peers.find((p) => p.role === 'agent_ai')?.id;

    first.stop();
    await expect.poll(() => second.sessions.length, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
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
    const roomA = await h.newRoom();
    const a = await joinCustomer(roomA, 'customer-x');
    await expect.poll(() => worker.sessions.length, { timeout: 5_000 }).toBe(1);
    const roomB = await h.newRoom();
    const b = await joinCustomer(roomB, 'customer-y');
    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(2);

    await Promise.all([a.speak(500, 20), b.speak(500, 60)]);
    await expect.poll(() => worker.sessions.map((s) => s.roomId), { timeout: 5_000 }).toEqual([roomB.id]);
    expect(roomA.peers.some((p) => p.role === 'agent_ai')).toBe(false);
    await expect.poll(() => b.heard.length, { timeout: 5_000 }).toBeGreaterThan(20);
  });
});
