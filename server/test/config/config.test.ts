import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/ConfigError.ts';
import { loadConfig, loadDbConfig } from '../../src/config.ts';

const secretFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'vr-config-')), 'jwt-secret');
const SECRET = 'a-production-secret-of-at-least-32-chars!';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      trustProxy: false,
      db: { host: '127.0.0.1', port: 3306, user: 'root', password: '', dbName: 'voiceroom' },
      redisUrl: 'redis://127.0.0.1:6379',
      jwt: {
        secret: SECRET,
        issuer: 'voiceroom',
        accessTtlS: 900,
        refreshTtlS: 30 * 24 * 3600,
        roomTtlS: 3600,
      },
      mediasoup: { rtcMinPort: 40_000, rtcMaxPort: 49_999, listenIp: '127.0.0.1' },
      agents: { heartbeatTimeoutMs: 5_000 },
      extraction: {
        deepseekBaseUrl: 'https://api.deepseek.com',
        deepseekModel: 'deepseek-chat',
        maxAttempts: 5,
      },
    });
    expect(config.mediasoup.numWorkers).toBe(os.availableParallelism());
    expect(config.extraction.deepseekApiKey).toBeUndefined();
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      JWT_SECRET: SECRET,
      PORT: '8080',
      PUBLIC_URL: 'https://voice.example.com/',
      DB_NAME: 'vr_prod',
      MEDIASOUP_WORKERS: '3',
      MEDIASOUP_ANNOUNCED_ADDRESS: '203.0.113.7',
      AGENT_SERVICE_TOKEN: 'svc',
      DEEPSEEK_API_KEY: 'sk-1',
      LLM_MODEL_PATH: '/models/x.gguf',
      LOG_LEVEL: 'debug',
      TRUST_PROXY: 'true',
    });
    expect(config.trustProxy).toBe(true);
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://voice.example.com');
    expect(config.db.dbName).toBe('vr_prod');
    expect(config.mediasoup).toMatchObject({ numWorkers: 3, announcedAddress: '203.0.113.7' });
    expect(config.agents.serviceToken).toBe('svc');
    expect(config.extraction).toMatchObject({ deepseekApiKey: 'sk-1', localModelPath: '/models/x.gguf' });
    expect(config.logLevel).toBe('debug');
  });

  it('reads recording keys, and keeps no recordings without them', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ JWT_SECRET: SECRET }).recordings.keyring).toBeUndefined();
    const config = loadConfig({
      JWT_SECRET: SECRET,
      RECORDING_KEYS: `k1:${key},k2:${key}`,
      RECORDING_KEY_ID: 'k1',
      RECORDINGS_DIR: '/var/lib/voiceroom/recordings',
    });
    expect(config.recordings.dir).toBe('/var/lib/voiceroom/recordings');
    expect(config.recordings.keyring?.current.id).toBe('k1');
    expect(config.recordings.keyring?.get('k2')).toEqual(Buffer.alloc(32, 7));
    expect(() => loadConfig({ JWT_SECRET: SECRET, RECORDING_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      /RECORDING_KEYS: entry 1 must be <id>:<base64 of 32 random bytes>/,
    );
    expect(() => loadConfig({ JWT_SECRET: SECRET, RECORDING_KEY_ID: 'k1' })).toThrow(
      /RECORDING_KEY_ID: is set but RECORDING_KEYS is not/,
    );
  });

  it('names every bad variable in one ConfigError', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://nope', JWT_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual(['JWT_SECRET', 'PORT', 'REDIS_URL']);
    expect((error as Error).message).toMatch(
      /PORT: must be a port number.*REDIS_URL: must be a redis:\/\/.*JWT_SECRET: must be at least 32/s,
    );
  });

  it('reads rate limits as "<requests>/<seconds>", 0 meaning off', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).rateLimits).toEqual({
      login: { limit: 10, windowS: 60 },
      startCall: { limit: 30, windowS: 60 },
      startCallGlobal: { limit: 600, windowS: 60 },
    });
    const config = loadConfig({
      JWT_SECRET: SECRET,
      RATE_LIMIT_LOGIN: '5/10',
      RATE_LIMIT_START_CALL: '0/60',
      RATE_LIMIT_START_CALL_GLOBAL: '100/30',
    });
    expect(config.rateLimits).toEqual({
      login: { limit: 5, windowS: 10 },
      startCall: { limit: 0, windowS: 60 },
      startCallGlobal: { limit: 100, windowS: 30 },
    });
    expect(() => loadConfig({ JWT_SECRET: SECRET, RATE_LIMIT_LOGIN: 'lots' })).toThrow(
      /RATE_LIMIT_LOGIN: must be/,
    );
  });

  it('reads the abuse caps, token lifetimes, proxy hops and metrics token, refusing nonsense', () => {
    const defaults = loadConfig({ JWT_SECRET: SECRET });
    expect(defaults.limits).toEqual({
      maxPeersPerRoom: 16,
      maxConnectionsPerAddress: 50,
      maxProducersPerPeer: 2,
      maxAgentDispatchesPerCall: 5,
      maxAgentRedispatchesPerCall: 3,
      loginFailuresBeforeBackoff: 5,
      loginBackoffBaseS: 1,
      loginBackoffMaxS: 900,
    });
    expect(defaults).toMatchObject({
      proxyHops: 1,
      jwt: { refreshFamilyMaxAgeS: 30 * 86_400, serviceTtlS: 86_400 },
    });
    expect(defaults.metricsToken).toBeUndefined();
    const set = loadConfig({
      JWT_SECRET: SECRET,
      MAX_PEERS_PER_ROOM: '4',
      MAX_CONNECTIONS_PER_ADDRESS: '10',
      MAX_PRODUCERS_PER_PEER: '1',
      AGENT_MAX_DISPATCHES_PER_CALL: '3',
      AGENT_MAX_REDISPATCHES_PER_CALL: '1',
      AGENT_HEARTBEAT_TIMEOUT_MS: '1500',
      LOGIN_FAILURES_BEFORE_BACKOFF: '8',
      LOGIN_BACKOFF_BASE_S: '2',
      LOGIN_BACKOFF_MAX_S: '60',
      PROXY_HOPS: '2',
      REFRESH_FAMILY_MAX_AGE_DAYS: '7',
      SERVICE_TOKEN_TTL_HOURS: '1',
      METRICS_TOKEN: 'a-long-enough-metrics-token',
    });
    expect(set.limits).toEqual({
      maxPeersPerRoom: 4,
      maxConnectionsPerAddress: 10,
      maxProducersPerPeer: 1,
      maxAgentDispatchesPerCall: 3,
      maxAgentRedispatchesPerCall: 1,
      loginFailuresBeforeBackoff: 8,
      loginBackoffBaseS: 2,
      loginBackoffMaxS: 60,
    });
    expect(set).toMatchObject({
      agents: { heartbeatTimeoutMs: 1500 },
      proxyHops: 2,
      metricsToken: 'a-long-enough-metrics-token',
      jwt: { refreshFamilyMaxAgeS: 7 * 86_400, serviceTtlS: 3600 },
    });
    expect(() =>
      loadConfig({ JWT_SECRET: SECRET, MAX_PEERS_PER_ROOM: '1', PROXY_HOPS: 'x', METRICS_TOKEN: 'short' }),
    ).toThrow(
      /PROXY_HOPS: must be a whole number from 1 to 10; MAX_PEERS_PER_ROOM: must be a whole number from 2 to 1000; METRICS_TOKEN: must be at least 16 characters/,
    );
  });

  it('refuses an RTC port range whose minimum exceeds its maximum', () => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, RTC_MIN_PORT: '50000', RTC_MAX_PORT: '40000' })).toThrow(
      /RTC_MIN_PORT: must not exceed RTC_MAX_PORT/,
    );
  });

  it('generates a development JWT secret once, keeps it private and reuses it', () => {
    const file = secretFile();
    const first = loadConfig({}, { jwtSecretFile: file }).jwt.secret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(loadConfig({}, { jwtSecretFile: file }).jwt.secret).toBe(first);
  });

  it('runs on mediasoup unless SFU_BACKEND=livekit, which reads the LiveKit URL, key and secret', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).sfu).toEqual({ backend: 'mediasoup' });
    const lkSecret = 'a-livekit-secret-of-at-least-32-chars!!';
    expect(
      loadConfig({
        JWT_SECRET: SECRET,
        SFU_BACKEND: 'livekit',
        LIVEKIT_URL: 'wss://lk.example.com/',
        LIVEKIT_API_URL: 'http://10.0.0.5:7880',
        LIVEKIT_API_KEY: 'prod-key',
        LIVEKIT_API_SECRET: lkSecret,
      }).sfu,
    ).toEqual({
      backend: 'livekit',
      livekit: {
        url: 'wss://lk.example.com',
        apiUrl: 'http://10.0.0.5:7880',
        apiKey: 'prod-key',
        apiSecret: lkSecret,
      },
    });
    expect(() => loadConfig({ JWT_SECRET: SECRET, SFU_BACKEND: 'janus' })).toThrow(
      /SFU_BACKEND: must be mediasoup or livekit/,
    );
    expect(() =>
      loadConfig({
        JWT_SECRET: SECRET,
        SFU_BACKEND: 'livekit',
        LIVEKIT_URL: 'http://lk',
        LIVEKIT_API_SECRET: 'short',
      }),
    ).toThrow(
      /LIVEKIT_URL: must be a ws:\/\/ or wss:\/\/ URL.*LIVEKIT_API_SECRET: must be at least 32 characters/,
    );
  });

  it('requires the LiveKit key and secret in production, and generates a development secret otherwise', () => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'production', SFU_BACKEND: 'livekit' })).toThrow(
      /LIVEKIT_API_KEY: is required with SFU_BACKEND=livekit in production/,
    );
    const file = secretFile();
    const dev = loadConfig({ JWT_SECRET: SECRET, SFU_BACKEND: 'livekit' }, { liveKitSecretFile: file }).sfu;
    expect(dev).toMatchObject({
      backend: 'livekit',
      livekit: { url: 'ws://127.0.0.1:7880', apiKey: 'voiceroom-dev' },
    });
    expect(readFileSync(file, 'utf8').trim()).toBe(dev.backend === 'livekit' ? dev.livekit.apiSecret : '');
  });

  it('loadDbConfig reads only the database variables', () => {
    expect(loadDbConfig({ DB_PORT: '3307', JWT_SECRET: 'ignored-even-if-short' })).toEqual({
      host: '127.0.0.1',
      port: 3307,
      user: 'root',
      password: '',
      dbName: 'voiceroom',
    });
    expect(() => loadDbConfig({ DB_NAME: 'x; drop database y' })).toThrow(/DB_NAME/);
  });
});
