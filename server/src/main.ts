import { startServer } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';

const log = createLogger('main');

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  let stopping = false;
  const exitWhenDone = (done: Promise<void>) =>
    done.then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal while draining: closing the live calls now');
      server.registry.close('server_shutdown');
      exitWhenDone(server.close());
      return;
    }
    stopping = true;
    log.info({ signal, drainTimeoutS: config.drainTimeoutS }, 'shutting down');
    const forceAfterS = config.drainTimeoutS + 10;
    const force = setTimeout(() => {
      log.error(`shutdown took over ${forceAfterS} s; exiting`);
      process.exit(1);
    }, forceAfterS * 1000);
    force.unref();
    exitWhenDone(server.drain(config.drainTimeoutS * 1000));
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
