import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultProviderPolicy } from '@voiceroom/agent-core';
import { formatZodError, type ProviderPolicy, ProviderPolicyError } from '@voiceroom/protocol';
import { z } from 'zod';
import { ConfigError } from './ConfigError.ts';
import { createLogger } from './log.ts';
import { parseRecordingKeys, type RecordingKeyring } from './recordings/recordingKeys.ts';
import { assertLiveKitCredentials, SFU_ENV, type SfuConfig, sfuConfigFrom } from './sfuConfig.ts';

/** Repository root (server/src/config.ts -> ../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_JWT_SECRET_FILE = path.join(REPO_ROOT, '.cache', 'jwt-secret');
const DEFAULT_LIVEKIT_SECRET_FILE = path.join(REPO_ROOT, '.cache', 'livekit-secret');

const PORT_MESSAGE = 'must be a port number (0-65535)';
const port = z.coerce
  .number({ error: PORT_MESSAGE })
  .int(PORT_MESSAGE)
  .min(0, PORT_MESSAGE)
  .max(65_535, PORT_MESSAGE);
const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
export const DEFAULT_RATE_LIMITS = {
  login: { limit: 10, windowS: 60 },
  startCall: { limit: 30, windowS: 60 },
  startCallGlobal: { limit: 600, windowS: 60 },
} as const;

/** Abuse caps (see README, Configuration); each refusal has its own error code. */
export const DEFAULT_ABUSE_LIMITS = {
  maxPeersPerRoom: 16,
  maxConnectionsPerAddress: 50,
  maxProducersPerPeer: 2,
  maxAgentDispatchesPerCall: 5,
  maxAgentRedispatchesPerCall: 3,
  loginFailuresBeforeBackoff: 5,
  loginBackoffBaseS: 1,
  loginBackoffMaxS: 900,
} as const;
const count = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
};

