/**
 * Fault: the agent worker process serving a call is killed (SIGKILL) mid-call. A real caller in Chromium on the call
 * page, the real server and two real agent worker processes (Silero VAD, PocketSphinx, scripted dialog, flite): the
 * server notices, another worker's agent joins the same call with the conversation so far, says it is back (no
 * second greeting) and is heard by the caller, who never redials; the order given before the kill reaches the call's
 * extraction.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { TranscriptEvent } from '@voiceroom/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESUMED } from '../../agent-worker/src/pipeline/resumedCall.ts';
import { installScriptedMicrophone } from '../../bench/voiceMicrophone.ts';
import { startAudioProbe, synthesizeCallerSpeech } from '../../bench/voiceScenario.ts';
import { openOrm } from '../../server/src/db/orm.ts';
import type { RunningProcess } from '../../server/test/helpers/childProcess.ts';
import { startAgentWorkerProcess } from '../helpers/agentWorkerProcess.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type CallBrowser, launchCallBrowser, makeSpeechWav, pollUntil } from '../helpers/browser.ts';
import { withCleanup } from '../helpers/deadline.ts';
import {
  GREETING,
  killWorkerMidCall,
  RESUMED_SEGMENT,
  type WorkerKillRun,
} from '../helpers/workerKillCall.ts';

let workDir: string;
let app: TestApp;
let caller: CallBrowser;
let order: Int16Array;
const workers = new Map<string, RunningProcess>();
const transcripts: TranscriptEvent[] = [];
let run: WorkerKillRun;
/** The target: the caller hears the new agent within 3 s of the kill (bench/faultAgentWorker.ts measures it). */
const HEARD_WITHIN_MS = 3_000;
/**
 * How much slower than normal the shared machine runs (runnable processes per core, 1 to 5): at a load of 25 on 2
 * cores the new worker's session setup alone (a PocketSphinx decoder, CPU-bound) was seen to take 2.4 s of wall time,
 * so the 3 s target holds the test only where the machine is not overloaded; beyond that it still bounds recovery.
 */
let slowdown = 1;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-worker-kill-'));
  const [speech, silentWav] = await Promise.all([
    synthesizeCallerSpeech("I'd like two large pepperoni pizzas", workDir, 0),
    // the fake capture device is required by the launch flags but replaced by the scripted microphone
    makeSpeechWav('unused', workDir, { name: 'unused' }),
  ]);
  order = speech;
  app = await startTestApp();
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
  // one after the other: two model loads at once on a loaded 2-core machine only slow both
  for (const name of ['worker-a', 'worker-b'])
    workers.set(name, await startAgentWorkerProcess(app.server, { name, capacity: 2 }));
  caller = await launchCallBrowser({ fakeAudioWav: silentWav });
  await installScriptedMicrophone(caller.context);
  await caller.page.goto(`${app.url}/`);
  await startAudioProbe(caller.page);
}, 180_000);

afterAll(async () => {
  await caller?.close();
  for (const worker of workers.values()) worker.signal('SIGKILL');
  await app?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('an agent worker killed mid-call', () => {
  it('is noticed within 2 s and the call goes to the other worker within 2 s, whose agent the caller hears within 3 s (longer on an overloaded machine)', async () => {
    slowdown = Math.min(5, Math.max(1, (loadavg()[0] ?? 0) / cpus().length));
    run = await killWorkerMidCall({ server: app.server, page: caller.page, workers, transcripts, order });
    console.log(JSON.stringify({ agent_worker_kill: run, slowdown }));
    expect(run.noticedMs).toBeLessThan(2_000);
    expect(run.redispatchedMs).toBeLessThan(2_000);
    expect(run.firstPacketMs).toBeLessThan(HEARD_WITHIN_MS * slowdown);
    expect(run.audibleMs).toBeGreaterThanOrEqual(run.firstPacketMs);
    const live = app.server.gateway.sessions.find((s) => s.roomId === run.roomId && s.live);
    const serving = app.server.gateway.workers.find((w) => w.id === live?.workerId)?.name;
    expect(serving).toBeDefined();
    expect(serving).not.toBe(run.killed);
    // the caller stayed in the same call: no reconnect, no new room
    expect(await caller.page.getAttribute('body', 'data-call-state')).toBe('connected');
    expect(app.server.registry.get(run.roomId)?.closed).toBe(false);
  }, 120_000);

  it('resumes instead of greeting again: one greeting in the call, then the resume line', () => {
    const agent = transcripts.filter((t) => t.roomId === run.roomId && t.speaker === 'agent' && t.final);
    expect(agent.filter((t) => t.text === GREETING)).toHaveLength(1);
    const resumed = agent.filter((t) => RESUMED_SEGMENT.test(t.segmentId));
    expect(resumed[0]?.text.startsWith(RESUMED)).toBe(true);
    // the dialog heard the order before the kill: it asks for more, not for the order
    expect(resumed[0]?.text).toMatch(/anything else/i);
  });

  it("keeps the order given before the kill: the call's extraction has it", async () => {
    app.server.registry.get(run.roomId)?.close('customer_hung_up');
    const orm = await openOrm(app.server.config.db);
    await withCleanup(async () => {
      const items = await pollUntil(
        () =>
          orm.em.fork().execute<{ name: string; size: string | null; quantity: number }[]>(
            `select i.name, i.size, i.quantity from order_items i join orders o on o.id = i.order_id
             join calls c on c.id = o.call_id where c.room_id = ?`,
            [run.roomId],
          ),
        (rows) => rows.length > 0,
        { timeoutMs: 30_000, intervalMs: 250, what: "the call's extracted order" },
      );
      expect(items).toContainEqual({ name: 'pepperoni pizza', size: 'large', quantity: 2 });
      const [greetings] = await orm.em.fork().execute<{ n: number }[]>(
        `select count(*) as n from transcript_segments s join calls c on c.id = s.call_id
           where c.room_id = ? and s.speaker = 'agent' and s.text = ?`,
        [run.roomId, GREETING],
      );
      expect(Number(greetings?.n)).toBe(1);
    }, [{ what: 'closing the database connection', ms: 10_000, run: () => orm.close(true) }]);
  }, 60_000);
});
