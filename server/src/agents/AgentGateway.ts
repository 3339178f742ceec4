import { EventEmitter } from 'node:events';
import { AGENTS_NAMESPACE, AgentLinkEvents, type SessionEnded, type SessionEvent } from '@voiceroom/protocol';
import type { Server } from 'socket.io';
import type { CallEventBus } from '../CallEventBus.ts';
import { createLogger, type Logger } from '../log.ts';
import type { RoomRegistry } from '../media/RoomRegistry.ts';
import { AgentRecovery } from './AgentRecovery.ts';
import { AgentRoomJoin } from './AgentRoomJoin.ts';
import { AgentSessions } from './AgentSessions.ts';
import { CallRooms } from './CallRooms.ts';
import type { AgentConfigSource } from './FileAgentConfigStore.ts';
import { type LiveKitAgentRooms, LiveKitCalls } from './LiveKitCalls.ts';
import { offerSession } from './offerSession.ts';
import { publishSessionEvent } from './publishSessionEvent.ts';
import { serviceTokenAuth } from './serviceTokenAuth.ts';
import { WaitingCalls } from './WaitingCalls.ts';
import { WorkerPool } from './WorkerPool.ts';
import { type AgentSession, listenToWorker, type WorkerEntry } from './workerLink.ts';

export interface AgentGatewayOptions {
  io: Server;
  bus: CallEventBus;
  rooms: Pick<RoomRegistry, 'get'>;
  tokens: { verifyServiceToken(token: string): Promise<{ name: string }> };
  agentConfigs: AgentConfigSource;
  logger?: Logger;
  /** How long a worker may take to accept a dispatch (model loading included). Default 30 s. */
  dispatchTimeoutMs?: number;
  /** How long the agent waits for the customer's client to start receiving it before it speaks anyway. Default 2 s. */
  greetingWaitMs?: number;
  /**
   * How many times a customer joining may dispatch an agent into one call (AGENT_MAX_DISPATCHES_PER_CALL, default 5):
   * a join/leave loop stops getting fresh agents (logged with code dispatch_limit). Worker failures do not count.
   */
  maxDispatchesPerCall?: number;
  /**
   * A room closed with a rejoin hint (its mediasoup worker died) keeps its agent session this long, waiting for the
   * customer to rejoin: the same agent (pipeline, conversation) then joins the new room. Default 20 s.
   */
  rejoinGraceMs?: number;
  /**
   * How many times one call's agent may be lost (its worker crashed or went silent) and dispatched again with the
   * conversation so far (AGENT_MAX_REDISPATCHES_PER_CALL, default 3). Counted apart from customer dispatches; past
   * it the call is ended as agent_failed (code redispatch_limit), so a call that crashes every worker stops there.
   */
  maxRedispatchesPerCall?: number;
  /** How long a worker that sends heartbeats may fall silent before it is taken as lost. Default 5 s. */
  heartbeatTimeoutMs?: number;
  /** SFU_BACKEND=livekit: calls' rooms are LiveKit rooms; the agent joins them itself with these credentials. */
  livekit?: LiveKitAgentRooms;
}

export interface AgentGatewayEvents {
  /** The AI asked for a human (keyword, sentiment, repeated misunderstanding). */
  handoff: [info: { roomId: string; reason: string }];
  /** The caller agreed to be called back (nobody took the handoff); `phone` when they gave one. */
  callback: [info: { roomId: string; phone: string | null }];
  /** A human took the call over from the AI (`active`), or handed it back. */
  takeover: [info: { roomId: string; active: boolean }];
  /** The AI ended the call (after its goodbye); the gateway closes the room. */
  hangup: [info: { roomId: string }];
  /** A session ended, for whatever reason. */
  sessionended: [info: { roomId: string; sessionId: string; reason: string }];
  /** A call was offered to a worker; `resume` when it carries on a conversation whose agent was lost. */
  dispatched: [info: { roomId: string; sessionId: string; workerId: string; resume: boolean }];
  /**
   * No agent was dispatched: a customer joined a call that used up its dispatches (dispatch_limit), or the call's
   * agent was lost more often than allowed (redispatch_limit: the call is ended).
   */
  dispatchrefused: [info: { roomId: string; code: 'dispatch_limit' | 'redispatch_limit' }];
}

const MAX_DISPATCH_ATTEMPTS = 3;
const WAITING_RETRY_MS = 5_000;

