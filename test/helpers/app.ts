import { randomBytes } from 'node:crypto';
import { type RunningServer, type StartServerOptions, startServer } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { openOrm } from '../../server/src/db/orm.ts';
import { startAgentWorkerProcess, stopAgentWorkerProcess } from './agentWorkerProcess.ts';

export interface TestAppOptions extends StartServerOptions {
  /** Start an agent worker process registered with the server (default false). */
  agent?: false | { pipeline?: 'voice' | 'echo'; capacity?: number; env?: Record<string, string> };
  /** Extra server environment (DEEPSEEK_BASE_URL, ...). */
  env?: Record<string, string>;
}

export interface TestApp {
  server: RunningServer;
  url: string;
  dbName: string;
  /** The agent worker's combined output so far (for failure messages). */
  agentOutput(): string;
  close(): Promise<void>;
}

/**
 * The whole product for end-to-end tests: the real server (fresh database, ephemeral port, one mediasoup worker,
 * random JWT secret) and, when asked, a real agent worker process connected to it.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dbName = `vr_e2e_${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DB_NAME: dbName,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MEDIASOUP_WORKERS: '1',
    // Test servers share the machine's Redis: per-account login locks and call budgets stay per test app.
    REDIS_KEY_PREFIX: `${dbName}:`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...options.env,
  });
  const server = await startServer(config, options);
  const agent = options.agent
    ? await startAgentWorkerProcess(server, {
        pipeline: options.agent.pipeline ?? 'voice',
        capacity: options.agent.capacity ?? 4,
        ...(options.agent.env ? { env: options.agent.env } : {}),
      }).catch(async (error: unknown) => {
        await server.close();
        throw error;
      })
    : undefined;
  return {
    server,
    url: server.url,
    dbName,
    agentOutput: () => agent?.output() ?? '',
    async close() {
      if (agent) await stopAgentWorkerProcess(agent);
      await server.close();
      const orm = await openOrm(config.db);
      try {
        await orm.em.getConnection().execute(`drop database if exists \`${dbName}\``);
      } finally {
        await orm.close(true);
      }
    },
  };
}
