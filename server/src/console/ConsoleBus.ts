import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { ConsoleErrorCodeSchema, INTERNAL_ERROR, toWireError } from '@voiceroom/protocol';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { createLogger, type Logger } from '../log.ts';
import { ConsoleFailure } from './HandoffDesk.ts';

export interface ConsoleBusOptions {
  /** A connected client (with the deployment's key prefix); the bus subscribes on a duplicate of it. */
  redis: Redis;
  /** Prefix of the pub/sub channels (ioredis prefixes keys, not channels): the deployment's REDIS_KEY_PREFIX. */
  channelPrefix: string;
  /**
   * A stopped server process is taken as gone (its humans, calls and requests dropped) within this long. Default
   * 15 s: heartbeats every quarter of it, gone after two thirds without one (found within 11/12 of it, leaving room
   * for late timers; a heartbeat may be 5/12 of it late before a live process is taken as gone).
   */
  ttlMs?: number;
  logger?: Logger;
}

export interface ConsoleBusEvents {
  /** Another server process published `data` on `topic`. */
  message: [topic: string, data: unknown, from: string];
  /** A server process stopped (closed) or missed its heartbeats for ttlMs. */
  nodeLost: [nodeId: string];
  /** A server process appeared after this one started, or came back after it was taken as lost. */
  nodeFound: [nodeId: string];
}

const NODES_KEY = 'console:nodes';
const ASK_TIMEOUT_MS = 5_000;

const EnvelopeSchema = z.object({
  from: z.string().min(1).max(200),
  topic: z.string().min(1).max(64),
  data: z.unknown().optional(),
  /** A question's id, on the question and on its answer. */
  ask: z.string().max(64).optional(),
  answer: z
    .object({
      ok: z.boolean(),
      error: z.object({ code: z.string().max(64), message: z.string().max(2000) }).optional(),
    })
    .optional(),
});
type Envelope = z.infer<typeof EnvelopeSchema>;

type Responder = (data: unknown, from: string) => Promise<unknown>;

/**
 * The server processes of one deployment behind a load balancer, as the console sees them: broadcast messages and
 * questions to one process over Redis pub/sub, and which processes are alive (a heartbeat in a sorted set, judged
 * by Redis's clock). One process is a cluster of one: the server needs Redis anyway (rate limits, readiness).
 */