/**
 * The server side of the agent workers (socket.io namespace `/agents`, service token). When a customer joins a room
 * that has an agent, the call goes to the least-loaded worker; the worker answers with its UDP address, the agent
 * joins the room over a PlainTransport and the worker learns where to send. Session events are validated and
 * published on the CallEventBus. A call ending stops its session; a worker disconnecting (or silent past its
 * heartbeat timeout) ends its sessions and the calls whose customer is still there are dispatched again, resuming the
 * conversation (AgentRecovery). A room closed with a rejoin hint (its mediasoup worker died) keeps its session: when
 * the customer rejoins, the same agent joins the new room (AgentRoomJoin). The gateway decides; WorkerPool,
 * AgentSessions, WaitingCalls and CallRooms (mediasoup or LiveKit) keep their state and report back.
 */
export class AgentGateway extends EventEmitter<AgentGatewayEvents> {
  readonly #options: AgentGatewayOptions;
  readonly #log: Logger;
  readonly #workers: WorkerPool;
  readonly #sessions: AgentSessions;
  readonly #waiting: WaitingCalls;
  readonly #roomJoin: AgentRoomJoin;
  /** Rooms a human has taken over: an agent (re)joining there starts muted. */
  readonly #takenOver = new Set<string>();
  /** Dispatches triggered by customers joining, per room. */
  readonly #joinDispatches = new Map<string, number>();
  /** When each call's first customer joined (performance.now()): where its recording starts. */
  readonly #callerJoinedAt = new Map<string, number>();
  readonly #recovery: AgentRecovery;
  readonly #liveKit: LiveKitCalls | undefined;
  readonly #callRooms: CallRooms;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: AgentGatewayOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('agents.gateway');
    this.#recovery = new AgentRecovery({
      bus: options.bus,
      ...(options.maxRedispatchesPerCall !== undefined
        ? { maxRedispatchesPerCall: options.maxRedispatchesPerCall }
        : {}),
    });
    this.#workers = new WorkerPool({
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
      logger: this.#log,
    });
    this.#sessions = new AgentSessions(this.#log);
    this.#waiting = new WaitingCalls({ retryMs: WAITING_RETRY_MS, onRetry: () => this.#dispatchWaiting() });
    this.#roomJoin = new AgentRoomJoin({
      rooms: options.rooms,
      logger: this.#log,
      greetingWaitMs: options.greetingWaitMs ?? 2_000,
      rejoinGraceMs: options.rejoinGraceMs ?? 20_000,
      takenOver: (roomId) => this.#takenOver.has(roomId),
      onEnd: (session, reason) => this.#end(session, reason, true),
    });
    this.#liveKit = options.livekit ? new LiveKitCalls(options.livekit, this.#log) : undefined;
    this.#callRooms = new CallRooms(options.rooms, this.#liveKit);
    const namespace = options.io.of(AGENTS_NAMESPACE);
    namespace.use(serviceTokenAuth(options.tokens));
    namespace.on('connection', (socket) =>
      listenToWorker(
        socket,
        {
          registered: (worker, heartbeatMs) => this.#onRegistered(worker, heartbeatMs),
          alive: (socketId) => this.#workers.seen(socketId),
          event: (worker, message) => this.#onSessionEvent(worker, message),
          ended: (worker, message) => this.#onSessionEnded(worker, message),
          disconnected: (worker, reason) => this.#onWorkerGone(worker, reason),
        },
        this.#log,
      ),
    );
    const { bus } = options;
    this.#unsubscribe.push(
      bus.on('participant.joined', (p) => {
        if (p.role !== 'customer') return;
        if (!this.#callerJoinedAt.has(p.roomId)) this.#callerJoinedAt.set(p.roomId, performance.now());
        this.#liveKit?.customerJoined(p.roomId, p.peerId);
        this.#onCustomerJoined(p.roomId, p.peerId);
      }),
      bus.on('participant.left', (p) => {
        this.#liveKit?.customerLeft(p.roomId, p.peerId);
        this.#onParticipantLeft(p.roomId, p.peerId);
      }),
      bus.on('room.closed', (r) => {
        this.#liveKit?.roomClosed(r.roomId);
        this.#waiting.delete(r.roomId);
        this.#takenOver.delete(r.roomId);
        this.#joinDispatches.delete(r.roomId);
        this.#callerJoinedAt.delete(r.roomId);
        const session = this.#sessions.inRoom(r.roomId);
        if (session && !session.suspended) this.#end(session, 'room_closed', true);
      }),
    );
  }

  get workers(): { id: string; name: string; capacity: number; active: number }[] {
    return this.#workers.list;
  }

  get sessions(): { id: string; roomId: string; workerId: string; live: boolean }[] {
    return this.#sessions.all.map((s) => ({
      id: s.id,
      roomId: s.roomId,
      workerId: s.worker.id,
      live: s.link !== null || s.joinedLiveKit,
    }));
  }

  /** Calls whose customer waits for a worker with capacity. */
  get waitingCalls(): number {
    return this.#waiting.size;
  }

  /** Co-pilot whisper: a hint the AI follows in its next replies. Returns false when no agent is in that room. */
  hint(roomId: string, text: string): boolean {
    const session = this.#sessions.inRoom(roomId);
    if (!session) return false;
    session.worker.socket.emit(AgentLinkEvents.hint, { sessionId: session.id, text });
    return true;
  }

  /** Takeover (`active`) stops the AI listening and speaking; handback resumes it. */
  async takeover(roomId: string, active: boolean): Promise<boolean> {
    if (this.#takenOver.has(roomId) !== active) this.emit('takeover', { roomId, active });
    if (active) this.#takenOver.add(roomId);
    else this.#takenOver.delete(roomId);
    const session = this.#sessions.inRoom(roomId);
    if (!session) return false;
    session.worker.socket.emit(AgentLinkEvents.takeover, { sessionId: session.id, active });
    if (active) await session.link?.pauseSending();
    else await session.link?.resumeSending();
    if (session.joinedLiveKit) await this.#liveKit?.muteAgent(roomId, session.id, active);
    return true;
  }

  /** Nobody accepted the handoff request: the AI tells the caller and carries on. False when no agent is there. */
  handoffUnanswered(roomId: string, requestId: string): boolean {
    const session = this.#sessions.inRoom(roomId);
    if (!session) return false;
    session.worker.socket.emit(AgentLinkEvents.handoffUnanswered, { sessionId: session.id, requestId });
    return true;
  }

  close(): void {
    this.#waiting.close();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#recovery.close();
    for (const session of this.#sessions.all) this.#end(session, 'server_shutdown', true);
    this.#workers.close();
  }

  #onRegistered(worker: WorkerEntry, heartbeatMs: number | undefined): void {
    this.#workers.add(worker, heartbeatMs);
    this.#dispatchWaiting();
  }

  #onSessionEvent(worker: WorkerEntry, { sessionId, event }: SessionEvent): void {
    const session = this.#sessions.get(sessionId);
    if (!session || session.worker !== worker) {
      this.#log.warn({ workerId: worker.id }, 'dropping a session event for a session of another worker');
      return;
    }
    const { roomId } = session;
    publishSessionEvent(this.#options.bus, roomId, event, {
      handoff: (reason) => this.emit('handoff', { roomId, reason }),
      callback: (phone) => this.emit('callback', { roomId, phone }),
    });
  }

  #onSessionEnded(worker: WorkerEntry, { sessionId, reason, message }: SessionEnded): void {
    const session = this.#sessions.get(sessionId);
    if (!session || session.worker !== worker) return;
    if (reason === 'failed') this.#log.error({ sessionId, message }, 'agent session failed on the worker');
    this.#end(session, `worker_${reason}`, false);
    if (reason === 'agent_hangup') {
      this.emit('hangup', { roomId: session.roomId });
      this.#callRooms.close(session.roomId, 'agent_hangup');
    }
  }

  #onWorkerGone(worker: WorkerEntry, reason: string): void {
    this.#workers.remove(worker);
    const orphaned = [...worker.sessions];
    const level = orphaned.length > 0 ? 'warn' : 'info';
    this.#log[level]({ workerId: worker.id, reason, sessions: orphaned.length }, 'agent worker disconnected');
    for (const session of orphaned) this.#agentLost(session);
  }

  /**
   * The session's worker is gone (crashed, hung, drained away): the caller is still there, so another agent takes
   * the call over, resuming the conversation when the lost one had spoken to the caller. Bounded per call.
   */
  #agentLost(session: AgentSession): void {
    const { roomId, customerPeerId } = session;
    const joined = session.link !== null || session.joinedLiveKit;
    this.#end(session, 'worker_lost', false);
    const { count, replace } = this.#recovery.agentLost(roomId, joined);
    if (!this.#callRooms.customerPresent(roomId, customerPeerId)) return;
    const limit = this.#recovery.limit;
    if (!replace) {
      this.#log.error(
        { roomId, code: 'redispatch_limit', limit },
        'the call lost its agent more often than allowed; ending it',
      );
      this.emit('dispatchrefused', { roomId, code: 'redispatch_limit' });
      this.#callRooms.close(roomId, 'agent_failed');
      return;
    }
    this.#log.warn(
      { roomId, redispatch: count, limit, resume: joined },
      'agent lost mid-call; dispatching another',
    );
    void this.#dispatch(roomId, customerPeerId);
  }

  #onCustomerJoined(roomId: string, customerPeerId: string): void {
    const current = this.#sessions.inRoom(roomId);
    if (current?.suspended) {
      void this.#roomJoin.resume(current, customerPeerId);
      return;
    }
    if (current || this.#waiting.has(roomId)) return;
    const count = (this.#joinDispatches.get(roomId) ?? 0) + 1;
    const limit = this.#options.maxDispatchesPerCall ?? 5;
    if (count > limit) {
      this.#log.warn(
        { roomId, code: 'dispatch_limit', limit },
        'agent not dispatched again: this call reached its dispatch limit',
      );
      this.emit('dispatchrefused', { roomId, code: 'dispatch_limit' });
      return;
    }
    this.#joinDispatches.set(roomId, count);
    void this.#dispatch(roomId, customerPeerId);
  }

  #onParticipantLeft(roomId: string, peerId: string): void {
    const room = this.#options.rooms.get(roomId);
    // Everyone leaves a room closing with a rejoin hint: the agent waits for the customer in the new room.
    if (room?.closed && room.rejoinExpected) return;
    // A customer who rejoined under a new peer id (reconnection without resume) keeps the agent.
    const otherCustomer = room?.peers.find((p) => p.role === 'customer' && p.id !== peerId && !p.closed);
    const session = this.#sessions.inRoom(roomId);
    if (session && session.customerPeerId === peerId) {
      if (otherCustomer) session.customerPeerId = otherCustomer.id;
      else this.#end(session, 'customer_left', true);
    }
    this.#waiting.customerLeft(roomId, peerId, otherCustomer?.id);
  }

  async #dispatch(roomId: string, customerPeerId: string): Promise<void> {
    if (this.#sessions.inRoom(roomId)) return;
    const agentId = await this.#callRooms.agentOf(roomId);
    if (!agentId) return;
    const config = await this.#options.agentConfigs.get(agentId).catch((error: unknown) => {
      this.#log.error({ err: error, roomId, agentId }, 'loading the agent configuration failed');
      return null;
    });
    if (!config) {
      this.#log.error({ roomId, agentId, code: 'agent_config_missing' }, 'no configuration for agent');
      return;
    }
    // The customer may have left while the agent's configuration loaded.
    if (this.#sessions.inRoom(roomId) || !this.#callRooms.customerPresent(roomId, customerPeerId)) return;
    const resume = this.#recovery.dispatching(roomId);
    const liveKit = this.#liveKit;

    const tried = new Set<string>();
    for (let attempt = 0; attempt < MAX_DISPATCH_ATTEMPTS; attempt++) {
      const worker = this.#workers.pick(tried);
      if (!worker) break;
      tried.add(worker.id);
      const session = this.#sessions.open({ roomId, customerPeerId, worker, displayName: config.name });
      const offer = {
        sessionId: session.id,
        roomId,
        agentPeerId: `agent-${session.id}`,
        config,
        callerJoinedAt: this.#callerJoinedAt.get(roomId),
        resume,
        ...(liveKit ? { livekit: await liveKit.dispatchJoin(session, config.name) } : {}),
      };
      if (liveKit && !offer.livekit) return this.#end(session, 'join_failed', false);
      this.emit('dispatched', {
        roomId,
        sessionId: session.id,
        workerId: worker.id,
        resume: resume !== undefined,
      });
      const result = await offerSession(worker.socket, offer, this.#options.dispatchTimeoutMs ?? 30_000);
      if (session.ended) return;
      if (!result.ok) {
        this.#log.warn(
          { sessionId: session.id, workerId: worker.id, reason: result.reason },
          'worker did not take the call',
        );
        this.#end(session, 'dispatch_refused', true);
        continue;
      }
      session.accepted = result.accept;
      if ('rtp' in result.accept) await this.#roomJoin.join(session);
      else this.#roomJoin.joinedLiveKit(session);
      return;
    }
    this.#log.warn(
      { roomId, workers: this.#workers.size },
      'no agent worker could take the call; waiting for one',
    );
    this.#waiting.wait(roomId, customerPeerId);
  }

  #dispatchWaiting(): void {
    for (const [roomId, customerPeerId] of this.#waiting.takeAll())
      void this.#dispatch(roomId, customerPeerId);
  }

  #end(session: AgentSession, reason: string, notifyWorker: boolean): void {
    if (!this.#sessions.end(session, reason, notifyWorker)) return;
    this.emit('sessionended', { roomId: session.roomId, sessionId: session.id, reason });
  }
}
