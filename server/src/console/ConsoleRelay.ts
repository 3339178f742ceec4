import { EventEmitter } from 'node:events';
import {
  type ConsoleNotificationName,
  ConsoleNotificationSchemas,
  type ConsoleNotifications,
  type HandoffRequest,
  HandoffRequestSchema,
  type LiveCall,
  LiveCallSchema,
} from '@voiceroom/protocol';
import { z } from 'zod';
import { createLogger, type Logger } from '../log.ts';
import type { CallbackDesk } from './CallbackDesk.ts';
import type { ConsoleBus } from './ConsoleBus.ts';
import { type Accepter, ConsoleFailure, type HandoffDesk } from './HandoffDesk.ts';
import type { LiveCalls } from './LiveCalls.ts';

export interface ConsoleRelayOptions {
  bus: ConsoleBus;
  calls: LiveCalls;
  desk: HandoffDesk;
  callbacks: CallbackDesk;
  logger?: Logger;
}

/** A notification for every console, whichever process its socket is on. */
export type Notice = {
  [N in Exclude<ConsoleNotificationName, 'console.state' | 'presence.changed'>]: [
    name: N,
    payload: ConsoleNotifications[N],
  ];
}[Exclude<ConsoleNotificationName, 'console.state' | 'presence.changed'>];

export interface ConsoleRelayEvents {
  notice: Notice;
}

const AccepterSchema = z.object({
  userId: z.string().min(1).max(64),
  displayName: z.string().max(120),
  role: z.string().max(32),
});
const AnswerSchema = z.object({ user: AccepterSchema, requestId: z.string().min(1).max(64) });
const SnapshotSchema = z.object({
  calls: z.array(LiveCallSchema).max(10_000),
  handoffs: z.array(HandoffRequestSchema).max(10_000),
});
const SNAPSHOT_TIMEOUT_MS = 1_500;
const NoticeSchema = z.object({ name: z.string().max(64), payload: z.unknown() });

/**
 * The console's calls, handoff requests and callbacks across server processes: what happens on this process is
 * announced here and published to the others; what they publish is announced here too and kept (their live calls and
 * pending requests, for a console that connects later). Accepting or declining a request another process owns is
 * forwarded to it; its MySQL claim keeps the first accept the only winner. A lost process's calls end and its pending
 * requests are cancelled (reason server_lost).
 */
export class ConsoleRelay extends EventEmitter<ConsoleRelayEvents> {
  readonly #options: ConsoleRelayOptions;
  readonly #log: Logger;
  /** nodeId -> roomId -> call, of the other processes. */
  readonly #calls = new Map<string, Map<string, LiveCall>>();
  /** requestId -> the request and the process that owns it (the other processes' pending requests). */
  readonly #handoffs = new Map<string, { request: HandoffRequest; node: string }>();
  readonly #off: (() => void)[] = [];

