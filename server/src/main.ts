import { startServer } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';

const log = createLogger('main');

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
  log.fatal(
    { err: error },
    `server failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