/** "<requests>/<seconds>", e.g. "10/60"; "0/60" turns the limit off (load tests from one address). */
const rateLimit = z
  .string()
  .regex(/^\d{1,7}\/\d{1,6}$/, 'must be "<requests>/<seconds>", e.g. 10/60')
  .transform((text) => {
    const [limit, windowS] = text.split('/').map(Number);
    return { limit: limit ?? 0, windowS: Math.max(1, windowS ?? 60) };
  });
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Environment variable -> schema. Keys are the variable names so that errors name the variable to fix. */
const EnvSchema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url().optional(),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  PROXY_HOPS: count(1, 10).default(1),
  DB_HOST: z.string().min(1).default('127.0.0.1'),
  DB_PORT: port.default(3306),
  DB_USER: z.string().min(1).default('root'),
  DB_PASSWORD: z.string().default(''),
  DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/, 'letters, digits and _ only (at most 64)')
    .default('voiceroom'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379'),
  /** Prefix of every key this deployment writes, so deployments (or test servers) can share one Redis. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{0,64}$/, 'letters, digits and _ . : - only (at most 64)')
    .default('voiceroom:'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  RTC_MIN_PORT: port.default(40_000),
  RTC_MAX_PORT: port.default(49_999),
  MEDIASOUP_LISTEN_IP: z.ipv4().or(z.ipv6()).default('127.0.0.1'),
  MEDIASOUP_ANNOUNCED_ADDRESS: optionalString,
  AGENT_SERVICE_TOKEN: optionalString,
  DEEPSEEK_BASE_URL: z.url().default('https://api.deepseek.com'),
  DEEPSEEK_MODEL: z.string().min(1).default('deepseek-chat'),
  DEEPSEEK_API_KEY: optionalString,
  LLM_MODEL_PATH: optionalString,
  EXTRACTION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  RATE_LIMIT_LOGIN: rateLimit.optional(),
  RATE_LIMIT_START_CALL: rateLimit.optional(),
  RATE_LIMIT_START_CALL_GLOBAL: rateLimit.optional(),
  MAX_PEERS_PER_ROOM: count(2, 1000).default(DEFAULT_ABUSE_LIMITS.maxPeersPerRoom),
  MAX_CONNECTIONS_PER_ADDRESS: count(1, 100_000).default(DEFAULT_ABUSE_LIMITS.maxConnectionsPerAddress),
  MAX_PRODUCERS_PER_PEER: count(1, 16).default(DEFAULT_ABUSE_LIMITS.maxProducersPerPeer),
  AGENT_MAX_DISPATCHES_PER_CALL: count(1, 1000).default(DEFAULT_ABUSE_LIMITS.maxAgentDispatchesPerCall),
  /** Agents lost mid-call (worker crash or silence) that are replaced in one call before it is ended. */
  AGENT_MAX_REDISPATCHES_PER_CALL: count(0, 100).default(DEFAULT_ABUSE_LIMITS.maxAgentRedispatchesPerCall),
  /**
   * An agent worker silent this long (no heartbeat) is taken as lost and its calls go to another worker. A crashed
   * worker needs no timeout (its connection closes at once); this catches hung ones. 5 s: a starved but healthy
   * worker on a loaded machine was seen silent for 3 s.
   */
  AGENT_HEARTBEAT_TIMEOUT_MS: count(500, 600_000).default(5_000),
  LOGIN_FAILURES_BEFORE_BACKOFF: count(1, 1000).default(DEFAULT_ABUSE_LIMITS.loginFailuresBeforeBackoff),
  LOGIN_BACKOFF_BASE_S: count(1, 3600).default(DEFAULT_ABUSE_LIMITS.loginBackoffBaseS),
  LOGIN_BACKOFF_MAX_S: count(1, 86_400).default(DEFAULT_ABUSE_LIMITS.loginBackoffMaxS),
  REFRESH_FAMILY_MAX_AGE_DAYS: count(1, 366).default(30),
  SERVICE_TOKEN_TTL_HOURS: count(1, 24 * 366).default(24),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SERVER_DRAIN_TIMEOUT_S: count(0, 3600).default(20),
  /** Server processes sharing consoles (one Redis): one silent this long is taken as gone, with its humans. */
  CONSOLE_NODE_TTL_MS: count(1_000, 600_000).default(15_000),
  LOG_LEVEL: logLevel.optional(),
  NODE_ENV: optionalString,
  RECORDING_KEYS: optionalString,
  RECORDING_KEY_ID: optionalString,
  ...SFU_ENV,
  RECORDINGS_DIR: z
    .string()
    .min(1)
    .default(path.join(REPO_ROOT, '.cache', 'recordings')),
});

export interface DbConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  dbName: string;
}

export interface JwtConfig {
  secret: string;
  issuer: string;
  accessTtlS: number;
  refreshTtlS: number;
  roomTtlS: number;
  /** Absolute lifetime of a refresh-token family (one login), however often it is rotated. */
  refreshFamilyMaxAgeS?: number;
  serviceTtlS?: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Base URL browsers use to reach this server; defaults to http://localhost:<port>. */
  publicUrl: string;
  /** Behind a reverse proxy: take client addresses (rate limits, logs) from X-Forwarded-For. */
  trustProxy: boolean;
  /** With trustProxy: how many X-Forwarded-For entries (appended by our own proxies) are believed. */
  proxyHops: number;
  db: DbConfig;
  redisUrl: string;
  redisKeyPrefix: string;
  jwt: JwtConfig;
  mediasoup: {
    numWorkers: number;
    rtcMinPort: number;
    rtcMaxPort: number;
    listenIp: string;
    announcedAddress?: string;
  };
  agents: { serviceToken?: string; heartbeatTimeoutMs: number };
  extraction: {
    deepseekBaseUrl: string;
    deepseekModel: string;
    deepseekApiKey?: string;
    localModelPath?: string;
    maxAttempts: number;
  };
  /** Per client address and window; a limit of 0 disables it. */
  rateLimits: { login: RateLimitRule; startCall: RateLimitRule; startCallGlobal: RateLimitRule };
  limits: AbuseLimits;
  /** When set, GET /metrics requires `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** On SIGTERM: how long live calls may go on (no new ones accepted) before their rooms are closed. */
  drainTimeoutS: number;
  /** CONSOLE_NODE_TTL_MS: see ConsoleBusOptions.ttlMs. */
  consoleNodeTtlMs: number;
  logLevel: string;
  /** NODE_ENV=production: JWT_SECRET is required and the demo password is refused. */
  production: boolean;
  /** What agent configurations may use as API key variables, base URLs and model paths. */
  providers: ProviderPolicy;
  /** Call recordings: encrypted files in `dir`; without a keyring (RECORDING_KEYS unset) none are kept. */
  recordings: { dir: string; keyring?: RecordingKeyring };
  /** Which SFU carries calls' media: this process's mediasoup workers, or a LiveKit cluster. */
  sfu: SfuConfig;
}

