import { randomUUID } from 'node:crypto';
import { AgentLinkEvents } from '@voiceroom/protocol';
import type { Logger } from '../log.ts';
import type { AgentSession, WorkerEntry } from './workerLink.ts';

/** The gateway's agent sessions, by id and by room (one per room at a time). */
export class AgentSessions {
  readonly #log: Logger;
  readonly #byId = new Map<string, AgentSession>();
  readonly #byRoom = new Map<string, AgentSession>();

  constructor(log: Logger) {
    this.#log = log;
  }

  get all(): AgentSession[] {
    return [...this.#byId.values()];
  }

  get(sessionId: string): AgentSession | undefined {
    return this.#byId.get(sessionId);
  }

  inRoom(roomId: string): AgentSession | undefined {
    return this.#byRoom.get(roomId);
  }

  /** A new session offered to `worker`: the room's session from now on. */
  open(init: {
    roomId: string;
    customerPeerId: string;
    worker: WorkerEntry;
    displayName: string;
  }): AgentSession {
    const session: AgentSession = {
      id: randomUUID(),
      ...init,
      accepted: null,
      link: null,
      suspended: null,
      joinedLiveKit: false,
      ended: false,
    };
    this.#byId.set(session.id, session);
    this.#byRoom.set(session.roomId, session);
    init.worker.sessions.add(session);
    return session;
  }

  /**
   * Ends the session: forgotten, its worker told to stop it (`notifyWorker`, when still connected), its media link
   * closed. Returns false when it had already ended.
   */
  end(session: AgentSession, reason: string, notifyWorker: boolean): boolean {
    if (session.ended) return false;
    session.ended = true;
    if (session.suspended) clearTimeout(session.suspended);
    session.suspended = null;
    this.#byId.delete(session.id);
    if (this.#byRoom.get(session.roomId) === session) this.#byRoom.delete(session.roomId);
    session.worker.sessions.delete(session);
    if (notifyWorker && session.worker.socket.connected) {
      session.worker.socket.emit(AgentLinkEvents.stop, { sessionId: session.id, reason });
    }
    if (session.link && !session.link.closed) session.link.close(reason);
    this.#log.info({ sessionId: session.id, roomId: session.roomId, reason }, 'agent session ended');
    return true;
  }
}
