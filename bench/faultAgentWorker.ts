/**
 * Fault recovery benchmark, agent worker killed mid-call: `npm run bench:faults:agent-worker [-- --runs N]`.
 * The real server, two real agent worker processes (voice pipeline) and a caller in Chromium on the call page. Per
 * run: a call, the greeting, an order said by the caller, the agent's answer, then SIGKILL to the worker serving the
 * call (test/helpers/workerKillCall.ts), timed from the kill: the server noticing (session ended as worker_lost),
 * another agent joining the call, the first packet of its voice at the caller's page and the voice audible there.
 * The killed worker is started again (as `npm start` would) before the next run, so every run has two workers.
 * Writes key `agent_worker_kill` of bench/results/faults.json (other keys of that file are kept).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TranscriptEvent } from '@voiceroom/protocol';
import type { RunningProcess } from '../server/test/helpers/childProcess.ts';
import { startAgentWorkerProcess, stopAgentWorkerProcess } from '../test/helpers/agentWorkerProcess.ts';
import { launchCallBrowser, makeSpeechWav } from '../test/helpers/browser.ts';
import { buildClientPage } from '../test/helpers/clientPage.ts';
import { killWorkerMidCall, type WorkerKillRun } from '../test/helpers/workerKillCall.ts';
import { spread } from './spread.ts';
import { installScriptedMicrophone } from './voiceMicrophone.ts';
import { startAudioProbe, synthesizeCallerSpeech } from './voiceScenario.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'faults.json');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50)
    throw new Error('--runs must be a whole number from 1 to 50');
  process.env.LOG_LEVEL ??= 'warn';
  const { startTestApp } = await import('../test/helpers/app.ts');
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-faults-'));
  const [order, silentWav] = await Promise.all([
    synthesizeCallerSpeech("I'd like two large pepperoni pizzas", workDir, 0),
    makeSpeechWav('unused', workDir, { name: 'unused' }),
  ]);
  const app = await startTestApp({ clientDir: await buildClientPage(path.join(workDir, 'client')) });
  const transcripts: TranscriptEvent[] = [];
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
  const workers = new Map<string, RunningProcess>();
  const dead = new Set<string>();
  const start = async (name: string) => {
    const worker = await startAgentWorkerProcess(app.server, { name, capacity: 2 });
    dead.delete(name);
    void worker.exited.then(() => dead.add(name));
    workers.set(name, worker);
  };
  const caller = await launchCallBrowser({ fakeAudioWav: silentWav });
  const results: WorkerKillRun[] = [];
  /** Runs that failed before a recovery could be timed (on a starved machine the caller's order may go unheard). */
  const failed: string[] = [];
  const loads: number[] = [];
  try {
    for (const name of ['bench-worker-a', 'bench-worker-b']) await start(name);
    await installScriptedMicrophone(caller.context);
    for (let i = 0; i < runs; i++) {
      await caller.page.goto(`${app.url}/`);
      await startAudioProbe(caller.page);
      for (const name of [...dead]) await start(name);
      loads.push(loadavg()[0] ?? 0);
      const known = new Set(app.server.registry.rooms.map((r) => r.id));
      let run: WorkerKillRun;
      try {
        run = await killWorkerMidCall({ server: app.server, page: caller.page, workers, transcripts, order });
      } catch (error) {
        failed.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
        process.stderr.write(`${JSON.stringify({ run: i + 1, of: runs, failed: failed.at(-1) })}\n`);
        for (const room of app.server.registry.rooms) if (!known.has(room.id)) room.close('customer_hung_up');
        continue;
      }
      results.push(run);
      process.stderr.write(
        `${JSON.stringify({ run: i + 1, of: runs, killed: run.killed, noticed_ms: Math.round(run.noticedMs), redispatched_ms: Math.round(run.redispatchedMs), joined_ms: Math.round(run.joinedMs), speaking_ms: Math.round(run.speakingMs), first_packet_ms: Math.round(run.firstPacketMs), audible_ms: Math.round(run.audibleMs) })}\n`,
      );
      app.server.registry.get(run.roomId)?.close('customer_hung_up');
    }
  } finally {
    await caller.close();
    for (const worker of workers.values()) await stopAgentWorkerProcess(worker);
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  }
  const agentWorkerKill = {
    n: results.length,
    failed_runs: failed,
    noticed_ms: spread(results.map((r) => r.noticedMs)),
    redispatched_ms: spread(results.map((r) => r.redispatchedMs)),
    joined_ms: spread(results.map((r) => r.joinedMs)),
    speaking_ms: spread(results.map((r) => r.speakingMs)),
    first_packet_ms: spread(results.map((r) => r.firstPacketMs)),
    audible_ms: spread(results.map((r) => r.audibleMs)),
    load_avg_1m: spread(loads),
    measured:
      'SIGKILL to the agent worker process serving a call (agent listening, after answering an order) -> the server ' +
      'ending its session as worker_lost (noticed), the call offered to another worker with the conversation ' +
      '(redispatched), that agent live in the same call (joined), its first caption (speaking: sent with its first ' +
      "audio frame), the first packet of the new agent's voice in the caller's Chromium (inbound-rtp lastPacketReceivedTimestamp) and that " +
      'voice audible there (AnalyserNode RMS >= 0.01 from that packet on); kill time put on the page clock by a ' +
      'round-trip-corrected offset. Every process on one shared 2-core machine: figures are floors for its load.',
  };
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(await readFile(RESULTS, 'utf8')) as Record<string, unknown>;
  } catch {
    // first fault figures in this file
  }
  await writeFile(
    RESULTS,
    `${JSON.stringify({ ...existing, agent_worker_kill: agentWorkerKill }, null, 2)}\n`,
  );
  console.log(JSON.stringify({ agent_worker_kill: agentWorkerKill }));
}

await main();
