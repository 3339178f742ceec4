import { HandoffConfigSchema } from '@voiceroom/protocol';
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import type { AgentGateway } from '../agents/AgentGateway.ts';
import type { AgentConfigSource } from '../agents/FileAgentConfigStore.ts';
import type { PublicUser } from '../auth/SessionService.ts';
import type { TokenService } from '../auth/TokenService.ts';
import type { CallEventBus } from '../CallEventBus.ts';
import { type AuditEntry, recordAudit } from '../calls/auditLog.ts';
import type { CallRecorder } from '../calls/CallRecorder.ts';
import type { MikroORM } from '../db/orm.ts';
import { createLogger } from '../log.ts';
import { CallbackDesk } from './CallbackDesk.ts';
import { ConsoleBus } from './ConsoleBus.ts';
import { ConsoleRelay } from './ConsoleRelay.ts';
import { ConsoleServer, type ConsoleServerOptions } from './ConsoleServer.ts';
import { HandoffDesk } from './HandoffDesk.ts';
import { LiveCalls } from './LiveCalls.ts';
import { Presence } from './Presence.ts';
import { SharedPresence } from './SharedPresence.ts';

export interface ConsoleDeps {
  io: Server;
  bus: CallEventBus;
  orm: MikroORM;
  tokens: TokenService;
  users: { getUser(id: string): Promise<PublicUser | null> };
  gateway: AgentGateway;
  /** Whether a human holds the call (mediasoup: the room's takeover holder; LiveKit: LiveKitCopilot's). */
  takenOver: (roomId: string) => boolean;
  mediaTicket: ConsoleServerOptions['mediaTicket'];
  recorder: Pick<CallRecorder, 'callFor'>;
  agentConfigs: AgentConfigSource;
  /** See HandoffDeskOptions.joinTimeoutMs. */
  joinTimeoutMs?: number;
  /** The deployment's Redis (key prefix set) and that prefix, for the channels between server processes. */
  redis: Redis;
  redisPrefix: string;
  /** See ConsoleBusOptions.ttlMs. */
  nodeTtlMs?: number;
}

const DEFAULT_TIMEOUT_S = HandoffConfigSchema.parse({}).timeoutS;

/**
 * The human agents' side, wired for the server's main: the live call list, presence, the handoff and callback desks
 * (fed by the AI's handoff and callback events), shared with the deployment's other server processes over Redis
 * (ConsoleBus, SharedPresence, ConsoleRelay), and the /console channel. `stop()` undoes it all.
 */
export async function startConsole(deps: ConsoleDeps) {
  const log = createLogger('console');
  const agentConfig = async (agentId: string) => (await deps.agentConfigs.get(agentId)) ?? undefined;
  const calls = new LiveCalls({
    bus: deps.bus,
    lookup: deps.recorder.callFor.bind(deps.recorder),
    agentConfig,
  });
  const local = new Presence(deps.bus);
  const desk = new HandoffDesk({
    orm: deps.orm,
    calls,
    ai: deps.gateway,
    timeoutS: async (agentId) =>
      (agentId ? (await agentConfig(agentId))?.handoff.timeoutS : undefined) ?? DEFAULT_TIMEOUT_S,
    takenOver: deps.takenOver,
    audit: (entry: AuditEntry) => recordAudit(deps.orm.em.fork(), entry),
    ...(deps.joinTimeoutMs !== undefined ? { joinTimeoutMs: deps.joinTimeoutMs } : {}),
  });
  const callbacks = new CallbackDesk({
    orm: deps.orm,
    calls,
    audit: (entry: AuditEntry) => recordAudit(deps.orm.em.fork(), entry),
  });
  const bus = await ConsoleBus.start({
    redis: deps.redis,
    channelPrefix: deps.redisPrefix,
    ...(deps.nodeTtlMs !== undefined ? { ttlMs: deps.nodeTtlMs } : {}),
  });
  const presence = new SharedPresence({ local, bus, redis: deps.redis });
  const relay = new ConsoleRelay({ bus, calls, desk, callbacks });
  await presence.start();
  await relay.start();
  const onEnded = (info: { roomId: string; reason: string }) => {
    desk
      .callEnded(info.roomId, info.reason)
      .catch((error: unknown) =>
        log.error({ err: error, roomId: info.roomId }, 'could not cancel a handoff'),
      );
  };
  calls.on('ended', onEnded);
  const onHandoff = ({ roomId, reason }: { roomId: string; reason: string }) => {
    desk
      .request(roomId, reason)
      .catch((error: unknown) => log.error({ err: error, roomId }, 'could not create the handoff request'));
  };
  const onCallback = ({ roomId, phone }: { roomId: string; phone: string | null }) => {
    callbacks
      .request(roomId, phone)
      .catch((error: unknown) => log.error({ err: error, roomId }, 'could not record the callback request'));
  };
  const onTakeover = ({ roomId, active }: { roomId: string; active: boolean }) =>
    calls.setTakeover(roomId, active);
  deps.gateway.on('handoff', onHandoff);
  deps.gateway.on('takeover', onTakeover);
  deps.gateway.on('callback', onCallback);
  const server = new ConsoleServer({
    io: deps.io,
    tokens: deps.tokens,
    users: deps.users,
    relay,
    presence,
    mediaTicket: deps.mediaTicket,
  });
  return {
    calls,
    presence,
    desk,
    callbacks,
    server,
    bus,
    async stop() {
      deps.gateway.off('handoff', onHandoff);
      deps.gateway.off('takeover', onTakeover);
      deps.gateway.off('callback', onCallback);
      calls.off('ended', onEnded);
      server.close();
      relay.close();
      desk.close();
      presence.close();
      local.close();
      calls.close();
      await bus.close();
    },
  };
}

export type RunningConsole = Awaited<ReturnType<typeof startConsole>>;
