import { randomBytes } from 'node:crypto';
import type { LiveKitParticipantMetadata } from '@voiceroom/protocol';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';
import { type LocalLiveKit, startLocalLiveKit } from '../../server/src/media/livekit/localLiveKit.ts';

/**
 * Real livekit-server processes for tests and benchmarks (binary from scripts/livekit/install.sh), started through
 * server/src/media/livekit/localLiveKit.ts like `npm run start:livekit`. Every start generates its own API key and
 * secret unless given the keys of a node it replaces. Port ranges must not collide between files that may run at
 * the same time (UDP ranges inclusive):
 * - server/test/media/livekit: 7880-7885, UDP 50000-50799 (the cluster test 7884-7885, UDP 50400-50799);
 * - agent-worker/test: 7890-7899, UDP 51000-51999;
 * - sdk-js/test and the call page tests: 7900-7909, UDP 52000-52999;
 * - bench:livekit 7910-7915, UDP 53000-53399; bench:join 7916, UDP 53400-53599;
 * - test/e2e/customerCall.e2e.test.ts 7920, UDP 53600-53799; bench:livekit:cluster 7886-7887, UDP 53800-54199;
 * - bench:peer 7922, UDP 54200-54399.
 */
export function testLiveKitKeys(): { apiKey: string; apiSecret: string } {
  return { apiKey: `key${randomBytes(6).toString('hex')}`, apiSecret: randomBytes(32).toString('hex') };
}

export interface TestTokenOptions {
  room: string;
  identity: string;
  /** The participant metadata our control plane puts in its tokens (its `name` is the display name too). */
  metadata?: LiveKitParticipantMetadata;
  /** Defaults: join `room`, publish and subscribe. */
  grant?: Omit<VideoGrant, 'room' | 'roomJoin'>;
}

export interface TestLiveKit extends LocalLiveKit {
  /** A participant token signed with the node's keys, as a test stands in for the control plane. */
  token(options: TestTokenOptions): Promise<string>;
  /** Kills every node at once (SIGKILL, no graceful drain), as a crashed machine. */
  kill(): Promise<void>;
}

export interface TestLiveKitNodeOptions {
  port: number;
  /** Inclusive UDP range for media. */
  rtcPortRange: readonly [number, number];
  /** Join a cluster through this Redis database (flushed at start: give each cluster its own). */
  redis?: { url?: string; db: number };
  /** Reuse these keys (a node started again in place of a killed one); default fresh ones. */
  keys?: { apiKey: string; apiSecret: string };
  webhookUrl?: string;
  /** Seconds an empty room lives (default 300); tests of room_finished shorten it. */
  emptyTimeoutS?: number;
  departureTimeoutS?: number;
}

/** One standalone node (or a one-node cluster with `redis`). */
export async function startLiveKitNode(options: TestLiveKitNodeOptions): Promise<TestLiveKit> {
  const [start, end] = options.rtcPortRange;
  return forTests(
    await startLocalLiveKit({
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
    }),
  );
}

export interface TestLiveKitClusterOptions {
  /** Node i listens on basePort + i (default 7884). */
  basePort?: number;
  /** Node i's UDP range starts at rtcBasePort + 200 i (default 50400). */
  rtcBasePort?: number;
  /** The cluster's own Redis database, flushed at start (default 12). */
  redisDb?: number;
  webhookUrl?: string;
  /** Node i serves Prometheus metrics on prometheusBasePort + i (LiveKitNode.metricsUrl); default none. */
  prometheusBasePort?: number;
}

/** `n` nodes on this machine sharing the local Redis (a dedicated database): one LiveKit cluster. */
export async function startLiveKitCluster(
  n: number,
  options: TestLiveKitClusterOptions = {},
): Promise<TestLiveKit> {
  return forTests(
    await startLocalLiveKit({
      nodes: n,
      basePort: options.basePort ?? 7884,
      rtcBasePort: options.rtcBasePort ?? 50_400,
      rtcPortsPerNode: 200,
      keys: testLiveKitKeys(),
      redis: { url: 'redis://127.0.0.1:6379', db: options.redisDb ?? 12 },
      ...(options.webhookUrl ? { webhookUrls: [options.webhookUrl] } : {}),
      ...(options.prometheusBasePort !== undefined ? { prometheusBasePort: options.prometheusBasePort } : {}),
    }),
  );
}

function forTests(liveKit: LocalLiveKit): TestLiveKit {
  return {
    ...liveKit,
    async token({ room, identity, metadata, grant }) {
      const token = new AccessToken(liveKit.apiKey, liveKit.apiSecret, {
        identity,
        ttl: '1h',
        ...(metadata ? { name: metadata.name, metadata: JSON.stringify(metadata) } : {}),
      });
      token.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true, ...grant });
      return token.toJwt();
    },
    async kill() {
      await Promise.all(liveKit.nodes.map((node) => node.kill()));
      await liveKit.stop();
    },
  };
}
