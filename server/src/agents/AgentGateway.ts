import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  AGENTS_NAMESPACE,
  AgentLinkEvents,
  type ReceiveStream,
  type SessionAccept,
  SessionEndedSchema,
  SessionEventSchema,
  WorkerRegisterSchema,
} from '@voiceroom/sdk/protocol';
import type { Server, Socket } from 'socket.io';
import type { CallEventBus } from '../events.ts';
import { createLogger, type Logger } from '../log.ts';
import type { AgentMediaLink, AgentReceiveStream } from '../media/AgentMediaLink.ts';
import type { RoomRegistry } from '../media/RoomRegistry.ts';
import type { AgentConfigSource } from './FileAgentConfigStore.ts';
import { offerSession } from './offerSession.ts';
import { publishSessionEvent } from './publishSessionEvent.ts';
import { serviceTokenAuth } from './serviceTokenAuth.ts';
import { untilReceiving } from './untilReceiving.ts';
import { pickLeastLoaded } from './workerSelection.ts';

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
  /** A customer joined but no agent was dispatched: the call used up its dispatches (code dispatch_limit). */
  dispatchrefused: [info: { roomId: string; code: 'dispatch_limit' }];
}

interface WorkerEntry {
  id: string;
  name: string;
  capacity: number;
  socket: Socket;
  sessions: Set<AgentSession>;
  get active(): number;
}

interface AgentSession {
  id: string;
  roomId: string;
  customerPeerId: string;
  worker: WorkerEntry;
  link: AgentMediaLink | null;
  ended: boolean;
}

const MAX_DISPATCH_ATTEMPTS = 3;
const WAITING_RETRY_MS = 5_000;

function toReceiveStream(stream: AgentReceiveStream): ReceiveStream {
  const { peerId, role, audience, payloadType, ssrc } = stream;
  return { peerId, role, audience, payloadType, ssrc };
}

/**
 * The server side of the agent workers (socket.io namespace `/agents`, service token). When a customer joins a room
 * that has an agent, the call goes to the least-loaded worker; the worker answers with its UDP address, the agent
 * joins the room over a PlainTransport and the worker learns where to send. Session events are validated and
 * published on the CallEventBus. A call ending stops its session; a worker disconnecting ends its sessions and the
 * calls whose customer is still there are dispatched again.
 */
