import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type RunningServer, type StartServerOptions, startServer } from '../../server/src/app.ts';
import { loadConfig, REPO_ROOT } from '../../server/src/config.ts';
import { openOrm } from '../../server/src/db/orm.ts';

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
  let agent: ChildProcess | undefined;
  let output = '';
  if (options.agent) {
    const { token } = await server.tokens.issueServiceToken('e2e-agent', 3600);
    // Launched the way scripts/start.sh and docker/compose.yaml launch it (small young generation, see README).
    agent = spawn(
      process.execPath,
      ['--max-semi-space-size=2', path.join(REPO_ROOT, 'agent-worker', 'src', 'main.ts')],
      {
        env: {
          ...process.env,
          SERVER_URL: server.url,
          AGENT_SERVICE_TOKEN: token,
          AGENT_NAME: 'e2e-agent',
          AGENT_PIPELINE: options.agent.pipeline ?? 'voice',
          AGENT_CAPACITY: String(options.agent.capacity ?? 4),
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
          // close() must not wait for live calls to drain
          AGENT_DRAIN_TIMEOUT_S: '0',
          ...options.agent.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const append = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    agent.stdout?.on('data', append);
    agent.stderr?.on('data', append);
    const deadline = Date.now() + 60_000;
    while (server.gateway.workers.length === 0) {
      if (agent.exitCode !== null) throw new Error(`agent worker exited (${agent.exitCode}): ${output}`);
      if (Date.now() > deadline) throw new Error(`agent worker did not register within 60 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    server,
    url: server.url,
    dbName,
    agentOutput: () => output,
    async close() {
      if (agent && agent.exitCode === null) {
        const exited = new Promise((resolve) => agent?.once('exit', resolve));
        agent.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (agent.exitCode === null) agent.kill('SIGKILL');
      }
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
