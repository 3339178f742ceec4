import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallPipelineFactory } from '../../../agent-worker/src/worker/CallPipeline.ts';
import { EchoPipeline } from '../../../agent-worker/src/worker/EchoPipeline.ts';
import { type AgentHarness, startAgentHarness } from './agentHarness.ts';

let h: AgentHarness;

beforeAll(async () => {
  h = await startAgentHarness({ dispatchTimeoutMs: 400, greetingWaitMs: 10_000 });
});

afterAll(() => {
  h.close();
});

describe('AgentGateway dispatch timing', () => {
  it('retries a call whose only worker was too slow to accept it, without leaving a stray session', async () => {
    let calls = 0;
    const slowFirst: CallPipelineFactory = async ({ roomId, emit }) => {
      // The first call loads models for longer than the gateway waits.
      if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
      return new EchoPipeline({ roomId, emit });
    };
    const worker = await h.startWorker('slow', 1, slowFirst);
    const room = await h.newRoom();
    await h.joinCustomer(room, 'customer-slow');

    await expect.poll(() => calls, { timeout: 3_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(worker.sessions).toEqual([]);
    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 10_000 }).toBe(1);
    expect(worker.sessions.length).toBe(1);
    expect(room.peers.filter((p) => p.role === 'agent_ai').length).toBe(1);
  });

  it('lets the agent speak only once the customer receives it', async () => {
    const states = h.collect('agent.state');
    await h.startWorker('polite', 1, async ({ roomId, emit }) => new EchoPipeline({ roomId, emit }));
    const room = await h.newRoom();
    const customer = await h.joinCustomer(room, 'customer-browser', { browserLike: true });
    await expect.poll(() => h.gateway.sessions.filter((s) => s.live).length, { timeout: 5_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(states.filter((s) => s.roomId === room.id)).toEqual([]);

    const consumer = customer.peer.consumers[0]?.consumer;
    expect(consumer?.paused).toBe(true);
    await consumer?.resume();
    await expect.poll(() => states.filter((s) => s.roomId === room.id).length, { timeout: 5_000 }).toBe(1);
  });
});
