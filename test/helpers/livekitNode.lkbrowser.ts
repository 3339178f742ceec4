/**
 * A real livekit-server node for the SDK's LiveKit tests (lk-browser's minimal launcher until the shared
 * test/helpers/livekit.ts lands): generated dev keys, loopback only, ports from the lk-browser range (7900-7909,
 * UDP 52000-52999), ready when its HTTP port answers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';

export const LIVEKIT_SERVER_BIN = path.join(
  process.env.VOICEROOM_CACHE_DIR ?? path.join(homedir(), '.cache', 'voiceroom'),
  'go',
  'livekit-server-v1.13.5',
  'bin',
  'server',
);

export interface LiveKitTestNode {
  /** ws://127.0.0.1:<port>, what clients connect to. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** A participant token for `room` (identity, name and metadata as our control plane would put them). */
  /** Kills the process at once (no graceful drain), as a crashed node. */
  kill(): Promise<void>;
  token(options: {
    room: string;
    identity: string;
    metadata: { role: string; name: string };
    grant?: Omit<VideoGrant, 'room' | 'roomJoin'>;
  }): Promise<string>;
  stop(): Promise<void>;
}

export async function startLiveKitTestNode(options: {
  port: number;
  rtcPortRange: [number, number];
  /** Reuse these keys (a node started again in place of a killed one); default fresh ones. */
  keys?: { apiKey: string; apiSecret: string };
}): Promise<LiveKitTestNode> {
  if (!existsSync(LIVEKIT_SERVER_BIN)) {
    throw new Error(`livekit-server is not installed at ${LIVEKIT_SERVER_BIN}; run scripts/setup.sh first`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'voiceroom-livekit-'));
  const apiKey = options.keys?.apiKey ?? `key${randomBytes(4).toString('hex')}`;
  const apiSecret = options.keys?.apiSecret ?? randomBytes(32).toString('hex');
  const config = [
    `port: ${options.port}`,
    'bind_addresses: ["127.0.0.1"]',
    'rtc:',
    `  port_range_start: ${options.rtcPortRange[0]}`,
    `  port_range_end: ${options.rtcPortRange[1]}`,
    `  tcp_port: ${options.port + 1}`,
    '  use_external_ip: false',
    '  node_ip: 127.0.0.1',
    'keys:',
    `  ${apiKey}: ${apiSecret}`,
    'logging:',
    '  level: warn',
    '',
  ].join('\n');
  const configFile = path.join(dir, 'livekit.yaml');
  await writeFile(configFile, config);
  const child = spawn(LIVEKIT_SERVER_BIN, ['--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    await stopProcess(child, signal);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${options.port}/`, child, 20_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nlivekit-server output:\n${output.join('')}`);
  }
  return {
    url: `ws://127.0.0.1:${options.port}`,
    apiKey,
    apiSecret,
    async token({ room, identity, metadata, grant }) {
      const token = new AccessToken(apiKey, apiSecret, {
        identity,
        name: metadata.name,
        metadata: JSON.stringify(metadata),
        ttl: '10m',
      });
      token.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true, ...grant });
      return token.toJwt();
    },
    stop: () => stop(),
    kill: () => stop('SIGKILL'),
  };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`livekit-server exited with code ${child.exitCode}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (performance.now() >= deadline)
      throw new Error(`livekit-server not ready at ${url} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
