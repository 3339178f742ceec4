import type { CallEventBus } from '../CallEventBus.ts';
import type { ServerConfig } from '../config.ts';
import type { MikroORM } from '../db/orm.ts';
import { type ExtractionService, startExtraction } from '../extraction/index.ts';
import type { MetricsRegistry } from '../http/metrics.ts';
import { createLogger, type Logger } from '../log.ts';
import { RetentionSweeper } from '../privacy/RetentionSweeper.ts';
import { RecordingStore } from '../recordings/RecordingStore.ts';
import { MySqlAgentConfigStore } from './AgentConfigStore.ts';
import { CallQueries } from './CallQueries.ts';
import { CallRecorder } from './CallRecorder.ts';

export { type AgentConfigStore, MySqlAgentConfigStore } from './AgentConfigStore.ts';
export { recordAudit } from './auditLog.ts';
export { CallQueries } from './CallQueries.ts';
export { CallError, CallRecorder } from './CallRecorder.ts';

export interface CallRecordsOptions {
  orm: MikroORM;
  bus: CallEventBus;
  config: Pick<ServerConfig, 'extraction' | 'providers'> & Partial<Pick<ServerConfig, 'recordings'>>;
  /** False when extraction runs in separate worker processes (server/src/extraction/workerMain.ts). */
  runExtractionWorker?: boolean;
  logger?: Logger;
}

export interface CallRecords {
  agentConfigs: MySqlAgentConfigStore;
  recorder: CallRecorder;
  /** Reads calls for the API (list, search, one call with its transcript and metrics). */
  queries: CallQueries;
  extraction: ExtractionService;
  /** Deletes calls past their agent's privacy.retentionDays; runs at start and daily. */
  retention: RetentionSweeper;
  /** Encrypted call recordings; undefined when no RECORDING_KEYS are configured. */
  recordings: RecordingStore | undefined;
  /**
   * Every minute, ends calls active for over 10 minutes whose room is gone (the caller never joined): pass the
   * media registry's lookup, e.g. `(roomId) => registry.get(roomId) !== undefined`.
   */
  watchRooms(roomExists: (roomId: string) => boolean | Promise<boolean>): void;
  /** Adds calls_active, extraction_jobs{status} and extraction_attempts_total{outcome} to /metrics. */
  registerMetrics(metrics: MetricsRegistry): void;
  stop(): Promise<void>;
}

/**
 * Everything call records need, wired for the server's main: agent configurations in MySQL (seeded with the
 * default agent on an empty database), the recorder on the event bus (after closing calls a previous process
 * left open), the extraction worker and the retention sweeper. The HTTP API over them is composed by the server's
 * app.ts. `stop()` unsubscribes, flushes and stops the worker.
 */
export async function startCallRecords(options: CallRecordsOptions): Promise<CallRecords> {
  const logger = options.logger ?? createLogger('call-records');
  const agentConfigs = new MySqlAgentConfigStore(options.orm, { providers: options.config.providers });
  const seeded = await agentConfigs.seedDefaults();
  if (seeded.length > 0) logger.info({ agents: seeded }, 'seeded agent configurations');
  const extraction = startExtraction({
    orm: options.orm,
    config: options.config.extraction,
    agentConfigs,
    runWorker: options.runExtractionWorker ?? true,
  });
  const recorder = new CallRecorder({
    orm: options.orm,
    bus: options.bus,
    agentConfigs,
    extractionQueue: extraction.queue,
    onExtractionQueued: () => extraction.worker.notify(),
  });
  const orphaned = await recorder.closeOrphanedCalls();
  if (orphaned > 0)
    logger.warn({ calls: orphaned }, 'ended calls left active by a previous run; extraction queued');
  recorder.start();
  const keyring = options.config.recordings?.keyring;
  const recordings =
    options.config.recordings && keyring
      ? new RecordingStore({ dir: options.config.recordings.dir, keyring })
      : undefined;
  const retention = new RetentionSweeper({ orm: options.orm, agentConfigs, recordings });
  retention.start();
  let roomWatch: NodeJS.Timeout | undefined;
  return {
    agentConfigs,
    recorder,
    queries: new CallQueries(options.orm),
    extraction,
    retention,
    recordings,
    watchRooms(roomExists) {
      clearInterval(roomWatch);
      roomWatch = setInterval(() => {
        recorder
          .closeCallsWithoutRoom(roomExists)
          .then((n) => n > 0 && logger.info({ calls: n }, 'ended calls whose room is gone'))
          .catch((error: unknown) =>
            logger.error({ err: error }, 'checking for calls without a room failed'),
          );
      }, 60_000);
      roomWatch.unref();
    },
    registerMetrics(metrics) {
      metrics.gauge('calls_active', 'Calls in progress (call records with status active).', [], async () => {
        const [row] = await options.orm.em
          .fork()
          .execute<{ n: number }[]>("select count(*) as n from calls where status = 'active'");
        return Number(row?.n ?? 0);
      });
      metrics.gauge('extraction_jobs', 'Post-call extraction jobs by status.', ['status'], async () =>
        Object.entries(await extraction.queue.counts()).map(([status, value]) => ({
          labels: { status },
          value,
        })),
      );
      metrics.gauge(
        'call_events_buffered',
        'Call events (transcripts, turn metrics, ...) not yet written; grows while the database is unreachable.',
        [],
        () => recorder.bufferedEvents,
      );
      metrics.gauge(
        'call_events_dropped',
        'Call events dropped because the in-memory buffer was full during a database outage.',
        [],
        () => recorder.droppedEvents,
      );
      const attempts = metrics.counter('extraction_attempts_total', 'Extraction attempts by outcome.', [
        'outcome',
      ]);
      extraction.worker.on('succeeded', () => attempts.inc({ outcome: 'succeeded' }));
      extraction.worker.on('retrying', () => attempts.inc({ outcome: 'retrying' }));
      extraction.worker.on('failed', () => attempts.inc({ outcome: 'failed' }));
    },
    async stop() {
      clearInterval(roomWatch);
      retention.stop();
      await recorder.stop();
      await extraction.stop();
    },
  };
}
