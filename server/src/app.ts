import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createDialog } from '@voiceroom/agent-core/dialog';
import { Redis } from 'ioredis';
import type Koa from 'koa';
import { Server as SocketIoServer } from 'socket.io';
import { AgentGateway } from './agents/AgentGateway.ts';
import { registerAgentMetrics } from './agents/agentMetrics.ts';
import { refuseDemoPasswords } from './auth/productionAccounts.ts';
import { ServiceTokenRevocations } from './auth/ServiceTokenRevocations.ts';
import { SessionService } from './auth/SessionService.ts';
import { TokenService } from './auth/TokenService.ts';
import { CallEventBus } from './CallEventBus.ts';
import { recordAudit, startCallRecords } from './calls/index.ts';
import { REPO_ROOT, type ServerConfig } from './config.ts';
import { type RunningConsole, startConsole } from './console/index.ts';
import { TextConversations } from './conversations/TextConversations.ts';
import { openOrm } from './db/orm.ts';
import { untilNoRooms } from './drain.ts';
import { createHttpApp } from './http/app.ts';
import { HttpError } from './http/errors.ts';
import { liveKitConnectSources } from './http/middleware/securityHeaders.ts';
import type { ReadinessChecks } from './http/ReadinessChecks.ts';
import { createCallRecordRouters } from './http/routes/callRecordRouters.ts';
import { createConversationsRouter } from './http/routes/conversations.ts';
import { createCopilotRouter } from './http/routes/copilot.ts';
import { createLiveKitWebhookRouter } from './http/routes/livekitWebhook.ts';
import { createOpenApiRouter } from './http/routes/openapi.ts';
import type { StartCallRequest, StartedCall } from './http/routes/rooms.ts';
import { staticFiles } from './http/staticFiles.ts';
import { createLogger } from './log.ts';
import { LiveKitBackend } from './media/livekit/LiveKitBackend.ts';
import { LiveKitCopilot } from './media/livekit/LiveKitCopilot.ts';
import { LiveKitWebhooks } from './media/livekit/LiveKitWebhooks.ts';
import { MediasoupBackend } from './media/MediasoupBackend.ts';
import { RoomRegistry } from './media/RoomRegistry.ts';
import type { SfuBackend } from './media/SfuBackend.ts';
import { WorkerPool } from './media/WorkerPool.ts';
import { registerRtcMetrics } from './signaling/rtcMetrics.ts';
import { attachSignaling, type SignalingServer } from './signaling/SignalingServer.ts';

export interface StartServerOptions {
  /** Directory of the built web client (default client/dist). */
  clientDir?: string;
  /** Apply pending migrations at start (default true). */
  migrate?: boolean;
  /** Signaling reconnect grace (tests shorten it). */
  reconnectGraceMs?: number;
  /** How long a human who accepted a handoff has to take the call over before the AI resumes (default 20 s). */
  handoffJoinTimeoutMs?: number;
  /**
   * Media servers the web pages connect to besides this origin (default: the LiveKit URL's origins when
   * SFU_BACKEND=livekit, none on mediasoup).
   */
  mediaConnectSources?: readonly string[];
}

