import os from 'node:os';
import path from 'node:path';

/** The livekit-server release the project pins (later 1.13.x carry go.mod replace directives `go install` refuses). */
export const LIVEKIT_SERVER_VERSION = 'v1.13.5';

export interface LiveKitNodeConfig {
  /** HTTP + WebSocket signaling port (clients and RoomServiceClient). */
  port: number;
  /** UDP range for WebRTC media, inclusive. */
  rtcPortRange: readonly [number, number];
  keys: { apiKey: string; apiSecret: string };
  /** Cluster mode: nodes sharing one Redis database form one cluster. Omitted: a standalone node. */
  redis?: { address: string; db: number };
  /** Where LiveKit POSTs its signed webhooks (e.g. http://127.0.0.1:3000/api/livekit/webhook). */
  webhookUrls?: readonly string[];
  /** Address announced in ICE candidates (127.0.0.1 for tests, the host's public address in production). */
  nodeIp?: string;
  /** Address the signaling port binds to. */
  bindAddress?: string;
  /** Seconds an empty room lives before LiveKit closes it (room_finished). */
  emptyTimeoutS?: number;
  /** Seconds a room lives after its last participant left. */
  departureTimeoutS?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Serve LiveKit's Prometheus metrics on this port (bench:livekit reads its packet counters). */
  prometheusPort?: number;
}

/** Where scripts/livekit/install.sh puts the binary (LIVEKIT_SERVER_BIN overrides). */
export function liveKitServerBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIVEKIT_SERVER_BIN) return env.LIVEKIT_SERVER_BIN;
  const cache = env.VOICEROOM_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'voiceroom');
  return path.join(cache, 'go', `livekit-server-${LIVEKIT_SERVER_VERSION}`, 'bin', 'server');
}

/**
 * livekit-server's configuration file for one node. JSON is valid YAML, which is what the server reads.
 * TCP fallback and TURN stay off (UDP only, loopback or a public address); they are a production choice (docs/LIVEKIT.md).
 */
export function renderNodeConfig(config: LiveKitNodeConfig): string {
  const [start, end] = config.rtcPortRange;
  if (start > end) throw new RangeError(`rtcPortRange start ${start} exceeds its end ${end}`);
  const document = {
    port: config.port,
    bind_addresses: [config.bindAddress ?? '127.0.0.1'],
    rtc: {
      port_range_start: start,
      port_range_end: end,
      tcp_port: 0,
      use_external_ip: false,
      node_ip: config.nodeIp ?? '127.0.0.1',
    },
    ...(config.redis ? { redis: { address: config.redis.address, db: config.redis.db } } : {}),
    keys: { [config.keys.apiKey]: config.keys.apiSecret },
    ...(config.webhookUrls && config.webhookUrls.length > 0
      ? { webhook: { api_key: config.keys.apiKey, urls: [...config.webhookUrls] } }
      : {}),
    room: {
      empty_timeout: config.emptyTimeoutS ?? 300,
      departure_timeout: config.departureTimeoutS ?? 20,
      // Handback unmutes the agent the server muted at takeover (RoomService mutePublishedTrack).
      enable_remote_unmute: true,
    },
    turn: { enabled: false },
    ...(config.prometheusPort !== undefined ? { prometheus_port: config.prometheusPort } : {}),
    logging: { level: config.logLevel ?? 'info', json: true },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
