import { Redis } from 'ioredis';
import { LiveKitNode } from './LiveKitNode.ts';
import type { LiveKitNodeConfig } from './nodeConfig.ts';

export interface LocalLiveKitOptions {
  /** How many nodes (1: standalone unless `redis` is given; more: a cluster sharing `redis`). */
  nodes: number;
  /** Node i listens on basePort + i. */
  basePort: number;
  /** Node i's UDP media range starts at rtcBasePort + i * rtcPortsPerNode. */
  rtcBasePort: number;
  rtcPortsPerNode?: number;
  keys: { apiKey: string; apiSecret: string };
  /**
   * The Redis the nodes share (required for more than one node). LiveKit has no key prefix: give the cluster a Redis
   * database of its own, which is flushed at start so that nodes of an earlier run are not taken as alive.
   */
  redis?: { url: string; db: number };
  webhookUrls?: readonly string[];
  /** Address announced to clients and the signaling bind address (default 127.0.0.1: this machine only). */
  nodeIp?: string;
  emptyTimeoutS?: number;
  departureTimeoutS?: number;
  /** Node i serves Prometheus metrics on prometheusBasePort + i (default: no metrics port). */
  prometheusBasePort?: number;
  binary?: string;
}

export interface LocalLiveKit {
  /** The first node's URL (any node serves any room of the cluster). */
  url: string;
  apiKey: string;
  apiSecret: string;
  nodes: LiveKitNode[];
  /** Cluster only: the node hosting a room (LiveKit's placement, from Redis), undefined before it is placed. */
  nodeOf(roomId: string): Promise<LiveKitNode | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts livekit-server nodes on this machine (development, tests, `npm run start:livekit`). With Redis they form
 * one cluster: resolves once every node has registered there, so rooms may land on any of them.
 */
export async function startLocalLiveKit(options: LocalLiveKitOptions): Promise<LocalLiveKit> {
  if (options.nodes > 1 && !options.redis) throw new Error('a LiveKit cluster needs a shared Redis');
  const perNode = options.rtcPortsPerNode ?? 200;
  let redis: Redis | undefined;
  let redisAddress: string | undefined;
  if (options.redis) {
    redis = new Redis(options.redis.url, {
      db: options.redis.db,
      lazyConnect: true,
      maxRetriesPerRequest: 2,
    });
    await redis.connect();
    await redis.flushdb();
    redisAddress = `${redis.options.host}:${redis.options.port}`;
  }
  const nodes: LiveKitNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    redis?.disconnect();
  };
  try {
    for (let i = 0; i < options.nodes; i++) {
      const config: LiveKitNodeConfig & { binary?: string } = {
        port: options.basePort + i,
        rtcPortRange: [options.rtcBasePort + i * perNode, options.rtcBasePort + (i + 1) * perNode - 1],
        keys: options.keys,
        ...(redis && redisAddress && options.redis
          ? { redis: { address: redisAddress, db: options.redis.db } }
          : {}),
        ...(options.webhookUrls ? { webhookUrls: options.webhookUrls } : {}),
        ...(options.nodeIp ? { nodeIp: options.nodeIp, bindAddress: '0.0.0.0' } : {}),
        ...(options.emptyTimeoutS !== undefined ? { emptyTimeoutS: options.emptyTimeoutS } : {}),
        ...(options.departureTimeoutS !== undefined ? { departureTimeoutS: options.departureTimeoutS } : {}),
        ...(options.prometheusBasePort !== undefined
          ? { prometheusPort: options.prometheusBasePort + i }
          : {}),
        ...(options.binary ? { binary: options.binary } : {}),
      };
      nodes.push(await LiveKitNode.start(config));
    }
    if (redis) await untilRegistered(redis, options.nodes, 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const first = nodes[0];
  if (!first) throw new Error('startLocalLiveKit needs at least one node');
  return {
    url: first.url,
    apiKey: options.keys.apiKey,
    apiSecret: options.keys.apiSecret,
    nodes,
    async nodeOf(roomId) {
      if (!redis) return nodes.length === 1 ? first : undefined;
      const nodeId = await redis.hget('room_node_map', roomId);
      return nodes.find((n) => n.nodeId !== undefined && n.nodeId === nodeId);
    },
    stop,
  };
}

/** LiveKit's router keeps one entry per live node in the `nodes` hash. */
async function untilRegistered(redis: Redis, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const registered = await redis.hlen('nodes');
    if (registered >= count) return;
    if (Date.now() > deadline)
      throw new Error(
        `only ${registered} of ${count} LiveKit nodes registered in Redis within ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
