import { hostname, networkInterfaces } from 'node:os';
import { defaultProviderPolicy } from '@voiceroom/agent-core';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { CodedError, formatZodError } from '@voiceroom/protocol';
import { z } from 'zod';
import { PacerLeadMsSchema } from './audio/pacerLead.ts';
import { StageCache, voicePipelineFactory } from './pipeline/index.ts';
import { AgentWorker } from './worker/AgentWorker.ts';
import type { CallPipelineFactory } from './worker/CallPipeline.ts';
import { EchoPipeline } from './worker/EchoPipeline.ts';
import { createLogger } from './worker/log.ts';

const echo: CallPipelineFactory = async ({ roomId, emit }) =>
  new EchoPipeline({ roomId, emit, delayMs: 200 });

const EnvSchema = z.object({
  SERVER_URL: z.url().default('http://127.0.0.1:3000'),
  AGENT_SERVICE_TOKEN: z.string().min(1, 'set it to a service token (the server prints how to issue one)'),
  AGENT_CAPACITY: z.coerce.number().int().min(1).max(1000).default(4),
  /** Address the media sockets bind to; 0.0.0.0 in a container. */
  AGENT_RTP_IP: z.union([z.ipv4(), z.ipv6()]).default('127.0.0.1'),
  /** Address the server sends media to when AGENT_RTP_IP is a wildcard (default: this host's first external IPv4). */
  AGENT_RTP_ANNOUNCED_IP: z.union([z.ipv4(), z.ipv6()]).optional(),
  /** Host to send media to instead of the server's announced address (in docker compose: the server's service name). */
  AGENT_INGEST_HOST: z.string().min(1).max(253).optional(),
  AGENT_NAME: z.string().min(1).max(64).default(`agent-${hostname()}-${process.pid}`),
  /** `voice` (the full pipeline) or `echo` (plays the caller back: a media check without models). */
  AGENT_PIPELINE: z.enum(['voice', 'echo']).default('voice'),
  AGENT_PACER_LEAD_MS: PacerLeadMsSchema,
  /** Agent configuration (YAML) whose models are loaded before registering; empty to skip. */
  AGENT_WARMUP_CONFIG: z.string().max(500).default(DEFAULT_AGENT_FILE),
  /** On SIGTERM/SIGINT: how long running calls may go on before they are handed over to another worker. */
  AGENT_DRAIN_TIMEOUT_S: z.coerce.number().int().min(0).max(3600).default(25),
});

const log = createLogger('agent.main');

/**
 * Loads the models of an agent before taking calls, so the first caller does not wait for them. A failure is
 * logged, not fatal: calls to that agent then fail with the same error, clearly, and other agents still work.
 */
async function warmUp(stages: StageCache, file: string): Promise<void> {
  const started = performance.now();
  try {
    const config = loadAgentFile(file);
    await stages.get(config);
    log.info({ agent: config.id, ms: Math.round(performance.now() - started) }, 'agent models loaded');
  } catch (error) {
    log.error({ err: error, file }, 'warming up the agent failed; its calls will fail until this is fixed');
  }
}

/** The first external IPv4 address of this host: what a server elsewhere can reach a wildcard-bound socket at. */
function externalIpv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (external) return external.address;
  }
  throw new Error(
    'AGENT_RTP_IP is a wildcard and this host has no external IPv4: set AGENT_RTP_ANNOUNCED_IP.',
  );
}

async function main(): Promise<void> {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const { message } = formatZodError(parsed.error, { what: 'Invalid agent worker configuration' });
    throw new CodedError('config_invalid', `${message}. Fix these environment variables and restart.`);
  }
  const env = parsed.data;
  // Bad PROVIDER_API_KEY_ENVS / PROVIDER_BASE_URLS entries stop the worker now rather than at the first call.
  defaultProviderPolicy();
  const stages = new StageCache({ logger: log });
  const worker = new AgentWorker({
    serverUrl: env.SERVER_URL,
    token: env.AGENT_SERVICE_TOKEN,
    name: env.AGENT_NAME,
    capacity: env.AGENT_CAPACITY,
    rtpIp: env.AGENT_RTP_IP,
    rtpAnnouncedIp:
      env.AGENT_RTP_ANNOUNCED_IP ??
      (['0.0.0.0', '::'].includes(env.AGENT_RTP_IP) ? externalIpv4() : undefined),
    ingestHost: env.AGENT_INGEST_HOST,
    leadMs: env.AGENT_PACER_LEAD_MS,
    createPipeline: env.AGENT_PIPELINE === 'echo' ? echo : voicePipelineFactory(stages),
  });
  const shutdown = (signal: string) => {
    if (worker.draining) {
      log.warn({ signal }, 'second signal while draining: handing the calls over now');
      void worker.drain(0);
      return;
    }
    log.info(
      { signal, sessions: worker.sessions.length, drainTimeoutS: env.AGENT_DRAIN_TIMEOUT_S },
      'draining: taking no new calls, letting the running ones end',
    );
    void worker.drain(env.AGENT_DRAIN_TIMEOUT_S * 1000).then(({ finished, handedOver }) => {
      log.info({ finished, handedOver }, 'drained; exiting');
      // A moment for the disconnect to reach the server.
      setTimeout(() => process.exit(0), 200).unref();
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (env.AGENT_PIPELINE === 'voice' && env.AGENT_WARMUP_CONFIG !== '')
    await warmUp(stages, env.AGENT_WARMUP_CONFIG);
  const workerId = await worker.start();
  log.info(
    { workerId, server: env.SERVER_URL, capacity: env.AGENT_CAPACITY, pipeline: env.AGENT_PIPELINE },
    'agent worker ready',
  );
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
