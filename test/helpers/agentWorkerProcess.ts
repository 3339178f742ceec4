import path from 'node:path';
import type { RunningServer } from '../../server/src/app.ts';
import { REPO_ROOT } from '../../server/src/config.ts';
import { type RunningProcess, startNodeProcess } from '../../server/test/helpers/childProcess.ts';

export interface AgentWorkerProcessOptions {
  /** AGENT_NAME: how the gateway lists it (default e2e-agent). */
  name?: string;
  pipeline?: 'voice' | 'echo';
  capacity?: number;
  env?: Record<string, string>;
}

/**
 * A real agent worker process (agent-worker/src/main.ts) with a fresh service token, launched the way
 * scripts/start.sh and docker/compose.yaml launch it (small young generation, see README); resolves once it has
 * registered with `server`, rejects if it exits or does not register within 60 s.
 */
export async function startAgentWorkerProcess(
  server: RunningServer,
  options: AgentWorkerProcessOptions = {},
): Promise<RunningProcess> {
  const name = options.name ?? 'e2e-agent';
  const { token } = await server.tokens.issueServiceToken(name, 3600);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const worker = startNodeProcess(
    ['--max-semi-space-size=2', path.join(REPO_ROOT, 'agent-worker', 'src', 'main.ts')],
    {
      ...inherited,
      SERVER_URL: server.url,
      AGENT_SERVICE_TOKEN: token,
      AGENT_NAME: name,
      AGENT_PIPELINE: options.pipeline ?? 'voice',
      AGENT_CAPACITY: String(options.capacity ?? 4),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // closing must not wait for live calls to drain
      AGENT_DRAIN_TIMEOUT_S: '0',
      ...options.env,
    },
  );
  let exitCode: number | null | undefined;
  void worker.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + 60_000;
  while (!server.gateway.workers.some((w) => w.name === name)) {
    if (exitCode !== undefined) throw new Error(`agent worker exited (${exitCode}): ${worker.output()}`);
    if (Date.now() > deadline) {
      worker.signal('SIGKILL');
      throw new Error(`agent worker did not register within 60 s: ${worker.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return worker;
}

/** Stops a worker started above: SIGTERM, SIGKILL after 3 s. */
export async function stopAgentWorkerProcess(worker: RunningProcess): Promise<void> {
  let exited = false;
  const done = worker.exited.then(() => {
    exited = true;
  });
  worker.signal('SIGTERM');
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 3000))]);
  if (!exited) worker.signal('SIGKILL');
}
