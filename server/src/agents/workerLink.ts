import {
  AgentLinkEvents,
  formatZodError,
  type SessionAccept,
  type SessionEnded,
  SessionEndedSchema,
  type SessionEvent,
  SessionEventSchema,
  WorkerRegisterSchema,
} from '@voiceroom/protocol';
import type { Socket } from 'socket.io';
import type { Logger } from '../log.ts';
import type { AgentMediaLink } from '../media/AgentMediaLink.ts';

/** A registered agent worker and the sessions it runs. */
export interface WorkerEntry {
  id: string;
  name: string;
  capacity: number;
  socket: Socket;
  sessions: Set<AgentSession>;
  get active(): number;
}

/** One call's agent: the worker running it and, once joined, its media link in the room. */
export interface AgentSession {
  id: string;
  roomId: string;
  customerPeerId: string;
  worker: WorkerEntry;
  /** The worker's UDP socket for this session, once it accepted. */
  accepted: SessionAccept | null;
  displayName: string;
  link: AgentMediaLink | null;
  /** A LiveKit session whose worker joined the room itself (no AgentMediaLink). */
  joinedLiveKit: boolean;
  /** Set while the session waits for its room to come back (see the gateway's rejoinGraceMs). */
  suspended: NodeJS.Timeout | null;
  ended: boolean;
}

/** What a worker's connection reports to the gateway, each message already validated. */
export interface WorkerLinkHandlers {
  /** `heartbeatMs`: how often the worker promised a heartbeat (absent from workers that send none). */
  registered(worker: WorkerEntry, heartbeatMs: number | undefined): void;
  /** Any message from the worker shows it alive; the heartbeat is for when it has nothing else to say. */
  alive(socketId: string): void;
  event(worker: WorkerEntry, message: SessionEvent): void;
  ended(worker: WorkerEntry, message: SessionEnded): void;
  disconnected(worker: WorkerEntry, reason: string): void;
}

/**
 * Listens to one worker's /agents connection: `worker.register` once (acked), then session events and endings.
 * Invalid messages are refused or dropped here; nothing is reported before registration.
 */
export function listenToWorker(socket: Socket, handlers: WorkerLinkHandlers, log: Logger): void {
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
      const { message } = formatZodError(parsed.error, { what: 'Invalid worker.register' });
      return ack({ ok: false, error: { code: 'bad_request', message } });
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
    ack({ ok: true, data: { workerId: worker.id } });
    handlers.registered(worker, parsed.data.heartbeatMs);
  });
  socket.onAny(() => handlers.alive(socket.id));
  socket.on(AgentLinkEvents.event, (payload: unknown) => {
    const parsed = SessionEventSchema.safeParse(payload);
    if (!worker || !parsed.success) {
      // what was wrong, never the values (a callback's number heard in part is refused here)
      const problems = parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      log.warn({ workerId: socket.id, valid: parsed.success, problems }, 'dropping an invalid session event');
      return;
    }
    handlers.event(worker, parsed.data);
  });
  socket.on(AgentLinkEvents.ended, (payload: unknown) => {
    const parsed = SessionEndedSchema.safeParse(payload);
    if (worker && parsed.success) handlers.ended(worker, parsed.data);
  });
  socket.on('disconnect', (reason) => {
    if (worker) handlers.disconnected(worker, reason);
  });
}
