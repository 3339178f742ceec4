import { loadConfig } from '../config.ts';
import { openOrm } from '../db/orm.ts';
import { createLogger } from '../log.ts';
import { startExtraction } from './index.ts';

/**
 * A standalone extraction worker process (`node server/src/extraction/workerMain.ts`), for running extraction
 * apart from the server or on several machines: same database, same configuration variables. Jobs it holds
 * when killed are picked up again once their lease expires. EXTRACTION_LEASE_MS shortens the lease (tests).
 */
const log = createLogger('extraction');
const config = loadConfig();
const orm = await openOrm(config.db, { ensureDatabase: false });
const leaseMs = Number(process.env.EXTRACTION_LEASE_MS) || undefined;
const service = startExtraction({
  orm,
  config: config.extraction,
  logger: log,
  worker: { ...(leaseMs ? { leaseMs } : {}), pollIntervalMs: 200 },
});
service.worker.on('succeeded', (e) => log.info({ event: 'job.succeeded', ...e }, 'job succeeded'));
service.worker.on('failed', (e) => log.info({ event: 'job.failed', ...e }, 'job failed'));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping the extraction worker');
  await service.stop();
  await orm.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
