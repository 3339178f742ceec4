import { EventEmitter } from 'node:events';
import { type Presence as ChosenPresence, PresenceSchema } from '@voiceroom/protocol';
import { z } from 'zod';
import type { CallEventBus } from '../CallEventBus.ts';

/** What one server process knows of a staff user: SharedPresence merges these across processes. */
export const PresenceRecordSchema = z.object({
  userId: z.string().min(1).max(64),
  displayName: z.string().max(120),
  role: z.string().max(32),
  chosen: PresenceSchema,
  /** When `chosen` was set (ms since the epoch; 0: never, the default). The latest choice wins. */
  chosenAt: z.number().nonnegative(),
  /** Consoles of the user connected to this process. */
  consoles: z.number().int().nonnegative(),
  /** Room ids of the live calls on this process the user is in. */
  rooms: z.array(z.string().max(64)).max(1000),
});
export type PresenceRecord = z.infer<typeof PresenceRecordSchema>;

export interface PresenceEvents {
  changed: [record: PresenceRecord];
}

export interface ConsoleUser {
  userId: string;
  displayName: string;
  role: string;
}

interface Agent extends ConsoleUser {
  chosen: ChosenPresence;
  chosenAt: number;
  consoles: number;
  /** Room ids of the live calls the agent is in. */
  rooms: Map<string, number>;
}

const STAFF_ROOM_ROLES = new Set(['human_agent', 'supervisor']);

/**
 * What this server process knows of the human agents: what each chose here (available, busy, away), their consoles
 * connected here, and the live calls here they are in (from the bus: a staff participant whose identity is their
 * user id). A choice outlives reconnects (kept per staff user for the process's life). SharedPresence merges the
 * records of every process into what consoles show.
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

  set(userId: string, chosen: ChosenPresence): void {
    const agent = this.#agent(userId);
    agent.chosen = chosen;
    agent.chosenAt = Date.now();
    this.#changed(agent);
  }

  /** Every staff user this process knows of. */
  records(): PresenceRecord[] {
    return [...this.#agents.values()].map(record);
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
        chosenAt: 0,
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
    this.emit('changed', record(agent));
  }
}

function record(agent: Agent): PresenceRecord {
  const { userId, displayName, role, chosen, chosenAt, consoles } = agent;
  return { userId, displayName, role, chosen, chosenAt, consoles, rooms: [...agent.rooms.keys()] };
}