export class ConsoleBus extends EventEmitter<ConsoleBusEvents> {
  readonly nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly #options: ConsoleBusOptions;
  readonly #log: Logger;
  readonly #subscriber: Redis;
  readonly #ttlMs: number;
  readonly #alive = new Set<string>();
  /**
   * Processes that said they closed. A heartbeat read before one's goodbye can be handled after it (or its own last
   * beat land after it left the set): it must not be found again, only to be lost a second time.
   */
  readonly #departed = new Set<string>();
  #beating: Promise<void> | undefined;
  readonly #responders = new Map<string, Responder>();
  readonly #waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(options: ConsoleBusOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('console.bus');
    this.#ttlMs = options.ttlMs ?? 15_000;
    this.#subscriber = options.redis.duplicate();
    this.#subscriber.on('error', (error) => this.#log.warn({ err: error }, 'redis subscriber error'));
    this.#subscriber.on('message', (_channel: string, raw: string) => this.#receive(raw));
  }

  static async start(options: ConsoleBusOptions): Promise<ConsoleBus> {
    const bus = new ConsoleBus(options);
    await bus.#subscriber.subscribe(bus.#channel('all'), bus.#channel(bus.nodeId));
    await bus.#beatOnce();
    bus.#timer = setInterval(() => void bus.#beatOnce(), bus.heartbeatMs);
    bus.#timer.unref();
    return bus;
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }

  get heartbeatMs(): number {
    return Math.max(100, Math.floor(this.#ttlMs / 4));
  }

  /** The other processes alive at the last heartbeat. */
  get peers(): string[] {
    return [...this.#alive].filter((n) => n !== this.nodeId);
  }

  publish(topic: string, data: unknown): void {
    this.#send('all', { from: this.nodeId, topic, data });
  }

  /** Answers questions on `topic` from other processes; what `respond` throws goes back as a ConsoleFailure. */
  answer(topic: string, respond: Responder): void {
    this.#responders.set(topic, respond);
  }

  /** Asks process `nodeId` (see answer); rejects with its ConsoleFailure, or after `timeoutMs` (default 5 s). */
  ask(nodeId: string, topic: string, data: unknown, timeoutMs = ASK_TIMEOUT_MS): Promise<unknown> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new ConsoleFailure('internal_error', 'Another server did not answer in time: try again.'));
      }, timeoutMs);
      this.#waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#send(nodeId, { from: this.nodeId, topic, data, ask: id });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#beating;
    await this.#options.redis.zrem(NODES_KEY, this.nodeId).catch(() => undefined);
    this.publish('bye', {});
    this.#subscriber.disconnect();
  }

  #channel(to: string): string {
    return `${this.#options.channelPrefix}console:${to}`;
  }

  #send(to: string, envelope: Envelope): void {
    this.#options.redis
      .publish(this.#channel(to), JSON.stringify(envelope))
      .catch((error: unknown) => this.#log.warn({ err: error, topic: envelope.topic }, 'could not publish'));
  }

  #beatOnce(): Promise<void> {
    this.#beating ??= this.#beat().finally(() => {
      this.#beating = undefined;
    });
    return this.#beating;
  }

  async #beat(): Promise<void> {
    try {
      const redis = this.#options.redis;
      const [seconds, micros] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      await redis.zadd(NODES_KEY, String(now), this.nodeId);
      const scores = await redis.zrange(NODES_KEY, '0', '-1', 'WITHSCORES');
      const alive = new Set<string>();
      const stale: string[] = [];
      for (let i = 0; i + 1 < scores.length; i += 2) {
        const node = scores[i] as string;
        if (now - Number(scores[i + 1]) <= (this.#ttlMs * 2) / 3) alive.add(node);
        else stale.push(node);
      }
      if (stale.length > 0) await redis.zrem(NODES_KEY, ...stale);
      for (const node of this.#departed) if (!alive.has(node)) this.#departed.delete(node);
      for (const node of alive) this.#found(node);
      for (const node of [...this.#alive]) if (!alive.has(node)) this.#lost(node);
    } catch (error) {
      this.#log.warn({ err: error }, 'console heartbeat failed');
    }
  }

  #found(node: string): void {
    if (this.#alive.has(node) || this.#departed.has(node)) return;
    this.#alive.add(node);
    if (node !== this.nodeId) this.emit('nodeFound', node);
  }

  #lost(node: string): void {
    if (!this.#alive.delete(node) || node === this.nodeId) return;
    this.#log.warn({ node }, 'a server process left the console cluster');
    this.emit('nodeLost', node);
  }

  #receive(raw: string): void {
    let envelope: Envelope;
    try {
      envelope = EnvelopeSchema.parse(JSON.parse(raw));
    } catch (error) {
      this.#log.warn({ err: error }, 'dropped a malformed console bus message');
      return;
    }
    const { from, topic, data, ask, answer } = envelope;
    if (from === this.nodeId) return;
    if (answer && ask) {
      const waiting = this.#waiting.get(ask);
      this.#waiting.delete(ask);
      if (!answer.ok) {
        const parsed = ConsoleErrorCodeSchema.safeParse(answer.error?.code);
        waiting?.reject(
          new ConsoleFailure(parsed.success ? parsed.data : INTERNAL_ERROR, answer.error?.message ?? ''),
        );
      } else waiting?.resolve(data);
      return;
    }
    if (topic === 'bye') {
      this.#departed.add(from);
      this.#lost(from);
      return;
    }
    this.#found(from);
    if (!ask) {
      this.emit('message', topic, data, from);
      return;
    }
    const respond = this.#responders.get(topic);
    const reply = (answer: Envelope['answer'], result?: unknown) =>
      this.#send(from, { from: this.nodeId, topic, data: result, ask, answer });
    if (!respond) {
      reply({ ok: false, error: { code: 'not_found', message: `No answer to ${topic}.` } });
      return;
    }
    respond(data, from).then(
      (result) => reply({ ok: true }, result),
      (error: unknown) => {
        const wire = toWireError(error, ConsoleErrorCodeSchema.options);
        if (wire.code === INTERNAL_ERROR) this.#log.error({ err: error, topic }, 'answering failed');
        reply({ ok: false, error: wire });
      },
    );
  }
}
