import { EventEmitter } from 'node:events';
import {
  AGENTS_NAMESPACE,
  type AgentLinkAck,
  type AgentLinkErrorCode,
  AgentLinkEvents,
  formatZodError,
  type SessionAccept,
  SessionDispatchSchema,
  SessionHandoffUnansweredSchema,
  SessionHintSchema,
  SessionMediaSchema,
  SessionStopSchema,
  SessionStreamAddedSchema,
  SessionStreamRemovedSchema,
  SessionTakeoverSchema,
} from '@voiceroom/protocol';
import type { Logger } from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { systemClock } from '../audio/clock.ts';
import { uploadRecording } from '../recording/uploadRecording.ts';
import type { CallPipelineFactory } from './CallPipeline.ts';
import { CallSession } from './CallSession.ts';
import { createLogger } from './log.ts';

export interface AgentWorkerOptions {
  serverUrl: string;
  token: string;
  name: string;
  capacity: number;
  /** Local IP of the media sockets; must be reachable from the server's mediasoup. */
  rtpIp: string;
  /** The address the server must send media to, when it differs from rtpIp (e.g. rtpIp 0.0.0.0 in a container). */
  rtpAnnouncedIp?: string;
  /** Where to send media instead of the server's announced ingest address (e.g. the server's service name). */
  ingestHost?: string;
  createPipeline: CallPipelineFactory;
  logger?: Logger;
  leadMs?: number;
  /** How often the worker tells the server it is alive (default 500 ms); the server times a silent worker out. */
  heartbeatMs?: number;
}

export interface AgentWorkerEvents {
  registered: [workerId: string];
  sessionstarted: [session: CallSession];
  sessionended: [sessionId: string, reason: string];
  disconnected: [reason: string];
}

const fail = (code: AgentLinkErrorCode, message: string): AgentLinkAck<never> => ({
  ok: false,
  error: { code, message },
});

/**
 * An agent worker process's link to the server: registers with its capacity, accepts dispatched calls and runs one
 * CallSession per call. Sessions are isolated: one failing is reported and closed, the others go on. Losing the
 * connection ends every session (the server ends them too and may dispatch the calls again).
 */
export class AgentWorker extends EventEmitter<AgentWorkerEvents> {
  readonly #options: AgentWorkerOptions;
  readonly #log: Logger;
  readonly #socket: Socket;
  readonly #sessions = new Map<string, CallSession>();
  /** Sessions being created: id -> cancelled by the server meanwhile (its dispatch timed out, the call ended). */
  readonly #starting = new Map<string, { cancelled: boolean }>();
  #workerId: string | null = null;
  #stopping = false;
  #draining = false;
  #everRegistered = false;
  #retryTimer: NodeJS.Timeout | null = null;
  #heartbeatTimer: NodeJS.Timeout | null = null;

