/**
 * Graceful shutdown of a real agent worker process (agent-worker/src/main.ts, echo pipeline) on SIGTERM: it takes
 * no new calls, lets its live call end on its own, or hands it over to another worker once AGENT_DRAIN_TIMEOUT_S
 * passes, and exits 0 either way.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallPipelineFactory } from '../../../agent-worker/src/worker/CallPipeline.ts';
import { EchoPipeline } from '../../../agent-worker/src/worker/EchoPipeline.ts';
import { REPO_ROOT } from '../../src/config.ts';
import { type RunningProcess, startNodeProcess } from '../helpers/childProcess.ts';
import { type AgentHarness, startAgentHarness } from './agentHarness.ts';

const MAIN = path.join(REPO_ROOT, 'agent-worker', 'src', 'main.ts');
const echo: CallPipelineFactory = async ({ roomId, emit }) => new EchoPipeline({ roomId, emit });
let h: AgentHarness;
const processes: RunningProcess[] = [];

async function startWorkerProcess(name: string, drainTimeoutS: number): Promise<RunningProcess> {
  const { token } = await h.tokens.issueServiceToken(name);
  const worker = startNodeProcess(['--max-semi-space-size=2', MAIN], {
    SERVER_URL: h.serverUrl,
    AGENT_SERVICE_TOKEN: token,
    AGENT_NAME: name,
    AGENT_PIPELINE: 'echo',
    AGENT_DRAIN_TIMEOUT_S: String(drainTimeoutS),
    LOG_LEVEL: 'info',
  });
  processes.push(worker);
  await expect.poll(() => h.gateway.workers.some((w) => w.name === name), { timeout: 30_000 }).toBe(true);
  return worker;
}

const workerIdOf = (name: string) => h.gateway.workers.find((w) => w.name === name)?.id;
const liveSessionIn = (roomId: string) => h.gateway.sessions.find((s) => s.roomId === roomId && s.live);

beforeAll(async () => {
  h = await startAgentHarness();
});

afterEach(() => {
  for (const worker of processes.splice(0)) worker.signal('SIGKILL');
  h.reset();
});

afterAll(() => {
  h.close();
});

describe('agent worker process on SIGTERM', () => {
  it('takes no new call, lets its live call end, then exits 0', async () => {
    const worker = await startWorkerProcess('draining', 600);
    const workerId = workerIdOf('draining');
    const room = await h.newRoom();
    await h.joinCustomer(room, 'customer-live');
    await expect.poll(() => liveSessionIn(room.id)?.workerId, { timeout: 10_000 }).toBe(workerId);
    const ended: string[] = [];
    h.gateway.on('sessionended', (e) => ended.push(e.reason));

    worker.signal('SIGTERM');
    await worker.waitForOutput(/draining: taking no new calls/);
    const next = await h.newRoom();
    await h.joinCustomer(next, 'customer-new');
    // Refused by the draining worker, and no other worker: the new call waits.
    await expect.poll(() => h.gateway.waitingCalls, { timeout: 10_000 }).toBe(1);
    expect(liveSessionIn(room.id)?.workerId).toBe(workerId);
    expect(ended).not.toContain('worker_lost');

    room.close('customer_hung_up');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/"finished":1,"handedOver":0/);
    expect(ended).not.toContain('worker_lost');
  }, 60_000);

  it('hands a call still live at the drain timeout over to another worker, then exits 0', async () => {
    const worker = await startWorkerProcess('leaving', 0);
    const room = await h.newRoom();
    await h.joinCustomer(room, 'customer-handed-over');
    await expect
      .poll(() => liveSessionIn(room.id)?.workerId, { timeout: 10_000 })
      .toBe(workerIdOf('leaving'));
    const staying = await h.startWorker('staying', 2, echo);

    worker.signal('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/"finished":0,"handedOver":1/);
    await expect.poll(() => liveSessionIn(room.id)?.workerId, { timeout: 10_000 }).toBe(staying.workerId);
    expect(room.closed).toBe(false);
  }, 60_000);
});
