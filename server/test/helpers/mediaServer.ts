import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RoomRole } from '@voiceroom/protocol';
import { TokenService } from '../../src/auth/TokenService.ts';
import { CallEventBus } from '../../src/CallEventBus.ts';
import { RoomRegistry } from '../../src/media/RoomRegistry.ts';
import { WorkerPool } from '../../src/media/WorkerPool.ts';
import type { CopilotAudit, CopilotController } from '../../src/signaling/CopilotRequests.ts';
import {
  attachSignaling,
  type SignalingLimits,
  type SignalingServer,
} from '../../src/signaling/SignalingServer.ts';

export interface MediaServerOptions {
  numWorkers?: number;
  reconnectGraceMs?: number;
  emptyRoomGraceMs?: number;
  rateLimit?: { burst: number; perSecond: number };
  maxPayloadBytes?: number;
  limits?: Partial<SignalingLimits>;
  /** The AI side for co-pilot hints and takeovers, and the audit sink (both optional). */
  copilot?: CopilotController;
  audit?: CopilotAudit;
  /** Serves everything that is not socket.io (e.g. a test page); default 404. */
  onRequest?: http.RequestListener;
}

export interface MediaServer {
  /** http://127.0.0.1:<port>; signaling is at `${url}/rtc`. */
  url: string;
  tokens: TokenService;
  registry: RoomRegistry;
  bus: CallEventBus;
  pool: WorkerPool;
  signaling: SignalingServer;
  /** A room token for a participant (identity defaults to a fresh guest id). */
  roomToken(options: {
    room: string;
    role?: RoomRole;
    listenOnly?: boolean;
    identity?: string;
    name?: string;
  }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real media server for tests (before and apart from the full app): HTTP + socket.io /rtc signaling + a
 * mediasoup worker pool on an ephemeral port, with its own TokenService (random secret).
 */
export async function startMediaServer(options: MediaServerOptions = {}): Promise<MediaServer> {
  const tokens = new TokenService({
    secret: randomBytes(32).toString('hex'),
    issuer: 'voiceroom-test',
    accessTtlS: 900,
    roomTtlS: 3600,
  });
  const bus = new CallEventBus();
  const pool = await WorkerPool.create({ numWorkers: options.numWorkers ?? 1 });
  const registry = new RoomRegistry({
    pool,
    bus,
    network: { listenIp: '127.0.0.1', rtcMinPort: 40_000, rtcMaxPort: 49_999 },
    ...(options.emptyRoomGraceMs !== undefined ? { emptyRoomGraceMs: options.emptyRoomGraceMs } : {}),
  });
  const httpServer = http.createServer(
    options.onRequest ??
      ((_req, res) => {
        res.statusCode = 404;
        res.end();
      }),
  );
  const signaling = attachSignaling({
    httpServer,
    registry,
    tokens,
    bus,
    ...(options.reconnectGraceMs !== undefined ? { reconnectGraceMs: options.reconnectGraceMs } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.maxPayloadBytes ? { maxPayloadBytes: options.maxPayloadBytes } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.copilot ? { copilot: options.copilot } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  let guest = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    registry,
    bus,
    pool,
    signaling,
    async roomToken({ room, role = 'customer', listenOnly = false, identity, name }) {
      const id = identity ?? `guest:${++guest}-${randomBytes(3).toString('hex')}`;
      return (await tokens.issueRoomToken({ identity: id, name: name ?? id, room, role, listenOnly })).token;
    },
    async close() {
      const closing = signaling.close();
      // socket.io's close waits for every HTTP connection to end, and a browser's idle or preconnected socket (one that
      // never sent a request) ends only when the browser drops it: cut them now, as the app's own close does
      httpServer.closeAllConnections();
      await closing;
      registry.close();
      pool.close();
    },
  };
}
