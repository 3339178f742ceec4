/**
 * The system under load: the real server and agent worker(s) as separate processes (so /proc gives each its own
 * CPU and memory), on a fresh database, with rate limits set for one load source; or an existing server at
 * BASE_URL (then nothing is started and per-process figures are left out). LOAD_AGENT_CPU_PROFILE_DIR=<dir> starts
 * the agent workers with `node --cpu-prof` (a .cpuprofile each, written when they exit at close()).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../server/src/config.ts';
import { descendants } from './procStats.ts';

const run = promisify(execFile);

export interface StackOptions {
  /** Calls the agent workers take at once, over all of them. */
  agentCapacity: number;
  /** Agent worker processes (default: as `npm start`, AGENT_WORKER_PROCESSES or one per core). */
  agentWorkers?: number;
  mediasoupWorkers?: number;
  /** Start no agent worker (sfu mode). */
  noAgent?: boolean;
  /** An existing server to load instead of starting one (the commands pass BASE_URL). */
  existingBaseUrl?: string | undefined;
}

export interface Stack {
  baseUrl: string;
  /** Only when this process started the server. */
  pids?: { server: number; agentWorkers: number[]; mediasoupWorkers(): number[] };
  dbName?: string;
  /** The server's and agent workers' last output (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

/** Rate limits and abuse caps for a load test whose every caller comes from 127.0.0.1. */
export const ONE_SOURCE_LIMITS: Record<string, string> = {
  RATE_LIMIT_LOGIN: '0/60',
  RATE_LIMIT_START_CALL: '0/60',
  RATE_LIMIT_START_CALL_GLOBAL: '0/60',
  MAX_CONNECTIONS_PER_ADDRESS: '100000',
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** How many agent worker processes `npm start` runs here: AGENT_WORKER_PROCESSES, else one per core. */
export function agentWorkerProcesses(): number {
  const raw = process.env.AGENT_WORKER_PROCESSES;
  if (raw === undefined || raw === '') return availableParallelism();
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`AGENT_WORKER_PROCESSES must be a whole number of at least 1, got "${raw}"`);
  return count;
}

/** Parses Prometheus text into `name{labels}` -> value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

export async function readMetrics(baseUrl: string): Promise<Map<string, number>> {
  const headers: Record<string, string> = process.env.METRICS_TOKEN
    ? { authorization: `Bearer ${process.env.METRICS_TOKEN}` }
    : {};
  const response = await fetch(new URL('/metrics', baseUrl), { headers });
  if (!response.ok)
    throw new Error(`GET /metrics answered ${response.status}; set METRICS_TOKEN if the server needs one`);
  return parseMetrics(await response.text());
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline)
      throw new Error(`${what} within ${timeoutMs / 1000} s; last output: ${output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const given = options.existingBaseUrl;
  if (given) return { baseUrl: given.replace(/\/$/, ''), output: () => '', close: async () => undefined };
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dbName = `vr_load_${randomBytes(5).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...ONE_SOURCE_LIMITS,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    DB_NAME: dbName,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MEDIASOUP_WORKERS: String(options.mediasoupWorkers ?? 1),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    AGENT_MAX_DISPATCHES_PER_CALL: '1000',
  };
  let output = '';
  let agentsReady = 0;
  const children: ChildProcess[] = [];
  const launch = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => {
      const text = chunk.toString();
      agentsReady += text.split('agent worker ready').length - 1;
      output = (output + text).slice(-20_000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    children.push(child);
    return child;
  };
  const close = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // a profiled worker first writes its profile
      const graceMs = process.env.LOAD_AGENT_CPU_PROFILE_DIR ? 60_000 : 8_000;
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await run('mariadb', [
      '-h',
      env.DB_HOST ?? '127.0.0.1',
      '-u',
      env.DB_USER ?? 'root',
      '-e',
      `drop database if exists \`${dbName}\``,
    ]).catch(() => undefined);
  };
  try {
    await run('mariadb', [
      '-h',
      env.DB_HOST ?? '127.0.0.1',
      '-u',
      env.DB_USER ?? 'root',
      '-e',
      `create database \`${dbName}\``,
    ]);
    const server = launch([path.join('server', 'src', 'main.ts')]);
    await waitFor(
      'the server did not answer /healthz',
      async () => (await fetch(`${baseUrl}/healthz`)).ok,
      60_000,
      () => output,
    );
    const agentWorkers: number[] = [];
    if (!options.noAgent) {
      const { stdout } = await run(
        process.execPath,
        [path.join('server', 'src', 'auth', 'cli.ts'), 'service-token', '--name', 'load-agent'],
        {
          cwd: REPO_ROOT,
          env: { ...env, LOG_LEVEL: 'error' },
        },
      );
      const token = stdout.trim().split('\n').at(-1) ?? '';
      const count = options.agentWorkers ?? agentWorkerProcesses();
      for (let i = 0; i < count; i++) {
        const profile = process.env.LOAD_AGENT_CPU_PROFILE_DIR
          ? [
              '--cpu-prof',
              '--cpu-prof-interval=2000',
              `--cpu-prof-dir=${process.env.LOAD_AGENT_CPU_PROFILE_DIR}`,
            ]
          : [];
        const worker = launch(
          [...profile, '--max-semi-space-size=2', path.join('agent-worker', 'src', 'main.ts')],
          {
            SERVER_URL: baseUrl,
            AGENT_SERVICE_TOKEN: token,
            AGENT_NAME: `load-agent-${i + 1}`,
            AGENT_CAPACITY: String(Math.ceil(options.agentCapacity / count)),
            // its "agent worker ready" line says it registered (info level; the rest of its log stays quiet)
            LOG_LEVEL: 'info',
          },
        );
        agentWorkers.push(worker.pid as number);
      }
      await waitFor(
        'the agent workers did not register',
        async () => agentsReady === count,
        90_000,
        () => output,
      );
    }
    const serverPid = server.pid as number;
    return {
      baseUrl,
      dbName,
      pids: {
        server: serverPid,
        agentWorkers,
        mediasoupWorkers: () =>
          descendants(serverPid)
            .filter((p) => p.comm.startsWith('mediasoup'))
            .map((p) => p.pid),
      },
      output: () => output,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