export class AgentGateway extends EventEmitter<AgentGatewayEvents> {
  readonly #options: AgentGatewayOptions;
  readonly #log: Logger;
  readonly #workers = new Map<string, WorkerEntry>();
  readonly #sessions = new Map<string, AgentSession>();
  readonly #byRoom = new Map<string, AgentSession>();
  /** Rooms waiting for a worker with capacity: roomId -> customer peer id. */
  readonly #waiting = new Map<string, string>();
  #retryTimer: NodeJS.Timeout | null = null;
  /** Rooms a human has taken over: an agent (re)joining there starts muted. */
  readonly #takenOver = new Set<string>();
  /** Dispatches triggered by customers joining, per room. */
  readonly #joinDispatches = new Map<string, number>();
  /** When each call's first customer joined (performance.now()): where its recording starts. */
  readonly #callerJoinedAt = new Map<string, number>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: AgentGatewayOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('agents.gateway');
    const namespace = options.io.of(AGENTS_NAMESPACE);
    namespace.use(serviceTokenAuth(options.tokens));
    namespace.on('connection', (socket) => this.#onConnection(socket));
    const { bus } = options;
    this.#unsubscribe.push(
      bus.on('participant.joined', (p) => {
        if (p.role !== 'customer') return;
        if (!this.#callerJoinedAt.has(p.roomId)) this.#callerJoinedAt.set(p.roomId, performance.now());
        this.#onCustomerJoined(p.roomId, p.peerId);
      }),
      bus.on('participant.left', (p) => this.#onParticipantLeft(p.roomId, p.peerId)),
      bus.on('room.closed', (r) => {
        this.#waiting.delete(r.roomId);
        this.#takenOver.delete(r.roomId);
        this.#joinDispatches.delete(r.roomId);
        this.#callerJoinedAt.delete(r.roomId);
        const session = this.#byRoom.get(r.roomId);
        if (session) this.#end(session, 'room_closed', true);
      }),
    );
  }

  get workers(): { id: string; name: string; capacity: number; active: number }[] {
    return [...this.#workers.values()].map((w) => ({
      id: w.id,
      name: w.name,
      capacity: w.capacity,
      active: w.active,
    }));
  }

  get sessions(): { id: string; roomId: string; workerId: string; live: boolean }[] {
    return [...this.#sessions.values()].map((s) => ({
      id: s.id,
      roomId: s.roomId,
      workerId: s.worker.id,
      live: s.link !== null,
    }));
  }

  /** Calls whose customer waits for a worker with capacity. */
  get waitingCalls(): number {
    return this.#waiting.size;
  }

  /** Co-pilot whisper: a hint the AI follows in its next replies. Returns false when no agent is in that room. */
  hint(roomId: string, text: string): boolean {
    const session = this.#byRoom.get(roomId);
    if (!session) return false;
    session.worker.socket.emit(AgentLinkEvents.hint, { sessionId: session.id, text });
    return true;
  }

  /** Takeover (`active`) stops the AI listening and speaking; handback resumes it. */
  async takeover(roomId: string, active: boolean): Promise<boolean> {
    if (this.#takenOver.has(roomId) !== active) this.emit('takeover', { roomId, active });
    if (active) this.#takenOver.add(roomId);
    else this.#takenOver.delete(roomId);
    const session = this.#byRoom.get(roomId);
    if (!session) return false;
    session.worker.socket.emit(AgentLinkEvents.takeover, { sessionId: session.id, active });
    if (active) await session.link?.pauseSending();
    else await session.link?.resumeSending();
    return true;
  }

  /** Nobody accepted the handoff request: the AI tells the caller and carries on. False when no agent is there. */
  handoffUnanswered(roomId: string, requestId: string): boolean {
    const session = this.#byRoom.get(roomId);
    if (!session) return false;
    session.worker.socket.emit(AgentLinkEvents.handoffUnanswered, { sessionId: session.id, requestId });
    return true;
  }

  close(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#waiting.clear();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    for (const session of [...this.#sessions.values()]) this.#end(session, 'server_shutdown', true);
    for (const worker of this.#workers.values()) worker.socket.disconnect(true);
    this.#workers.clear();
  }

  #onConnection(socket: Socket): void {
    let worker: WorkerEntry | null = null;
    socket.on(AgentLinkEvents.register, (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      if (worker)
        return ack({
          ok: false,
          error: { code: 'already_registered', message: 'Register once per connection.' },
        });
      const parsed = WorkerRegisterSchema.safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return ack({
          ok: false,
          error: { code: 'bad_request', message: `${issue?.path.join('.')}: ${issue?.message}` },
        });
      }
      const sessions = new Set<AgentSession>();
      worker = {
        id: socket.id,
        name: parsed.data.name,
        capacity: parsed.data.capacity,
        socket,
        sessions,
        get active() {
          return sessions.size;
        },
      };
      this.#workers.set(worker.id, worker);
      this.#log.info(
        { workerId: worker.id, name: worker.name, capacity: worker.capacity },
        'agent worker registered',
      );
      ack({ ok: true, data: { workerId: worker.id } });
      this.#dispatchWaiting();
    });
    socket.on(AgentLinkEvents.event, (payload: unknown) => {
      const parsed = SessionEventSchema.safeParse(payload);
      const session = parsed.success ? this.#sessions.get(parsed.data.sessionId) : undefined;
      if (!parsed.success || !session || session.worker !== worker) {
        this.#log.warn(
          { workerId: socket.id, valid: parsed.success },
          'dropping an invalid or foreign session event',
        );
        return;
      }
      const { roomId } = session;
      publishSessionEvent(this.#options.bus, roomId, parsed.data.event, {
        handoff: (reason) => this.emit('handoff', { roomId, reason }),
        callback: (phone) => this.emit('callback', { roomId, phone }),
      });
    });
    socket.on(AgentLinkEvents.ended, (payload: unknown) => {
      const parsed = SessionEndedSchema.safeParse(payload);
      const session = parsed.success ? this.#sessions.get(parsed.data.sessionId) : undefined;
      if (!parsed.success || !session || session.worker !== worker) return;
      const { reason, message } = parsed.data;
      if (reason === 'failed')
        this.#log.error({ sessionId: session.id, message }, 'agent session failed on the worker');
      this.#end(session, `worker_${reason}`, false);
      if (reason === 'agent_hangup') {
        this.emit('hangup', { roomId: session.roomId });
        this.#options.rooms.get(session.roomId)?.close('agent_hangup', false);
      }
    });
    socket.on('disconnect', (reason) => {
      if (!worker) return;
      this.#workers.delete(worker.id);
      const orphaned = [...worker.sessions];
      const level = orphaned.length > 0 ? 'warn' : 'info';
      this.#log[level](
        { workerId: worker.id, reason, sessions: orphaned.length },
        'agent worker disconnected',
      );
      for (const session of orphaned) {
        this.#end(session, 'worker_lost', false);
        const room = this.#options.rooms.get(session.roomId);
        if (room && !room.closed && room.peers.some((p) => p.id === session.customerPeerId)) {
          void this.#dispatch(session.roomId, session.customerPeerId);
        }
      }
    });
  }

  #onCustomerJoined(roomId: string, customerPeerId: string): void {
    if (this.#byRoom.has(roomId) || this.#waiting.has(roomId)) return;
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
    // A customer who rejoined under a new peer id (reconnection without resume) keeps the agent.
    const otherCustomer = this.#options.rooms
      .get(roomId)
      ?.peers.find((p) => p.role === 'customer' && p.id !== peerId && !p.closed);
    const session = this.#byRoom.get(roomId);
    if (session && session.customerPeerId === peerId) {
      if (otherCustomer) session.customerPeerId = otherCustomer.id;
      else this.#end(session, 'customer_left', true);
    }
    if (this.#waiting.get(roomId) === peerId) {
      if (otherCustomer) this.#waiting.set(roomId, otherCustomer.id);
      else this.#waiting.delete(roomId);
    }
  }

  async #dispatch(roomId: string, customerPeerId: string): Promise<void> {
    if (this.#byRoom.has(roomId)) return;
    const room = this.#options.rooms.get(roomId);
    if (!room || room.closed || !room.agentId) return;
    const config = await this.#options.agentConfigs.get(room.agentId).catch((error: unknown) => {
      this.#log.error(
        { err: error, roomId, agentId: room.agentId },
        'loading the agent configuration failed',
      );
      return null;
    });
    if (!config) {
      this.#log.error(
        { roomId, agentId: room.agentId, code: 'agent_config_missing' },
        'no configuration for agent',
      );
      return;
    }
    if (this.#byRoom.has(roomId) || room.closed) return;

    const tried = new Set<string>();
    for (let attempt = 0; attempt < MAX_DISPATCH_ATTEMPTS; attempt++) {
      const worker = pickLeastLoaded([...this.#workers.values()].filter((w) => !tried.has(w.id)));
      if (!worker) break;
      tried.add(worker.id);
      const session: AgentSession = {
        id: randomUUID(),
        roomId,
        customerPeerId,
        worker,
        link: null,
        ended: false,
      };
      this.#sessions.set(session.id, session);
      this.#byRoom.set(roomId, session);
      worker.sessions.add(session);
      const offer = {
        sessionId: session.id,
        roomId,
        agentPeerId: `agent-${session.id}`,
        config,
        callerJoinedAt: this.#callerJoinedAt.get(roomId),
      };
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
      await this.#join(session, result.accept, config.name);
      return;
    }
    this.#log.warn(
      { roomId, workers: this.#workers.size },
      'no agent worker could take the call; waiting for one',
    );
    this.#waiting.set(roomId, customerPeerId);
    // Workers free up (calls end, a slow model load finishes): try again even if no new worker registers.
    this.#retryTimer ??= setTimeout(() => {
      this.#retryTimer = null;
      this.#dispatchWaiting();
    }, WAITING_RETRY_MS);
  }

  #dispatchWaiting(): void {
    for (const [roomId, customerPeerId] of [...this.#waiting]) {
      this.#waiting.delete(roomId);
      void this.#dispatch(roomId, customerPeerId);
    }
  }

  async #join(session: AgentSession, accepted: SessionAccept, displayName: string): Promise<void> {
    const room = this.#options.rooms.get(session.roomId);
    let link: AgentMediaLink;
    try {
      if (!room || room.closed) throw new Error('the room closed during dispatch');
      link = await room.connectAgent({ peerId: `agent-${session.id}`, displayName, rtpTarget: accepted.rtp });
    } catch (error) {
      this.#log.error({ err: error, sessionId: session.id }, 'the agent could not join the room');
      this.#end(session, 'join_failed', true);
      return;
    }
    if (session.ended) {
      link.close('session_ended');
      return;
    }
    session.link = link;
    link.on('close', (reason) => this.#end(session, `agent_left:${reason}`, true));
    await untilReceiving(
      room,
      session.customerPeerId,
      link.producerId,
      this.#options.greetingWaitMs ?? 2_000,
    );
    if (session.ended) return;
    const socket = session.worker.socket;
    link.on('consumer', (stream) =>
      socket.emit(AgentLinkEvents.streamAdded, { sessionId: session.id, stream: toReceiveStream(stream) }),
    );
    link.on('consumerclosed', ({ ssrc }) =>
      socket.emit(AgentLinkEvents.streamRemoved, { sessionId: session.id, ssrc }),
    );
    socket.emit(AgentLinkEvents.media, {
      sessionId: session.id,
      ingest: link.ingest,
      send: link.send,
      receive: link.receive.map(toReceiveStream),
    });
    if (this.#takenOver.has(session.roomId)) {
      socket.emit(AgentLinkEvents.takeover, { sessionId: session.id, active: true });
      await link.pauseSending();
    }
    this.#log.info(
      { sessionId: session.id, roomId: session.roomId, workerId: session.worker.id },
      'agent joined the call',
    );
  }

  #end(session: AgentSession, reason: string, notifyWorker: boolean): void {
    if (session.ended) return;
    session.ended = true;
    this.#sessions.delete(session.id);
    if (this.#byRoom.get(session.roomId) === session) this.#byRoom.delete(session.roomId);
    session.worker.sessions.delete(session);
    if (notifyWorker && session.worker.socket.connected) {
      session.worker.socket.emit(AgentLinkEvents.stop, { sessionId: session.id, reason });
    }
    if (session.link && !session.link.closed) session.link.close(reason);
    this.#log.info({ sessionId: session.id, roomId: session.roomId, reason }, 'agent session ended');
    this.emit('sessionended', { roomId: session.roomId, sessionId: session.id, reason });
  }
}