  constructor(options: AgentWorkerOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('agent.worker', { worker: options.name });
    this.#socket = io(new URL(AGENTS_NAMESPACE, options.serverUrl).href, {
      auth: { token: options.token },
      autoConnect: false,
      transports: ['websocket'],
      // A restarted server finds its workers again within ~2 s of listening (socket.io's default backs off to 5 s).
      reconnectionDelayMax: 2_000,
    });
    this.#bind();
  }

  get workerId(): string | null {
    return this.#workerId;
  }

  get sessions(): CallSession[] {
    return [...this.#sessions.values()];
  }

  /** Connects and registers; resolves once registered, rejects if the server refuses the connection. */
  start(): Promise<string> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error & { data?: { code?: string; message?: string } }) => {
        if (this.#socket.active) {
          // Not reachable yet (e.g. the server is still starting): socket.io keeps retrying.
          this.#log.warn(
            { err: error.message, server: this.#options.serverUrl },
            'server not reachable; retrying',
          );
          return;
        }
        this.#socket.off('connect_error', onError);
        this.off('registered', onRegistered);
        const detail = error.data?.message ?? error.message;
        reject(
          new Error(
            `The server refused the agent worker (${error.data?.code ?? 'connect_error'}): ${detail}`,
          ),
        );
      };
      const onRegistered = (workerId: string) => {
        this.#socket.off('connect_error', onError);
        resolve(workerId);
      };
      this.#socket.on('connect_error', onError);
      this.once('registered', onRegistered);
      this.#socket.connect();
    });
  }

  /** True once drain() began: dispatches are refused. */
  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Graceful shutdown: refuses new calls, lets the running ones end on their own for up to `timeoutMs`, then hands
   * the rest over and disconnects. Handing over is disconnecting first: the server then ends those sessions as
   * worker_lost and dispatches their calls to another worker.
   */
  async drain(timeoutMs: number): Promise<{ finished: number; handedOver: number }> {
    this.#draining = true;
    const running = () => this.#sessions.size + this.#starting.size;
    const initial = running();
    if (initial > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.off('sessionended', check);
          resolve();
        };
        const check = () => {
          if (running() === 0) done();
        };
        const timer = setTimeout(done, timeoutMs);
        this.on('sessionended', check);
      });
    }
    const handedOver = this.#sessions.size;
    this.#stopping = true;
    this.#socket.disconnect();
    this.stop();
    return { finished: initial - handedOver, handedOver };
  }

  /** Ends every session and disconnects. */
  stop(): void {
    this.#stopping = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#stopHeartbeat();
    for (const session of this.#sessions.values()) session.stop('stopped');
    this.#socket.disconnect();
  }

  #bind(): void {
    const socket = this.#socket;
    socket.on('connect', () => void this.#register());
    socket.on('disconnect', (reason) => {
      this.#log[this.#stopping ? 'info' : 'warn'](
        { reason, sessions: this.#sessions.size },
        'disconnected from the server; ending sessions',
      );
      this.#stopHeartbeat();
      for (const session of this.#sessions.values()) session.stop('stopped');
      const wasRegistered = this.#workerId !== null;
      this.#workerId = null;
      this.emit('disconnected', reason);
      // socket.io retries on its own after network loss, but not after the server closed the connection.
      if (reason === 'io server disconnect' && wasRegistered) this.#retryLater();
    });
    socket.on('connect_error', (error) => {
      // Refused by the server's middleware (e.g. an expired token) after having worked: keep trying, loudly.
      if (this.#everRegistered && !socket.active) {
        this.#log.error({ err: error }, 'the server refused to reconnect this worker; retrying');
        this.#retryLater();
      }
    });
    socket.on(AgentLinkEvents.dispatch, (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const receivedAtMs = systemClock.now();
      void this.#onDispatch(payload, receivedAtMs).then((reply) => ack(reply));
    });
    this.#on(AgentLinkEvents.media, SessionMediaSchema, (m) =>
      this.#sessions.get(m.sessionId)?.startMedia(m),
    );
    this.#on(AgentLinkEvents.streamAdded, SessionStreamAddedSchema, (m) =>
      this.#sessions.get(m.sessionId)?.addStream(m.stream),
    );
    this.#on(AgentLinkEvents.streamRemoved, SessionStreamRemovedSchema, (m) =>
      this.#sessions.get(m.sessionId)?.removeStream(m.ssrc),
    );
    this.#on(AgentLinkEvents.stop, SessionStopSchema, (m) => {
      const starting = this.#starting.get(m.sessionId);
      if (starting) starting.cancelled = true;
      this.#sessions.get(m.sessionId)?.stop('stopped');
    });
    this.#on(AgentLinkEvents.hint, SessionHintSchema, (m) => this.#sessions.get(m.sessionId)?.hint(m.text));
    this.#on(AgentLinkEvents.takeover, SessionTakeoverSchema, (m) =>
      this.#sessions.get(m.sessionId)?.takeover(m.active),
    );
    this.#on(AgentLinkEvents.handoffUnanswered, SessionHandoffUnansweredSchema, (m) =>
      this.#sessions.get(m.sessionId)?.handoffUnanswered(),
    );
  }

  /** Subscribes to a server message, validating it; bad messages are logged and ignored. */
  #on<S extends z.ZodType>(event: string, schema: S, handler: (message: z.infer<S>) => void): void {
    this.#socket.on(event, (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        this.#log.warn(
          { event, issues: formatZodError(parsed.error, { limit: 3 }).issues },
          'ignoring an invalid server message',
        );
        return;
      }
      try {
        handler(parsed.data);
      } catch (error) {
        this.#log.error({ err: error, event }, 'handling a server message failed');
      }
    });
  }

  #stopHeartbeat(): void {
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  #retryLater(): void {
    if (this.#stopping || this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#stopping && !this.#socket.connected) this.#socket.connect();
    }, 2_000);
  }

  async #register(): Promise<void> {
    const { name, capacity } = this.#options;
    const heartbeatMs = this.#options.heartbeatMs ?? 500;
    try {
      const reply = (await this.#socket
        .timeout(10_000)
        .emitWithAck(AgentLinkEvents.register, { name, capacity, heartbeatMs })) as AgentLinkAck<{
        workerId: string;
      }>;
      if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
      this.#workerId = reply.data.workerId;
      this.#stopHeartbeat();
      this.#heartbeatTimer = setInterval(() => this.#socket.emit(AgentLinkEvents.heartbeat), heartbeatMs);
      this.#everRegistered = true;
      this.#log.info({ workerId: this.#workerId, capacity }, 'registered with the server');
      this.emit('registered', this.#workerId);
    } catch (error) {
      this.#log.error({ err: error }, 'registration failed; reconnecting');
      this.#socket.disconnect().connect();
    }
  }

  async #onDispatch(payload: unknown, receivedAtMs: number): Promise<AgentLinkAck<SessionAccept>> {
    const parsed = SessionDispatchSchema.safeParse(payload);
    if (!parsed.success) {
      return fail('bad_request', formatZodError(parsed.error, { what: 'Invalid dispatch' }).message);
    }
    const dispatch = parsed.data;
    if (this.#sessions.has(dispatch.sessionId) || this.#starting.has(dispatch.sessionId))
      return fail('bad_request', `Session ${dispatch.sessionId} already runs here.`);
    if (this.#draining)
      return fail('at_capacity', 'This worker is shutting down and takes no new calls; dispatch elsewhere.');
    if (this.#sessions.size + this.#starting.size >= this.#options.capacity) {
      return fail(
        'at_capacity',
        `This worker runs ${this.#options.capacity} calls at most; dispatch elsewhere.`,
      );
    }
    const starting = { cancelled: false };
    this.#starting.set(dispatch.sessionId, starting);
    try {
      const session = await CallSession.create({
        dispatch,
        rtpIp: this.#options.rtpIp,
        rtpAnnouncedIp: this.#options.rtpAnnouncedIp,
        ingestHost: this.#options.ingestHost,
        createPipeline: this.#options.createPipeline,
        logger: this.#log,
        leadMs: this.#options.leadMs,
        dispatchedAtMs: receivedAtMs,
        uploadRecording: (roomId, file) => uploadRecording(this.#options, roomId, file),
      });
      if (starting.cancelled || !this.#socket.connected) {
        // Nobody waits for this session any more: never leave it running unattended.
        session.stop('stopped');
        return fail('unknown_session', `Session ${dispatch.sessionId} was cancelled while it was starting.`);
      }
      this.#track(session);
      return { ok: true, data: session.accept };
    } catch (error) {
      this.#log.error({ err: error, sessionId: dispatch.sessionId }, 'could not start a session');
      return fail('session_failed', error instanceof Error ? error.message : String(error));
    } finally {
      this.#starting.delete(dispatch.sessionId);
    }
  }

  #track(session: CallSession): void {
    this.#sessions.set(session.id, session);
    session.on('event', (event) =>
      this.#socket.emit(AgentLinkEvents.event, { sessionId: session.id, event }),
    );
    session.on('ended', (reason, message) => {
      this.#sessions.delete(session.id);
      if (this.#socket.connected)
        this.#socket.emit(AgentLinkEvents.ended, { sessionId: session.id, reason, message });
      this.emit('sessionended', session.id, reason);
    });
    this.emit('sessionstarted', session);
  }
}
