import { EventEmitter } from 'node:events';
import type { AgentPresence, Presence as ChosenPresence } from '@voiceroom/protocol';
import type { CallEventBus } from '../CallEventBus.ts';

export interface PresenceEvents {
  changed: [agent: AgentPresence];
}

export interface ConsoleUser {
  userId: string;
  displayName: string;
  role: string;
}

interface Agent extends ConsoleUser {
  chosen: ChosenPresence;
  consoles: number;
  /** Room ids of the live calls the agent is in. */
  rooms: Map<string, number>;
}

const STAFF_ROOM_ROLES = new Set(['human_agent', 'supervisor']);

/**
 * Who of the human agents can take a call: what each chose (available, busy, away; available when a console
 * connects), made busy while they are in a live call (from the bus: a staff participant whose identity is their
 * user id), offline once their last console disconnects. A choice outlives reconnects (kept per staff user for the
 * server process's life).
 */
export class Presence extends EventEmitter<PresenceEvents> {
  readonly #agents = new Map<string, Agent>();
  /** peerId -> where a staff participant is, to undo on leave. */
  readonly #peers = new Map<string, { userId: string; roomId: string }>();
  readonly #unsubscribe: (() => void)[];

  constructor(bus: CallEventBus) {
    super();
    this.#unsubscribe = [
      bus.on('participant.joined', (p) => {
        if (!STAFF_ROOM_ROLES.has(p.role) || this.#peers.has(p.peerId)) return;
        this.#peers.set(p.peerId, { userId: p.identity, roomId: p.roomId });
        this.#inCall(p.identity, p.roomId, 1);
      }),
      bus.on('participant.left', (p) => this.#peerGone(p.peerId)),
      bus.on('room.closed', (r) => {
        for (const [peerId, where] of this.#peers) if (where.roomId === r.roomId) this.#peerGone(peerId);
      }),
    ];
  }

  /** A console of this user connected; returns what to call when it disconnects. */
  connect(user: ConsoleUser): () => void {
    const agent = this.#agent(user.userId, user);
    agent.displayName = user.displayName;
    agent.role = user.role;
    agent.consoles++;
    this.#changed(agent);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      agent.consoles--;
      this.#changed(agent);
    };
  }

  set(userId: string, chosen: ChosenPresence): AgentPresence {
    const agent = this.#agent(userId);
    agent.chosen = chosen;
    this.#changed(agent);
    return view(agent);
  }

  get(userId: string): AgentPresence | undefined {
    const agent = this.#agents.get(userId);
    return agent ? view(agent) : undefined;
  }

  /** Everyone with a console open. */
  list(): AgentPresence[] {
    return [...this.#agents.values()].filter((a) => a.consoles > 0).map(view);
  }

  isAvailable(userId: string): boolean {
    return this.get(userId)?.presence === 'available';
  }

  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  #agent(userId: string, user?: ConsoleUser): Agent {
    let agent = this.#agents.get(userId);
    if (!agent) {
      agent = {
        userId,
        displayName: user?.displayName ?? '',
        role: user?.role ?? '',
        chosen: 'available',
        consoles: 0,
        rooms: new Map(),
      };
      this.#agents.set(userId, agent);
    }
    return agent;
  }

  #inCall(userId: string, roomId: string, delta: number): void {
    const agent = this.#agent(userId);
    const n = (agent.rooms.get(roomId) ?? 0) + delta;
    if (n > 0) agent.rooms.set(roomId, n);
    else agent.rooms.delete(roomId);
    this.#changed(agent);
  }

  #peerGone(peerId: string): void {
    const where = this.#peers.get(peerId);
    if (!where) return;
    this.#peers.delete(peerId);
    this.#inCall(where.userId, where.roomId, -1);
  }

  #changed(agent: Agent): void {
    this.emit('changed', view(agent));
  }
}

function view(agent: Agent): AgentPresence {
  const presence =
    agent.consoles === 0
      ? 'offline'
      : agent.chosen === 'available' && agent.rooms.size > 0
        ? 'busy'
        : agent.chosen;
  return {
    userId: agent.userId,
    displayName: agent.displayName,
    role: agent.role,
    presence,
    chosen: agent.chosen,
    calls: agent.rooms.size,
  };
}