export interface RunningServer {
  url: string;
  port: number;
  config: ServerConfig;
  bus: CallEventBus;
  tokens: TokenService;
  registry: RoomRegistry;
  pool: WorkerPool;
  /** Where calls' media goes (SFU_BACKEND): the mediasoup rooms above, or a LiveKit cluster. */
  sfu: SfuBackend;
  gateway: AgentGateway;
  signaling: SignalingServer;
  /** The human agents' console: live calls, presence, handoff requests (socket.io /console). */
  console: RunningConsole;
  /** GET /readyz's checks (components and tests register theirs). */
  readiness: ReadinessChecks;
  /** The HTTP API as mounted (its router stacks are what the OpenAPI check walks). */
  app: Koa;
  /**
   * Graceful shutdown: refuses new calls (503 server_draining, /readyz not ready), lets live calls end for up to
   * `timeoutMs`, then closes the rest (clients get roomClosed, reason server_shutdown) and close()s.
   */
  drain(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const SOCKET_MAX_PAYLOAD_BYTES = 64 * 1024;
// A dropped browser is noticed within ~10 s (socket.io's defaults take up to 45 s), so its peer's grace starts soon.
const SOCKET_PING = { pingInterval: 5_000, pingTimeout: 5_000 };

/**
 * The composition root: wires persistence, auth, the SFU, signaling, the agent gateway, call recording, extraction
 * and the HTTP API into one listening server. Everything it starts, `close()` stops, in reverse order.
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const log = createLogger('app');
  const bus = new CallEventBus((event, error) =>
    log.error({ event, err: error }, 'call event listener failed'),
  );
  const orm = await openOrm(config.db);
  if (options.migrate ?? true) await orm.migrator.up();
  if (config.production) await refuseDemoPasswords(orm);
  const redis = new Redis(config.redisUrl, {
    keyPrefix: config.redisKeyPrefix,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
  });
  redis.on('error', (error) => log.warn({ err: error }, 'redis error'));
  await redis.connect();
  const tokens = new TokenService(config.jwt);

  const records = await startCallRecords({ orm, bus, config });

  const pool = await WorkerPool.create({ numWorkers: config.mediasoup.numWorkers });
  const registry = new RoomRegistry({
    pool,
    bus,
    network: {
      listenIp: config.mediasoup.listenIp,
      rtcMinPort: config.mediasoup.rtcMinPort,
      rtcMaxPort: config.mediasoup.rtcMaxPort,
      ...(config.mediasoup.announcedAddress ? { announcedAddress: config.mediasoup.announcedAddress } : {}),
    },
  });

  const liveKit =
    config.sfu.backend === 'livekit'
      ? new LiveKitBackend({ ...config.sfu.livekit, tokenTtlS: config.jwt.roomTtlS })
      : undefined;
  const sfu: SfuBackend = liveKit ?? new MediasoupBackend(registry);
  const liveKitWebhooks =
    config.sfu.backend === 'livekit'
      ? new LiveKitWebhooks({
          apiKey: config.sfu.livekit.apiKey,
          apiSecret: config.sfu.livekit.apiSecret,
          bus,
          firstSeen: async (id, ttlS) =>
            (await redis.set(`livekit:webhook:${id}`, '1', 'EX', ttlS, 'NX')) === 'OK',
        })
      : undefined;

  // Staff in LiveKit calls are not on our signaling: hints and takeovers come over HTTP (the gateway exists by then).
  const liveKitCopilot = liveKit
    ? new LiveKitCopilot({
        copilot: {
          hint: (roomId, text) => gateway.hint(roomId, text),
          takeover: (roomId, active) => gateway.takeover(roomId, active),
        },
        bus,
        audit: (entry) => recordAudit(orm.em.fork(), entry),
      })
    : undefined;

  const conversations = new TextConversations({
    agentConfigs: records.agentConfigs,
    createDialog: (agent) =>
      createDialog(agent, {
        policy: config.providers,
        onFallback: (f) => log.warn({ agentId: agent.id }, f.message),
      }),
  });
  let draining = false;
  const startCall = records.recorder.startCall.bind(records.recorder);
  const startCallOn = async (backend: SfuBackend, request: StartCallRequest): Promise<StartedCall> => {
    const call = await startCall(request);
    try {
      await backend.createRoom(call.roomId, { agentId: call.agentId ?? null });
    } catch (error) {
      log.error(
        { err: error, roomId: call.roomId, sfu: backend.kind },
        'the SFU could not open the call room',
      );
      bus.emit('room.closed', { roomId: call.roomId, reason: 'failed: sfu_unavailable' });
      throw new HttpError(
        503,
        'sfu_unavailable',
        'The media server did not open the call room: retry in a few seconds.',
        { headers: { 'retry-after': '5' } },
      );
    }
    return call;
  };
  const httpApp = createHttpApp({
    config,
    // Browsers may open WebSockets only to origins the CSP lists: on LiveKit the media goes to its nodes.
    mediaConnectSources:
      options.mediaConnectSources ??
      (config.sfu.backend === 'livekit' ? liveKitConnectSources(config.sfu.livekit.url) : []),
    tokens,
    orm,
    redis,
    startCall: (request) => {
      if (draining) {
        throw new HttpError(
          503,
          'server_draining',
          'This server is shutting down and takes no new calls: retry in a few seconds (another instance answers).',
          { headers: { 'retry-after': '5' } },
        );
      }
      return startCallOn(sfu, request);
    },
    roomExists: (roomId) => sfu.roomExists(roomId),
    mediaTicket: (request) => sfu.mediaTicket(request),
    routers: [
      createLiveKitWebhookRouter(liveKitWebhooks),
      createCopilotRouter({
        tokens,
        sessions: new SessionService({ orm, tokens, refreshTtlS: config.jwt.refreshTtlS }),
        copilot: liveKitCopilot,
        roomExists: (roomId) => sfu.roomExists(roomId),
      }),
      ...createCallRecordRouters({ tokens, orm, records }),
      createConversationsRouter({ tokens, conversations }),
      createOpenApiRouter({ serverUrl: config.publicUrl }),
    ],
    fallback: staticFiles(options.clientDir ?? path.join(REPO_ROOT, 'client', 'dist'), [
      '/api/',
      '/socket.io/',
    ]),
  });
  records.registerMetrics(httpApp.metrics);
  records.watchRooms((roomId) => sfu.roomExists(roomId));
  httpApp.readiness.register('accepting_calls', () => {
    if (draining) throw new Error('draining for shutdown');
  });
  httpApp.readiness.register('mediasoup', () => {
    if (!pool.alive) throw new Error('no live mediasoup worker');
  });
  if (liveKit) {
    httpApp.readiness.register('livekit', async () => {
      await liveKit.roomExists('readiness-probe');
    });
  }

  const httpServer = http.createServer(httpApp.callback);
  const io = new SocketIoServer(httpServer, {
    maxHttpBufferSize: SOCKET_MAX_PAYLOAD_BYTES,
    serveClient: false,
    ...SOCKET_PING,
  });
  const gateway = new AgentGateway({
    io,
    bus,
    rooms: registry,
    tokens: new ServiceTokenRevocations({ orm }).guard(tokens),
    agentConfigs: records.agentConfigs,
    maxDispatchesPerCall: config.limits.maxAgentDispatchesPerCall,
    maxRedispatchesPerCall: config.limits.maxAgentRedispatchesPerCall,
    heartbeatTimeoutMs: config.agents.heartbeatTimeoutMs,
    ...(liveKit ? { livekit: liveKit } : {}),
  });
  const signaling = attachSignaling({
    io,
    limits: config.limits,
    proxy: { trustProxy: config.trustProxy, proxyHops: config.proxyHops },
    registry,
    tokens,
    bus,
    copilot: gateway,
    audit: (entry) => recordAudit(orm.em.fork(), entry),
    callEndReason: (roomId) => records.recorder.finalEndReason(roomId),
    ...(options.reconnectGraceMs !== undefined ? { reconnectGraceMs: options.reconnectGraceMs } : {}),
  });
  const consoleSide = await startConsole({
    io,
    bus,
    orm,
    tokens,
    users: new SessionService({ orm, tokens, refreshTtlS: config.jwt.refreshTtlS }),
    gateway,
    takenOver: (roomId) =>
      registry.get(roomId)?.takeoverHolder !== undefined || liveKitCopilot?.holder(roomId) !== undefined,
    recorder: records.recorder,
    agentConfigs: records.agentConfigs,
    mediaTicket: (request) => sfu.mediaTicket(request),
    ...(options.handoffJoinTimeoutMs !== undefined ? { joinTimeoutMs: options.handoffJoinTimeoutMs } : {}),
    redis,
    redisPrefix: config.redisKeyPrefix,
    nodeTtlMs: config.consoleNodeTtlMs,
  });
  const stopRtcMetrics = registerRtcMetrics(httpApp.metrics, { pool, registry, signaling });
  const stopAgentMetrics = registerAgentMetrics(httpApp.metrics, gateway);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  log.info(
    { url, publicUrl: config.publicUrl, mediasoupWorkers: config.mediasoup.numWorkers },
    'server listening',
  );

  let closing: Promise<void> | undefined;
  const running: RunningServer = {
    url,
    port,
    config,
    bus,
    tokens,
    registry,
    pool,
    sfu,
    gateway,
    signaling,
    console: consoleSide,
    readiness: httpApp.readiness,
    app: httpApp.app,
    async drain(timeoutMs) {
      draining = true;
      log.info({ rooms: registry.rooms.length, timeoutMs }, 'draining: refusing new calls, live calls go on');
      const left = await untilNoRooms(registry, bus, timeoutMs);
      if (left > 0) log.warn({ rooms: left }, 'drain timeout: closing the calls still live');
      // Before close() disconnects the clients, so they hear why (roomClosed, server_shutdown).
      registry.close('server_shutdown');
      await running.close();
    },
    close() {
      closing ??= (async () => {
        stopRtcMetrics();
        stopAgentMetrics();
        await consoleSide.stop();
        liveKitCopilot?.close();
        gateway.close();
        conversations.close();
        await signaling.close();
        registry.close();
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await records.stop();
        pool.close();
        redis.disconnect();
        await orm.close();
        log.info('server stopped');
      })();
      return closing;
    },
  };
  return running;
}