export type AbuseLimits = { -readonly [K in keyof typeof DEFAULT_ABUSE_LIMITS]: number };

export interface RateLimitRule {
  limit: number;
  windowS: number;
}

export interface LoadConfigOptions {
  /** Where a generated development JWT secret is kept when JWT_SECRET is unset (default <repo>/.cache/jwt-secret). */
  jwtSecretFile?: string;
  /** Same for LIVEKIT_API_SECRET (default <repo>/.cache/livekit-secret). */
  liveKitSecretFile?: string;
}

/**
 * Reads the server configuration from environment variables, validated; throws ConfigError naming each bad variable.
 * Without JWT_SECRET a random development secret is generated once and kept in .cache/jwt-secret (with a warning).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): ServerConfig {
  const e = parseEnv(EnvSchema, env);
  if (e.RTC_MIN_PORT > e.RTC_MAX_PORT) {
    throw new ConfigError([
      { variable: 'RTC_MIN_PORT', message: `must not exceed RTC_MAX_PORT (${e.RTC_MAX_PORT})` },
    ]);
  }
  const production = e.NODE_ENV === 'production';
  assertLiveKitCredentials(e, production);
  if (production && !e.JWT_SECRET) {
    throw new ConfigError([
      {
        variable: 'JWT_SECRET',
        message: 'is required in production (NODE_ENV=production): set it to 32+ random characters',
      },
    ]);
  }
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    proxyHops: e.PROXY_HOPS,
    db: dbConfigFrom(e),
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    jwt: {
      secret:
        e.JWT_SECRET ?? developmentSecret(options.jwtSecretFile ?? DEFAULT_JWT_SECRET_FILE, 'JWT_SECRET'),
      issuer: 'voiceroom',
      accessTtlS: 900,
      refreshTtlS: 30 * 24 * 3600,
      roomTtlS: 3600,
      refreshFamilyMaxAgeS: e.REFRESH_FAMILY_MAX_AGE_DAYS * 86_400,
      serviceTtlS: e.SERVICE_TOKEN_TTL_HOURS * 3600,
    },
    mediasoup: {
      numWorkers: e.MEDIASOUP_WORKERS ?? Math.max(1, os.availableParallelism()),
      rtcMinPort: e.RTC_MIN_PORT,
      rtcMaxPort: e.RTC_MAX_PORT,
      listenIp: e.MEDIASOUP_LISTEN_IP,
      ...(e.MEDIASOUP_ANNOUNCED_ADDRESS ? { announcedAddress: e.MEDIASOUP_ANNOUNCED_ADDRESS } : {}),
    },
    agents: {
      ...(e.AGENT_SERVICE_TOKEN ? { serviceToken: e.AGENT_SERVICE_TOKEN } : {}),
      heartbeatTimeoutMs: e.AGENT_HEARTBEAT_TIMEOUT_MS,
    },
    extraction: {
      deepseekBaseUrl: e.DEEPSEEK_BASE_URL.replace(/\/+$/, ''),
      deepseekModel: e.DEEPSEEK_MODEL,
      ...(e.DEEPSEEK_API_KEY ? { deepseekApiKey: e.DEEPSEEK_API_KEY } : {}),
      ...(e.LLM_MODEL_PATH ? { localModelPath: e.LLM_MODEL_PATH } : {}),
      maxAttempts: e.EXTRACTION_MAX_ATTEMPTS,
    },
    rateLimits: {
      login: e.RATE_LIMIT_LOGIN ?? DEFAULT_RATE_LIMITS.login,
      startCall: e.RATE_LIMIT_START_CALL ?? DEFAULT_RATE_LIMITS.startCall,
      startCallGlobal: e.RATE_LIMIT_START_CALL_GLOBAL ?? DEFAULT_RATE_LIMITS.startCallGlobal,
    },
    limits: {
      maxPeersPerRoom: e.MAX_PEERS_PER_ROOM,
      maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
      maxProducersPerPeer: e.MAX_PRODUCERS_PER_PEER,
      maxAgentDispatchesPerCall: e.AGENT_MAX_DISPATCHES_PER_CALL,
      maxAgentRedispatchesPerCall: e.AGENT_MAX_REDISPATCHES_PER_CALL,
      loginFailuresBeforeBackoff: e.LOGIN_FAILURES_BEFORE_BACKOFF,
      loginBackoffBaseS: e.LOGIN_BACKOFF_BASE_S,
      loginBackoffMaxS: e.LOGIN_BACKOFF_MAX_S,
    },
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    drainTimeoutS: e.SERVER_DRAIN_TIMEOUT_S,
    consoleNodeTtlMs: e.CONSOLE_NODE_TTL_MS,
    logLevel: e.LOG_LEVEL ?? 'info',
    production,
    providers: providerPolicy(env),
    recordings: { dir: e.RECORDINGS_DIR, ...recordingKeyring(e.RECORDING_KEYS, e.RECORDING_KEY_ID) },
    sfu: sfuConfigFrom(e, () =>
      developmentSecret(options.liveKitSecretFile ?? DEFAULT_LIVEKIT_SECRET_FILE, 'LIVEKIT_API_SECRET'),
    ),
  };
}

/** The development LiveKit secret (generated into .cache on first use), for `npm run start:livekit`'s local node. */
export function developmentLiveKitSecret(file = DEFAULT_LIVEKIT_SECRET_FILE): string {
  return developmentSecret(file, 'LIVEKIT_API_SECRET');
}

