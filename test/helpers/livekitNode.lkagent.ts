/**
 * A real livekit-server node for the agent worker's LiveKit tests and bench:livekit (a minimal launcher until the
 * shared test/helpers/livekit.ts lands; the lead unifies them). The binary is the one scripts/livekit/install.sh
 * builds. Ports are given by the caller (lk-agent's range: 7890-7899, UDP 51000-51999) so parallel files never
 * collide; keys are generated per node.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';

export const LIVEKIT_VERSION = 'v1.13.5';

export function liveKitServerBinary(): string {
  const cache = process.env.VOICEROOM_CACHE_DIR ?? path.join(homedir(), '.cache', 'voiceroom');
  const binary = path.join(cache, 'go', `livekit-server-${LIVEKIT_VERSION}`, 'bin', 'server');
  if (!existsSync(binary))
    throw new Error(
      `livekit-server ${LIVEKIT_VERSION} is not installed at ${binary}; run scripts/livekit/install.sh`,
    );
  return binary;
}

export interface LiveKitNodeOptions {
  /** HTTP/WebSocket port; the RTC TCP port is port + 1. */
  port: number;
  /** UDP range for WebRTC media, inclusive. */
  rtcPortRange: [number, number];
  /** A shared Redis (host:port and database): nodes on the same Redis database form a cluster. */
  redis?: { address: string; db: number };
  /** Serve Prometheus metrics on this port. */
  prometheusPort?: number;
  keys?: { apiKey: string; apiSecret: string };
}

export interface LiveKitNode {
  url: string;
  apiKey: string;
  apiSecret: string;
  process: ChildProcess;
  /** A token for `identity` in `room` with the given grants (publish and subscribe by default). */
  token(room: string, identity: string, options?: { metadata?: string; grant?: VideoGrant }): Promise<string>;
  stop(): Promise<void>;
}

export async function startLiveKitNode(options: LiveKitNodeOptions): Promise<LiveKitNode> {
  const apiKey = options.keys?.apiKey ?? `key${randomBytes(6).toString('hex')}`;
  const apiSecret = options.keys?.apiSecret ?? randomBytes(32).toString('hex');
  const config = [
    `port: ${options.port}`,
    'bind_addresses: ["127.0.0.1"]',
    'rtc:',
    `  tcp_port: ${options.port + 1}`,
    `  port_range_start: ${options.rtcPortRange[0]}`,
    `  port_range_end: ${options.rtcPortRange[1]}`,
    '  use_external_ip: false',
    '  node_ip: 127.0.0.1',
    ...(options.redis ? ['redis:', `  address: ${options.redis.address}`, `  db: ${options.redis.db}`] : []),
    ...(options.prometheusPort ? [`prometheus_port: ${options.prometheusPort}`] : []),
    'keys:',
    `  ${apiKey}: ${apiSecret}`,
    'logging:',
    '  level: warn',
  ].join('\n');
  const child = spawn(liveKitServerBinary(), ['--config-body', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const httpUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`livekit-server exited with ${child.exitCode} while starting: ${output}`);
    const ok = await fetch(httpUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`livekit-server did not answer on ${httpUrl} within 15 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `ws://127.0.0.1:${options.port}`,
    apiKey,
    apiSecret,
    process: child,
    async token(room, identity, tokenOptions = {}) {
      const token = new AccessToken(apiKey, apiSecret, {
        identity,
        ttl: '1h',
        ...(tokenOptions.metadata ? { metadata: tokenOptions.metadata } : {}),
      });
      token.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true, ...tokenOptions.grant });
      return token.toJwt();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