  constructor(options: ConsoleRelayOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('console.relay');
    const { bus, calls, desk, callbacks } = options;
    const local = <N extends Notice[0]>(name: N) => {
      return (payload: ConsoleNotifications[N]) => {
        this.emit('notice', ...([name, payload] as Notice));
        bus.publish('notice', { name, payload });
      };
    };
    const on = <T extends Record<keyof T, unknown[]>, K extends keyof T & string>(
      emitter: EventEmitter<T>,
      event: K,
      listener: (...args: T[K]) => void,
    ) => {
      const untyped = emitter as unknown as EventEmitter;
      untyped.on(event, listener as (...args: unknown[]) => void);
      this.#off.push(() => untyped.off(event, listener as (...args: unknown[]) => void));
    };
    on(calls, 'updated', (call) => local('call.updated')({ call }));
    on(calls, 'ended', local('call.ended'));
    on(desk, 'requested', (request) => local('handoff.requested')({ request }));
    on(desk, 'accepted', local('handoff.accepted'));
    on(desk, 'expired', local('handoff.expired'));
    on(desk, 'cancelled', local('handoff.cancelled'));
    on(callbacks, 'requested', (callback) => local('callback.requested')({ callback }));
    on(bus, 'message', (topic, data, from) => {
      if (topic === 'notice') this.#remote(from, data);
    });
    on(bus, 'nodeLost', (node) => void this.#lost(node));
    on(bus, 'nodeFound', (node) => void this.#snapshot(node, true));
    bus.answer('snapshot', async () => ({ calls: await calls.list(), handoffs: desk.pending }));
    bus.answer('handoff.accept', async (data) => {
      const { user, requestId } = parse(AnswerSchema, data);
      return desk.accept(user, requestId);
    });
    bus.answer('handoff.decline', async (data) => {
      const { user, requestId } = parse(AnswerSchema, data);
      await desk.decline(user, requestId);
      return {};
    });
  }

  /** Takes what the other live processes hold; cancels requests a lost process left pending. */
  async start(): Promise<void> {
    const { bus, desk } = this.#options;
    const started = new Date();
    const keep = (await Promise.all(bus.peers.map((node) => this.#snapshot(node, false)))).flat();
    const cancelled = await desk.cancelOrphaned(keep, started);
    if (cancelled > 0)
      this.#log.warn({ requests: cancelled }, 'cancelled handoff requests a stopped process left pending');
  }

  /** Every live call on every process. */
  async calls(): Promise<LiveCall[]> {
    const remote = [...this.#calls.values()].flatMap((calls) => [...calls.values()]);
    return [...(await this.#options.calls.list()), ...remote];
  }

  /** Every pending handoff request on every process. */
  get pending(): HandoffRequest[] {
    return [...this.#options.desk.pending, ...[...this.#handoffs.values()].map((h) => h.request)];
  }

  /** Accepts on the process that owns the request (here, or forwarded). */
  async accept(user: Accepter, requestId: string): Promise<HandoffRequest> {
    const owner = this.#handoffs.get(requestId)?.node;
    if (!owner) return this.#options.desk.accept(user, requestId);
    return HandoffRequestSchema.parse(
      await this.#options.bus.ask(owner, 'handoff.accept', { user, requestId }),
    );
  }

  async decline(user: Accepter, requestId: string): Promise<void> {
    const owner = this.#handoffs.get(requestId)?.node;
    if (!owner) return this.#options.desk.decline(user, requestId);
    await this.#options.bus.ask(owner, 'handoff.decline', { user, requestId });
  }

  close(): void {
    for (const off of this.#off.splice(0)) off();
  }

  /**
   * Takes a process's live calls and pending requests; returns those request ids. `found`: the process appeared or
   * came back while we run: its calls are announced to the consoles here (their end was, if it was taken as lost),
   * its requests not (those of a lost process were cancelled; a new one announces its own).
   */
  async #snapshot(node: string, found: boolean): Promise<string[]> {
    try {
      // Short: a process that crashed moments ago is still listed until its heartbeat ages out.
      const snapshot = SnapshotSchema.parse(
        await this.#options.bus.ask(node, 'snapshot', {}, SNAPSHOT_TIMEOUT_MS),
      );
      for (const call of snapshot.calls) {
        this.#callsOf(node).set(call.roomId, call);
        if (found) this.emit('notice', 'call.updated', { call });
      }
      if (found) return [];
      for (const request of snapshot.handoffs) this.#handoffs.set(request.requestId, { request, node });
      return snapshot.handoffs.map((r) => r.requestId);
    } catch (error) {
      this.#log.warn({ err: error, node }, 'another server process did not send its console state');
      return [];
    }
  }

  #callsOf(node: string): Map<string, LiveCall> {
    let calls = this.#calls.get(node);
    if (!calls) {
      calls = new Map();
      this.#calls.set(node, calls);
    }
    return calls;
  }

  #remote(from: string, data: unknown): void {
    const notice = NoticeSchema.safeParse(data);
    const schema =
      notice.success && notice.data.name in ConsoleNotificationSchemas
        ? ConsoleNotificationSchemas[notice.data.name as ConsoleNotificationName]
        : undefined;
    const payload = schema?.safeParse(notice.data?.payload);
    if (!notice.success || !payload?.success) {
      this.#log.warn({ from }, 'dropped an invalid console notice from another process');
      return;
    }
    const event = [notice.data.name, payload.data] as Notice;
    switch (event[0]) {
      case 'call.updated':
        this.#callsOf(from).set(event[1].call.roomId, event[1].call);
        break;
      case 'call.ended':
        this.#calls.get(from)?.delete(event[1].roomId);
        break;
      case 'handoff.requested':
        this.#handoffs.set(event[1].request.requestId, { request: event[1].request, node: from });
        break;
      case 'handoff.accepted':
      case 'handoff.expired':
      case 'handoff.cancelled':
        this.#handoffs.delete(event[1].requestId);
        break;
    }
    this.emit('notice', ...event);
  }

  async #lost(node: string): Promise<void> {
    for (const call of this.#calls.get(node)?.values() ?? []) {
      this.emit('notice', 'call.ended', { callId: call.callId, roomId: call.roomId, reason: 'server_lost' });
    }
    this.#calls.delete(node);
    const lost = [...this.#handoffs.values()].filter((h) => h.node === node).map((h) => h.request);
    for (const request of lost) {
      this.#handoffs.delete(request.requestId);
      const { requestId, callId, roomId } = request;
      this.emit('notice', 'handoff.cancelled', { requestId, callId, roomId, reason: 'server_lost' });
    }
    await this.#options.desk
      .cancelLost(lost.map((r) => r.requestId))
      .catch((error: unknown) => this.#log.error({ err: error, node }, 'could not cancel lost requests'));
  }
}

function parse<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ConsoleFailure('bad_request', 'Invalid forwarded console request.');
  return parsed.data;
}
