/**
 * `npm run soak -- --calls 500 [--concurrency 4]` -> bench/results/soak.json: short real calls one after another
 * (`concurrency` at a time; each: join, greeting, one turn, leave) against its own server and agent worker, with
 * the RSS of the server, each mediasoup worker and the agent worker sampled over time; drift per 100 calls (slope
 * after the first tenth of the calls, the warm-up); mediasoup objects back to zero; database rows consistent.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { callerSpeech } from './agentLoad.ts';
import { ArgumentError } from './args.ts';
import { CallerBrowser } from './CallerBrowser.ts';
import type { CallerRow } from './page/VirtualCaller.ts';
import { rssMb } from './procStats.ts';
import { RESULTS_DIR } from './resultsDir.ts';
import { databaseConsistency, mediaObjectsAfter } from './soakChecks.ts';
import { startStack } from './stack.ts';
import { driftPer100Calls, floorDriftPer100Calls, summarize } from './summary.ts';

const USAGE = 'usage: npm run soak -- --calls N [--concurrency C]';
const PER_PAGE = 8;
/** A soak call's upper bound: greeting plus one turn take ~10 s; past this it is counted as failed by the page. */
const CALL_MS = 60_000;

function parse(argv: string[]): { calls: number; concurrency: number } {
  let values: { calls?: string; concurrency?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { calls: { type: 'string' }, concurrency: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new ArgumentError(`${(error as Error).message}; ${USAGE}`);
  }
  const calls = Number(values.calls);
  const concurrency = Number(values.concurrency ?? 4);
  if (!Number.isInteger(calls) || calls < 1 || calls > 100_000)
    throw new ArgumentError(
      `--calls must be a whole number from 1 to 100000, got "${values.calls}"; ${USAGE}`,
    );
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new Error(
      `--concurrency must be a whole number from 1 to 64, got "${values.concurrency}"; ${USAGE}`,
    );
  return { calls, concurrency };
}

const log = (line: Record<string, unknown>) =>
  process.stderr.write(`${JSON.stringify({ soak: true, ...line })}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  t_s: number;
  calls: number;
  server: number;
  agent_worker: number;
  mediasoup_workers: Record<string, number>;
}

async function main(): Promise<void> {
  const { calls, concurrency } = parse(process.argv.slice(2));
  // one agent worker: its RSS drift is a per-process figure
  const stack = await startStack({
    agentCapacity: concurrency + 1,
    agentWorkers: 1,
    existingBaseUrl: process.env.BASE_URL,
  });
  const pids = stack.pids;
  if (!pids) throw new Error('the soak measures its own server and agent worker: unset BASE_URL');
  const browser = await CallerBrowser.launch(stack.baseUrl, await callerSpeech());
  const t0 = performance.now();
  const samples: Sample[] = [];
  let done = 0;
  const sample = () => {
    const mediasoup = Object.fromEntries(pids.mediasoupWorkers().map((pid) => [String(pid), rssMb(pid)]));
    samples.push({
      t_s: Math.round((performance.now() - t0) / 100) / 10,
      calls: done,
      server: rssMb(pids.server),
      agent_worker: rssMb(pids.agentWorkers[0] as number),
      mediasoup_workers: mediasoup,
    });
  };
  try {
    const pages = Math.ceil(concurrency / PER_PAGE);
    for (let p = 0; p < pages; p++) await browser.openPage();
    sample();
    let started = 0;
    let rows: CallerRow[] = [];
    let lastSample = performance.now();
    while (done < calls) {
      const active = started - done;
      for (let k = active; k < concurrency && started < calls; k++) {
        await browser.startCaller(started % pages, started, CALL_MS, 1);
        started += 1;
      }
      await sleep(500);
      rows = await browser.rows();
      done = rows.filter((r) => r.state === 'done' || r.state === 'failed').length;
      if (performance.now() - lastSample > 5_000) {
        sample();
        lastSample = performance.now();
        const last = samples.at(-1) as Sample;
        log({
          t_s: last.t_s,
          calls_done: done,
          of: calls,
          failed: rows.filter((r) => r.state === 'failed').length,
          rss_mb: { server: last.server, agent_worker: last.agent_worker, mediasoup: last.mediasoup_workers },
          load: loadavg()[0],
        });
      }
    }
    rows = await browser.finished();
    await sleep(3_000);
    sample();
    const mediaObjects = await mediaObjectsAfter(stack.baseUrl, 20_000);
    const answered = rows.reduce((n, r) => n + r.answered, 0);
    const database = await databaseConsistency(stack.dbName as string, calls, answered, 60_000);
    const warm = samples.filter((s) => s.calls >= Math.ceil(calls / 10));
    const series = (pick: (s: Sample) => number) => warm.map((s) => ({ calls: s.calls, mb: pick(s) }));
    const workerPids = Object.keys(samples[0]?.mediasoup_workers ?? {});
    const result = {
      calls,
      concurrency,
      duration_s: Math.round((performance.now() - t0) / 1000),
      failed_calls: rows.filter((r) => r.state === 'failed').length,
      answered_turns: answered,
      v2v_ms: summarize(rows.flatMap((r) => r.v2vMs)),
      // slope of RSS over calls after the warm-up, and (robust to garbage-collection sawtooth) of its floor
      drift_mb_per_100_calls: {
        server: driftPer100Calls(series((s) => s.server)),
        agent_worker: driftPer100Calls(series((s) => s.agent_worker)),
        mediasoup_workers: Object.fromEntries(
          workerPids.map((pid) => [
            pid,
            driftPer100Calls(series((s) => s.mediasoup_workers[pid] ?? Number.NaN)),
          ]),
        ),
      },
      floor_drift_mb_per_100_calls: {
        server: floorDriftPer100Calls(series((s) => s.server)),
        agent_worker: floorDriftPer100Calls(series((s) => s.agent_worker)),
        mediasoup_workers: Object.fromEntries(
          workerPids.map((pid) => [
            pid,
            floorDriftPer100Calls(series((s) => s.mediasoup_workers[pid] ?? Number.NaN)),
          ]),
        ),
      },
      rss_mb: { first: samples[0], last: samples.at(-1) },
      mediasoup_objects_after: mediaObjects,
      mediasoup_objects_back_to_zero: Object.values(mediaObjects).every((v) => v === 0),
      database,
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
      first_errors: rows.flatMap((r) => r.errors.map((e) => `call ${r.id}: ${e}`)).slice(0, 20),
      samples,
    };
    const file = path.join(RESULTS_DIR, 'soak.json');
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    const { samples: _s, rss_mb: _r, ...summary } = result;
    process.stdout.write(`${JSON.stringify({ ...summary, written: path.relative(process.cwd(), file) })}\n`);
  } finally {
    await browser.close();
    await stack.close();
  }
}

main().catch((error) => {
  if (error instanceof ArgumentError) {
    process.stderr.write(`${JSON.stringify({ error: error.code, message: error.message })}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
