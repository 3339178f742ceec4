import type { Router } from '@koa/router';
import type { Redis } from 'ioredis';
import Koa, { type Middleware } from 'koa';
import { SessionService } from '../auth/SessionService.ts';
import type { TokenService } from '../auth/TokenService.ts';
import { UserAdmin } from '../auth/UserAdmin.ts';
import { DEFAULT_ABUSE_LIMITS, DEFAULT_RATE_LIMITS, type ServerConfig } from '../config.ts';
import type { MikroORM } from '../db/orm.ts';
import { createLogger, type Logger } from '../log.ts';
import { LoginThrottle } from './LoginThrottle.ts';
import { MetricsRegistry, registerProcessMetrics } from './metrics.ts';
import { errorHandler } from './middleware/errorHandler.ts';
import { jsonBody } from './middleware/jsonBody.ts';
import { requestLog } from './middleware/requestLog.ts';
import { securityHeaders } from './middleware/securityHeaders.ts';
import { ReadinessChecks } from './ReadinessChecks.ts';
import { RateLimiter, type RateLimitRule } from './rateLimit.ts';
import { createAuthRouter } from './routes/auth.ts';
import { createHealthRouter } from './routes/health.ts';
import { createRoomsRouter, type IceServer, type RoomsRouterDeps } from './routes/rooms.ts';
import { createUsersRouter } from './routes/users.ts';

export interface HttpAppDeps {
  config: Pick<ServerConfig, 'jwt'> &
    Partial<
      Pick<ServerConfig, 'rateLimits' | 'trustProxy' | 'proxyHops' | 'limits' | 'metricsToken' | 'publicUrl'>
    >;
  tokens: TokenService;
  orm: MikroORM;
  redis: Redis;
  startCall: RoomsRouterDeps['startCall'];
  roomExists?: RoomsRouterDeps['roomExists'];
  mediaTicket?: RoomsRouterDeps['mediaTicket'];
  /** Other routers (calls, agent configs, extraction, OpenAPI), mounted after the built-in ones. */
  routers?: Router[];
  /** Runs last, for requests no router answered (e.g. the static web client). */
  fallback?: Middleware;
  /** Shared registries: pass yours to register checks and metrics from other components; created when omitted. */
  readiness?: ReadinessChecks;
  metrics?: MetricsRegistry;
  sessions?: SessionService;
  loginThrottle?: LoginThrottle;
  rateLimits?: { login?: RateLimitRule; startCall?: RateLimitRule; startCallGlobal?: RateLimitRule };
  iceServers?: IceServer[];
  /** Media servers the pages connect to besides this origin (the LiveKit URL's origins), allowed by the CSP. */
  mediaConnectSources?: readonly string[];
  bodyLimitBytes?: number;
  /** Register process_resident_memory_bytes, event-loop delay etc. in the registry (default true). */
  processMetrics?: boolean;
  logger?: Logger;
}

export interface HttpApp {
  app: Koa;
  readiness: ReadinessChecks;
  metrics: MetricsRegistry;
  sessions: SessionService;
  /** Node request listener: http.createServer(httpApp.callback). */
  callback: ReturnType<Koa['callback']>;
}

/**
 * The Koa control plane: request log and metrics, JSON errors, JSON bodies, then health (/healthz, /readyz,
 * /metrics), auth (/api/auth/*), rooms and calls (/api/rooms/:id/token, /api/calls), account administration
 * (/api/users) and the given routers.
 * Registers the 'database' and 'redis' readiness checks.
 */
export function createHttpApp(deps: HttpAppDeps): HttpApp {
  const logger = deps.logger ?? createLogger('http');
  const readiness = deps.readiness ?? new ReadinessChecks({ logger });
  const metrics = deps.metrics ?? new MetricsRegistry();
  if (deps.processMetrics ?? true) registerProcessMetrics(metrics);
  const sessions =
    deps.sessions ??
    new SessionService({
      orm: deps.orm,
      tokens: deps.tokens,
      refreshTtlS: deps.config.jwt.refreshTtlS,
      ...(deps.config.jwt.refreshFamilyMaxAgeS
        ? { familyMaxAgeS: deps.config.jwt.refreshFamilyMaxAgeS }
        : {}),
    });
  readiness.register('database', async () => {
    await deps.orm.em.getConnection().execute('select 1');
  });
  readiness.register('redis', async () => {
    await deps.redis.ping();
  });

  const limiter = (name: keyof typeof DEFAULT_RATE_LIMITS, redisName: string, failClosed = false) =>
    new RateLimiter({
      redis: deps.redis,
      name: redisName,
      rule: deps.rateLimits?.[name] ?? deps.config.rateLimits?.[name] ?? DEFAULT_RATE_LIMITS[name],
      logger,
      failClosed,
    });
  const limits = deps.config.limits ?? DEFAULT_ABUSE_LIMITS;
  const routers = [
    createHealthRouter({
      readiness,
      metrics,
      ...(deps.config.metricsToken ? { metricsToken: deps.config.metricsToken } : {}),
    }),
    createAuthRouter({
      sessions,
      tokens: deps.tokens,
      loginLimiter: limiter('login', 'login', true),
      loginThrottle:
        deps.loginThrottle ??
        new LoginThrottle({
          redis: deps.redis,
          logger,
          failuresBeforeBackoff: limits.loginFailuresBeforeBackoff,
          backoffBaseS: limits.loginBackoffBaseS,
          backoffMaxS: limits.loginBackoffMaxS,
        }),
      metrics,
      refreshTtlS: deps.config.jwt.refreshTtlS,
    }),
    createRoomsRouter({
      tokens: deps.tokens,
      sessions,
      startCall: deps.startCall,
      callLimiter: limiter('startCall', 'start_call'),
      globalCallLimiter: limiter('startCallGlobal', 'start_call_global'),
      ...(deps.roomExists ? { roomExists: deps.roomExists } : {}),
      ...(deps.mediaTicket ? { mediaTicket: deps.mediaTicket } : {}),
      ...(deps.iceServers ? { iceServers: deps.iceServers } : {}),
    }),
    createUsersRouter({ tokens: deps.tokens, users: new UserAdmin({ orm: deps.orm }) }),
    ...(deps.routers ?? []),
  ];

  // Behind proxies only the last proxyHops X-Forwarded-For entries (appended by our own proxies) are believed: a
  // client-supplied chain cannot change ctx.ip, which keys the per-address limits.
  const app = new Koa({ proxy: deps.config.trustProxy ?? false, maxIpsCount: deps.config.proxyHops ?? 1 });
  app.silent = true;
  app.use(requestLog(logger, metrics));
  app.use(
    securityHeaders({
      hsts: deps.config.publicUrl?.startsWith('https://') ?? false,
      ...(deps.mediaConnectSources ? { connectSources: deps.mediaConnectSources } : {}),
    }),
  );
  app.use(errorHandler(logger));
  app.use(jsonBody({ limitBytes: deps.bodyLimitBytes ?? 1024 * 1024 }));
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  if (deps.fallback) app.use(deps.fallback);
  return { app, readiness, metrics, sessions, callback: app.callback() };
}
