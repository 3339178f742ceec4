import type { AgentConfig } from '@voiceroom/protocol';
import type { MikroORM } from '../db/orm.ts';
import { createLogger, type Logger } from '../log.ts';
import { createExtractor, type ExtractionConfig, extractorKind } from './factory.ts';
import { ExtractionJobQueue } from './jobs/ExtractionJobQueue.ts';
import { ExtractionWorker } from './jobs/ExtractionWorker.ts';

export { createExtractor, extractorKind } from './factory.ts';
export { ExtractionJobQueue } from './jobs/ExtractionJobQueue.ts';
export { ExtractionWorker } from './jobs/ExtractionWorker.ts';

export interface StartExtractionOptions {
  orm: MikroORM;
  config: ExtractionConfig;
  agentConfigs?: { get(id: string): Promise<AgentConfig | undefined> };
  logger?: Logger;
  /** Worker knobs; production uses the defaults. */
  worker?: { leaseMs?: number; pollIntervalMs?: number };
  /** False: jobs are queued but run elsewhere (a workerMain.ts process). Default true. */
  runWorker?: boolean;
}

export interface ExtractionService {
  queue: ExtractionJobQueue;
  worker: ExtractionWorker;
  /** Queues a call and wakes the worker. */
  enqueue(callId: string): Promise<number>;
  stop(): Promise<void>;
}

/** Starts post-call extraction: the durable queue and one worker using the configured extractor. */
export function startExtraction(options: StartExtractionOptions): ExtractionService {
  const logger = options.logger ?? createLogger('extraction');
  const queue = new ExtractionJobQueue(options.orm, { maxAttempts: options.config.maxAttempts });
  const worker = new ExtractionWorker({
    orm: options.orm,
    queue,
    extractor: createExtractor(options.config),
    ...(options.agentConfigs ? { agentConfigs: options.agentConfigs } : {}),
    ...options.worker,
    logger,
  });
  if (options.runWorker ?? true) {
    worker.start();
    logger.info(
      { extractor: extractorKind(options.config), owner: worker.owner },
      'extraction worker started',
    );
  }
  return {
    queue,
    worker,
    async enqueue(callId) {
      const id = await queue.enqueue(callId);
      worker.notify();
      return id;
    },
    stop: () => worker.stop(),
  };
}
