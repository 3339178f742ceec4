import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import type { AgentPresence, Presence as ChosenPresence } from '@voiceroom/protocol';
import type { Redis } from 'ioredis';
import { createLogger, type Logger } from '../log.ts';
import type { ConsoleBus } from './ConsoleBus.ts';
import { type ConsoleUser, type Presence, type PresenceRecord, PresenceRecordSchema } from './Presence.ts';

export interface SharedPresenceOptions {
  local: Presence;
  bus: ConsoleBus;
  redis: Redis;
  logger?: Logger;
}

export interface SharedPresenceEvents {
  changed: [agent: AgentPresence];
}

const TOPIC = 'presence';

/**
 * Presence across server processes, as every console shows it: each process keeps its records (Presence) in a Redis
 * hash that expires unless its heartbeat renews it, and publishes each change; a user's consoles are summed, their
 * calls on any process make them busy, the latest choice wins. A process that stops or misses its heartbeats drops
 * out (ConsoleBus nodeLost), and so do the consoles and calls it held.
 */
export class SharedPresence extends EventEmitter<SharedPresenceEvents> {
  readonly #options: SharedPresenceOptions;
  readonly #log: Logger;
  /** nodeId -> userId -> that process's record (ours included). */
  readonly #records = new Map<string, Map<string, PresenceRecord>>();
  readonly #shown = new Map<string, AgentPresence>();
  readonly #off: (() => void)[] = [];
  #renew: NodeJS.Timeout | undefined;

  constructor(options: SharedPresenceOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('console.presence');
    const { local, bus } = options;
    const onLocal = (record: PresenceRecord) => {
      this.#store(bus.nodeId, record);
      // Stored before it is announced (one connection, in order): a process reading the hash after hearing it sees it.
      this.#write([record]);
      bus.publish(TOPIC, record);
    };
    const onMessage = (topic: string, data: unknown, from: string) => {
      if (topic !== TOPIC) return;
      const parsed = PresenceRecordSchema.safeParse(data);
      if (parsed.success) this.#store(from, parsed.data);
      else this.#log.warn({ from }, 'dropped an invalid presence record');
    };
    const onLost = (node: string) => {
      const gone = this.#records.get(node);
      this.#records.delete(node);
      for (const userId of gone?.keys() ?? []) this.#show(userId);
      options.redis.del(this.#key(node)).catch(() => undefined);
    };
    const onFound = (node: string) => {
      this.#load(node).catch((error: unknown) =>
        this.#log.warn({ err: error, node }, 'could not load presence'),
      );
    };
    local.on('changed', onLocal);
    bus.on('message', onMessage);
    bus.on('nodeLost', onLost);
    bus.on('nodeFound', onFound);
    this.#off.push(
      () => local.off('changed', onLocal),
      () => bus.off('message', onMessage),
      () => bus.off('nodeLost', onLost),
      () => bus.off('nodeFound', onFound),
    );
  }

  /** Loads what the live processes hold and keeps our hash alive. */
  async start(): Promise<void> {
    const { bus, local } = this.#options;
    await Promise.all(bus.peers.map((node) => this.#load(node)));
    this.#write(local.records());
    // Pub/sub delivers at most once (a reconnecting subscriber misses messages): every heartbeat rewrites our hash
    // (it expires otherwise) and rereads the others'.
    this.#renew = setInterval(() => this.#reconcile(), bus.heartbeatMs);
    this.#renew.unref();
  }

  /** A console of this user connected to this process; returns what to call when it disconnects. */
  connect(user: ConsoleUser): () => void {
    return this.#options.local.connect(user);
  }

  set(userId: string, chosen: ChosenPresence): AgentPresence {
    this.#options.local.set(userId, chosen);
    return this.get(userId) as AgentPresence;
  }

  get(userId: string): AgentPresence | undefined {
    return this.#shown.get(userId);
  }

  /** Everyone with a console open on any process. */
  list(): AgentPresence[] {
    return [...this.#shown.values()].filter((a) => a.presence !== 'offline');
  }

  isAvailable(userId: string): boolean {
    return this.get(userId)?.presence === 'available';
  }

  close(): void {
    for (const off of this.#off.splice(0)) off();
    clearInterval(this.#renew);
    this.#options.redis.del(this.#key(this.#options.bus.nodeId)).catch(() => undefined);
  }

  #key(node: string): string {
    return `console:presence:${node}`;
  }

  /** A process's records as stored (when it joined or came back after it was taken as lost). */
  async #load(node: string): Promise<void> {
    const stored = await this.#options.redis.hgetall(this.#key(node));
    if (!this.#options.bus.peers.includes(node)) return;
    const records = new Map<string, PresenceRecord>();
    for (const raw of Object.values(stored)) {
      const parsed = PresenceRecordSchema.safeParse(safeJson(raw));
      if (parsed.success) records.set(parsed.data.userId, parsed.data);
    }
    const before = this.#records.get(node);
    this.#records.set(node, records);
    for (const userId of new Set([...(before?.keys() ?? []), ...records.keys()])) this.#show(userId);
  }

  #reconcile(): void {
    const { bus, local } = this.#options;
    this.#write(local.records());
    for (const node of bus.peers) {
      this.#load(node).catch((error: unknown) =>
        this.#log.warn({ err: error, node }, 'could not load presence'),
      );
    }
  }

  #store(node: string, record: PresenceRecord): void {
    let records = this.#records.get(node);
    if (!records) {
      records = new Map();
      this.#records.set(node, records);
    }
    records.set(record.userId, record);
    this.#show(record.userId);
  }

  /** Recomputes a user's presence from every process's record; announces a change. */
  #show(userId: string): void {
    const records = [...this.#records.values()].flatMap((r) => r.get(userId) ?? []);
    const merged = records.length > 0 ? merge(records) : undefined;
    const before = this.#shown.get(userId);
    if (isDeepStrictEqual(merged, before)) return;
    if (merged) this.#shown.set(userId, merged);
    else this.#shown.delete(userId);
    this.emit('changed', merged ?? { ...(before as AgentPresence), presence: 'offline', calls: 0 });
  }

  #write(records: PresenceRecord[]): void {
    const { redis, bus } = this.#options;
    const key = this.#key(bus.nodeId);
    const fields = records.flatMap((r) => [r.userId, JSON.stringify(r)]);
    const pipeline = redis.pipeline();
    if (fields.length > 0) pipeline.hset(key, ...fields);
    pipeline.pexpire(key, bus.ttlMs);
    pipeline.exec().catch((error: unknown) => this.#log.warn({ err: error }, 'could not store presence'));
  }
}

function merge(records: PresenceRecord[]): AgentPresence {
  const latest = records.reduce((a, b) => (b.chosenAt > a.chosenAt ? b : a));
  const named = records.find((r) => r.displayName !== '') ?? latest;
  const consoles = records.reduce((sum, r) => sum + r.consoles, 0);
  const calls = new Set(records.flatMap((r) => r.rooms)).size;
  const presence =
    consoles === 0 ? 'offline' : latest.chosen === 'available' && calls > 0 ? 'busy' : latest.chosen;
  return {
    userId: latest.userId,
    displayName: named.displayName,
    role: named.role,
    presence,
    chosen: latest.chosen,
    calls,
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
