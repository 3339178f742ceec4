import { randomBytes } from 'node:crypto';
import { type LocalLiveKit, startLocalLiveKit } from '../../server/src/media/livekit/localLiveKit.ts';

export type { LocalLiveKit as TestLiveKit } from '../../server/src/media/livekit/localLiveKit.ts';

/**
 * Real livekit-server processes for tests (binary from scripts/livekit/install.sh). Every call generates its own API
 * key and secret. Port ranges must not collide between test files that may run at the same time: lk-control's
 * tests use 7880-7889 / UDP 50000-50999, lk-agent's 7890-7899 / 51000-51999, lk-browser's 7900-7909 / 52000-52999.
 */
export function testLiveKitKeys(): { apiKey: string; apiSecret: string } {
  return { apiKey: `key${randomBytes(6).toString('hex')}`, apiSecret: randomBytes(32).toString('hex') };
}

export interface TestLiveKitNodeOptions {
  port: number;
  /** Inclusive UDP range for media. */
  rtcPortRange: readonly [number, number];
  /** Join a cluster through this Redis database (flushed at start: give each cluster its own). */
  redis?: { url?: string; db: number };
  keys?: { apiKey: string; apiSecret: string };
  webhookUrl?: string;
  /** Seconds an empty room lives (default 300); tests of room_finished shorten it. */
  emptyTimeoutS?: number;
  departureTimeoutS?: number;
}

/** One standalone node (or a one-node cluster with `redis`). */
export function startLiveKitNode(options: TestLiveKitNodeOptions): Promise<LocalLiveKit> {
  const [start, end] = options.rtcPortRange;
  return startLocalLiveKit({
    nodes: 1,
    basePort: options.port,
    rtcBasePort: start,
    rtcPortsPerNode: end - start + 1,
    keys: options.keys ?? testLiveKitKeys(),
    ...(options.redis
      ? { redis: { url: options.redis.url ?? 'redis://127.0.0.1:6379', db: options.redis.db } }
      : {}),
    ...(options.webhookUrl ? { webhookUrls: [options.webhookUrl] } : {}),
    ...(options.emptyTimeoutS !== undefined ? { emptyTimeoutS: options.emptyTimeoutS } : {}),
    ...(options.departureTimeoutS !== undefined ? { departureTimeoutS: options.departureTimeoutS } : {}),
  });
}

export interface TestLiveKitClusterOptions {
  /** Node i listens on basePort + i (default 7884). */
  basePort?: number;
  /** Node i's UDP range starts at rtcBasePort + 200 i (default 50400). */
  rtcBasePort?: number;
  /** The cluster's own Redis database, flushed at start (default 12). */
  redisDb?: number;
  webhookUrl?: string;
}

/** `n` nodes on this machine sharing the local Redis (a dedicated database): one LiveKit cluster. */
export function startLiveKitCluster(
  n: number,
  options: TestLiveKitClusterOptions = {},
): Promise<LocalLiveKit> {
  return startLocalLiveKit({
    nodes: n,
    basePort: options.basePort ?? 7884,
    rtcBasePort: options.rtcBasePort ?? 50_400,
    rtcPortsPerNode: 200,
    keys: testLiveKitKeys(),
    redis: { url: 'redis://127.0.0.1:6379', db: options.redisDb ?? 12 },
    ...(options.webhookUrl ? { webhookUrls: [options.webhookUrl] } : {}),
  });
}
