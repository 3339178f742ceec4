/**
 * Call-records benchmark: `npm run bench:calls`. On a fresh MariaDB database:
 *  1. recorder: CALLS concurrent calls each publishing SEGMENTS final transcript segments (PII-redacted) and a turn
 *     metric per agent turn on the event bus; measures segments written per second and emit -> row latency.
 *  2. extraction queue: JOBS ended calls extracted by WORKERS workers (SKIP LOCKED claims) against the loopback
 *     chat-completions server answering instantly; measures jobs per second and enqueue -> order-stored latency.
 * Prints one JSON line and writes bench/results/call-records.json. Progress goes to stderr.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallEventBus } from '../server/src/CallEventBus.ts';
import { MySqlAgentConfigStore } from '../server/src/calls/AgentConfigStore.ts';
import { CallRecorder } from '../server/src/calls/CallRecorder.ts';
import { openOrm } from '../server/src/db/orm.ts';
import { DeepSeekExtractor } from '../server/src/extraction/DeepSeekExtractor.ts';
import { ExtractionJobQueue } from '../server/src/extraction/jobs/ExtractionJobQueue.ts';
import { ExtractionWorker } from '../server/src/extraction/jobs/ExtractionWorker.ts';
import { createLogger } from '../server/src/log.ts';
import { FakeChatCompletions } from '../test/helpers/fakeChatCompletions.ts';
import { PIZZA_RESULT } from '../test/helpers/pizzaCall.ts';

const CALLS = Number(process.env.CALLS ?? 20);
const SEGMENTS = Number(process.env.SEGMENTS ?? 40);
const JOBS = Number(process.env.JOBS ?? 100);
const WORKERS = Number(process.env.WORKERS ?? 2);
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'call-records.json');

const progress = (message: string) => process.stderr.write(`[bench:calls] ${message}\n`);

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1) ?? 0) };
}

async function main(): Promise<void> {
  // stdout carries only the result line; components log errors only (LOG_LEVEL=info to see everything).
  const logger = createLogger('bench');
  logger.level = process.env.LOG_LEVEL ?? 'error';
  const dbName = `vr_bench_${randomBytes(4).toString('hex')}`;
  const orm = await openOrm(
    {
      host: process.env.DB_HOST ?? '127.0.0.1',
      port: Number(process.env.DB_PORT ?? 3306),
      user: process.env.DB_USER ?? 'root',
      password: process.env.DB_PASSWORD ?? '',
      dbName,
    },
    { pool: { min: 1, max: 10 } },
  );
  const fake = await new FakeChatCompletions({ fallback: { kind: 'reply', content: PIZZA_RESULT } }).start();
  try {
    await orm.migrator.up();
    const store = new MySqlAgentConfigStore(orm);
    await store.seedDefaults();
    const queue = new ExtractionJobQueue(orm, { maxAttempts: 3, backoff: { baseMs: 50, maxMs: 500 } });
    const bus = new CallEventBus((event, error) => progress(`listener error on ${event}: ${String(error)}`));
    const recorder = new CallRecorder({ orm, bus, agentConfigs: store, extractionQueue: queue, logger });
    recorder.start();

    progress(`recorder: ${CALLS} calls x ${SEGMENTS} segments`);
    const calls = await Promise.all(
      Array.from({ length: CALLS }, (_, i) => recorder.startCall({ displayName: `caller ${i}` })),
    );
    const emitLatency: number[] = [];
    const started = performance.now();
    for (let s = 0; s < SEGMENTS; s++) {
      await Promise.all(
        calls.map(async ({ roomId }) => {
          const at = performance.now();
          bus.emit('transcript', {
            roomId,
            segmentId: `s${s}`,
            speaker: s % 2 ? 'customer' : 'agent',
            text: `turn ${s}: two large pepperoni pizzas to 12 Oak Street, call 415 555 ${1000 + s}`,
            final: true,
            startMs: s * 2000,
            endMs: s * 2000 + 1500,
            interrupted: false,
          });
          if (s % 2 === 0) {
            bus.emit('turn.metrics', {
              roomId,
              turn: s / 2,
              eouMs: 300,
              asrFinalMs: 120,
              dialogFirstTokenMs: 5,
              ttsFirstAudioMs: 60,
              voiceToVoiceMs: 550,
              interrupted: false,
            });
          }
          await recorder.idle();
          emitLatency.push(performance.now() - at);
        }),
      );
    }
    await recorder.idle();
    const recorderSeconds = (performance.now() - started) / 1000;

    progress(`extraction: ${JOBS} jobs, ${WORKERS} workers`);
    const extractor = new DeepSeekExtractor({ baseUrl: fake.baseUrl, model: 'deepseek-chat', apiKey: 'k' });
    const workers = Array.from(
      { length: WORKERS },
      () => new ExtractionWorker({ orm, queue, extractor, pollIntervalMs: 20, logger }),
    );
    const enqueuedAt = new Map<string, number>();
    const jobLatency: number[] = [];
    let retries = 0;
    const allDone = new Promise<void>((resolve) => {
      for (const worker of workers) {
        worker.on('succeeded', (e) => {
          jobLatency.push(performance.now() - (enqueuedAt.get(e.callId) ?? 0));
          if (jobLatency.length === JOBS) resolve();
        });
        worker.on('failed', (e) => progress(`job ${e.jobId} failed: ${e.reason}`));
        worker.on('retrying', (e) => {
          retries += 1;
          progress(`job ${e.jobId} attempt ${e.attempts} will be retried: ${e.reason}`);
        });
      }
    });
    const jobCalls = await Promise.all(
      Array.from({ length: JOBS }, async (_, i) => {
        const call = await recorder.startCall({ displayName: `job ${i}` });
        bus.emit('transcript', {
          roomId: call.roomId,
          segmentId: 'a',
          speaker: 'customer',
          text: 'Two large pepperoni pizzas and a coke, for Anna at 12 Oak Street.',
          final: true,
          startMs: 0,
          endMs: 2000,
          interrupted: false,
        });
        return call;
      }),
    );
    await recorder.idle();
    const queueStarted = performance.now();
    for (const worker of workers) worker.start();
    for (const call of jobCalls) {
      enqueuedAt.set(call.callId, performance.now());
      bus.emit('room.closed', { roomId: call.roomId, reason: 'hangup' });
    }
    await recorder.idle();
    for (const worker of workers) worker.notify();
    await allDone;
    const queueSeconds = (performance.now() - queueStarted) / 1000;
    await Promise.all(workers.map((w) => w.stop()));
    await recorder.stop();
    const counts = await queue.counts();

    const result = {
      recorder: {
        calls: CALLS,
        segments: CALLS * SEGMENTS,
        segments_per_s: Math.round((CALLS * SEGMENTS) / recorderSeconds),
        segment_write_ms: stats(emitLatency),
      },
      extraction_queue: {
        jobs: JOBS,
        workers: WORKERS,
        jobs_per_s: Math.round((JOBS / queueSeconds) * 10) / 10,
        hangup_to_order_ms: stats(jobLatency),
        succeeded: counts.succeeded,
        retried_attempts: retries,
        lost: JOBS - counts.succeeded - counts.failed,
      },
    };
    await mkdir(path.dirname(RESULTS), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await fake.stop();
    await orm.em.getConnection().execute(`drop database if exists \`${dbName}\``);
    await orm.close(true);
  }
}

await main();