function recordingKeyring(
  keys: string | undefined,
  currentId: string | undefined,
): { keyring?: RecordingKeyring } {
  if (keys === undefined) {
    if (currentId === undefined) return {};
    throw new ConfigError([{ variable: 'RECORDING_KEY_ID', message: 'is set but RECORDING_KEYS is not' }]);
  }
  const parsed = parseRecordingKeys(keys, currentId);
  if ('problems' in parsed) throw new ConfigError(parsed.problems);
  return { keyring: parsed.keyring };
}

function providerPolicy(env: NodeJS.ProcessEnv): ProviderPolicy {
  try {
    return defaultProviderPolicy(env);
  } catch (error) {
    if (!(error instanceof ProviderPolicyError)) throw error;
    throw new ConfigError(error.violations.map((v) => ({ variable: v.path, message: v.message })));
  }
}

const DbEnvSchema = EnvSchema.pick({
  DB_HOST: true,
  DB_PORT: true,
  DB_USER: true,
  DB_PASSWORD: true,
  DB_NAME: true,
});

/** Only the database connection (for tools that need nothing else, such as the migration CLI). */
export function loadDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  return dbConfigFrom(parseEnv(DbEnvSchema, env));
}

function dbConfigFrom(e: z.infer<typeof DbEnvSchema>): DbConfig {
  return { host: e.DB_HOST, port: e.DB_PORT, user: e.DB_USER, password: e.DB_PASSWORD, dbName: e.DB_NAME };
}

function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const { issues } = formatZodError(parsed.error);
    throw new ConfigError(issues.map((issue) => ({ variable: issue.path, message: issue.message })));
  }
  return parsed.data;
}

function developmentSecret(file: string, variable: 'JWT_SECRET' | 'LIVEKIT_API_SECRET'): string {
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) {
      createLogger('config').warn(
        { file },
        `${variable} is not set: using the development secret. Set it in production.`,
      );
      return existing;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  createLogger('config').warn(
    { file },
    `${variable} is not set: generated a development secret. Set ${variable} (32+ characters) in production.`,
  );
  return secret;
}
