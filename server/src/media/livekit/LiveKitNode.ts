import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, type Logger } from '../../log.ts';
import { type LiveKitNodeConfig, liveKitServerBinary, renderNodeConfig } from './nodeConfig.ts';

export interface LiveKitNodeOptions extends LiveKitNodeConfig {
  /** The livekit-server binary (default: where scripts/livekit/install.sh puts it). */
  binary?: string;
  /** How long the node may take to answer on its port (default 20 s). */
  readyTimeoutMs?: number;
  logger?: Logger;
}

export interface LiveKitNodeEvents {
  /** The process ended (stop(), kill() or a crash). */
  exit: [info: { code: number | null; signal: NodeJS.Signals | null }];
}

const OUTPUT_KEPT = 20_000;

/**
 * One livekit-server process with a generated configuration (keys, ports, optional Redis and webhook URLs).
 * `start()` resolves once the node answers on its port; `stop()` ends it gracefully, `kill()` abruptly (tests of a
 * node dying). The last 20 kB of its output are kept for error messages.
 */
export class LiveKitNode extends EventEmitter<LiveKitNodeEvents> {
  readonly #config: LiveKitNodeConfig;
  readonly #child: ChildProcess;
  readonly #log: Logger;
  #output = '';
  #nodeId: string | undefined;
  #exited: Promise<void>;
  #running = true;

  private constructor(config: LiveKitNodeConfig, child: ChildProcess, dir: string, log: Logger) {
    super();
    this.#config = config;
    this.#child = child;
    this.#log = log;
    const append = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-OUTPUT_KEPT);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#running = false;
        const level = signal === 'SIGTERM' || code === 0 ? 'info' : 'warn';
        this.#log[level]({ code, signal }, 'livekit-server exited');
        void rm(dir, { recursive: true, force: true });
        this.emit('exit', { code, signal });
        resolve();
      });
    });
  }

  /** Starts a node and waits until it serves requests; throws with its output when it exits or times out first. */
  static async start(options: LiveKitNodeOptions): Promise<LiveKitNode> {
    const binary = options.binary ?? liveKitServerBinary();
    if (!existsSync(binary)) {
      throw new Error(
        `livekit-server not found at ${binary}: run scripts/livekit/install.sh (needs Go; 5-10 min the first time) ` +
          'or set LIVEKIT_SERVER_BIN.',
      );
    }
    const log = options.logger ?? createLogger('livekit.node', { port: options.port });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'voiceroom-livekit-'));
    const configFile = path.join(dir, 'livekit.yaml');
    await writeFile(configFile, renderNodeConfig(options), { mode: 0o600 });
    const child = spawn(binary, ['--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const node = new LiveKitNode(options, child, dir, log);
    try {
      await node.#untilReady(options.readyTimeoutMs ?? 20_000);
      node.#nodeId = /"nodeID":"([^"]+)"/.exec(node.#output)?.[1];
    } catch (error) {
      await node.kill();
      throw error;
    }
    log.info({ url: node.url, pid: child.pid, cluster: options.redis !== undefined }, 'livekit-server ready');
    return node;
  }

  /** WebSocket URL clients, agents and RoomServiceClient use. */
  get url(): string {
    return `ws://127.0.0.1:${this.#config.port}`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.#config.port}`;
  }

  get port(): number {
    return this.#config.port;
  }

  /** Where the node serves Prometheus metrics, when configured with a `prometheusPort`. */
  get metricsUrl(): string | undefined {
    const port = this.#config.prometheusPort;
    return port === undefined ? undefined : `http://127.0.0.1:${port}/metrics`;
  }

  /** LiveKit's id of this node (ND_…), as in Redis's room -> node map; from its start-up log. */
  get nodeId(): string | undefined {
    return this.#nodeId;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#running;
  }

  /** The process's recent output (JSON log lines), for failure messages. */
  get output(): string {
    return this.#output;
  }

  /** Graceful stop (SIGTERM: LiveKit closes its rooms), SIGKILL after `timeoutMs` (it may wait for its rooms). */
  async stop(timeoutMs = 3_000): Promise<void> {
    if (!this.#running) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Abrupt death (SIGKILL), as when a machine fails: nothing is closed cleanly. */
  async kill(): Promise<void> {
    if (!this.#running) return;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  async #untilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.#running)
        throw new Error(`livekit-server exited during start:\n${this.#output.slice(-3_000)}`);
      const ok = await fetch(this.httpUrl, { signal: AbortSignal.timeout(1_000) })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
      `livekit-server on port ${this.#config.port} not ready within ${timeoutMs} ms:\n${this.#output.slice(-3_000)}`,
    );
  }
}
