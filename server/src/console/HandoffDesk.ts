import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { QueryResult } from '@mikro-orm/core';
import {
  CodedError,
  type ConsoleErrorCode,
  type HandoffAcceptedNotice,
  type HandoffCancelledNotice,
  type HandoffClosedNotice,
  type HandoffRequest,
} from '@voiceroom/protocol';
import type { AuditEntry } from '../calls/auditLog.ts';
import { mysqlUtc } from '../calls/sqlTime.ts';
import type { MikroORM } from '../db/orm.ts';
import { createLogger, type Logger } from '../log.ts';
import type { LiveCalls } from './LiveCalls.ts';

/** Refused console requests: a code of ConsoleErrorCodeSchema and a message that says what to do. */
export class ConsoleFailure extends CodedError<ConsoleErrorCode> {
  constructor(code: ConsoleErrorCode, message: string) {
    super(code, message);
    this.name = 'ConsoleFailure';
  }
}

/** The AI side of a call (server/src/agents/AgentGateway.ts satisfies it). */
export interface HandoffAi {
  /** Nobody accepted: the AI tells the caller and carries on. False when no AI is in that room. */
  handoffUnanswered(roomId: string, requestId: string): boolean;
  takeover(roomId: string, active: boolean): Promise<boolean>;
}

export interface HandoffDeskOptions {
  orm: MikroORM;
  calls: Pick<LiveCalls, 'get' | 'summary' | 'setHandoff'>;
  ai: HandoffAi;
  /** The agent's handoff.timeoutS for a room's agent (undefined: the default). */
  timeoutS: (agentId: string | null) => Promise<number>;
  /** Whether someone holds the room's takeover (the accepting human joined and took over). */
  takenOver: (roomId: string) => boolean;
  audit: (entry: AuditEntry) => Promise<void>;
  /** How long the accepting human has to join and take over before the AI resumes. Default 20 s. */
  joinTimeoutMs?: number;
  logger?: Logger;
}

export interface HandoffDeskEvents {
  requested: [request: HandoffRequest];
  accepted: [notice: HandoffAcceptedNotice];
  expired: [notice: HandoffClosedNotice];
  cancelled: [notice: HandoffCancelledNotice];
}

export interface Accepter {
  userId: string;
  displayName: string;
  role: string;
}

/**
 * Handoff requests, durable in MySQL (handoff_requests): the AI asks for a person, the desk stores the request with
 * its summary and announces it; the first human to accept wins (a conditional update, so two consoles cannot both
 * win), the AI falls silent at once and the human joins with a room token; nobody within the agent's
 * handoff.timeoutS -> expired and the AI tells the caller. A call ending cancels its pending request. Every step is
 * audit-logged with ids only (the summary holds customer data and stays with the call).
 */
export class HandoffDesk extends EventEmitter<HandoffDeskEvents> {
  readonly #options: HandoffDeskOptions;
  readonly #log: Logger;
  /** Pending requests by id, with their expiry timers. */
  readonly #pending = new Map<string, { request: HandoffRequest; timer: NodeJS.Timeout }>();
  readonly #joinTimers = new Set<NodeJS.Timeout>();
  /** Rooms whose request is being stored (a second handoff event meanwhile is the same request). */
  readonly #requesting = new Set<string>();

  constructor(options: HandoffDeskOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('console.handoff');
  }

  /**
   * Requests stopped processes left pending cannot be answered any more: cancels every pending request older than
   * `before` but those in `keep` (the live processes' pending requests).
   */
  async cancelOrphaned(keep: readonly string[], before: Date): Promise<number> {
    const result = await this.#options.orm.em.fork().execute<QueryResult>(
      `update handoff_requests set status = 'cancelled', resolved_at = utc_timestamp(3)
       where status = 'pending' and created_at < ?${keep.length > 0 ? ' and id not in (?)' : ''}`,
      keep.length > 0 ? [mysqlUtc(before), keep] : [mysqlUtc(before)],
      'run',
    );
    return result.affectedRows;
  }

  /** Cancels these requests of a lost process if they are still pending (any live process may; one succeeds). */
  async cancelLost(requestIds: readonly string[]): Promise<void> {
    for (const id of requestIds) {
      if (await this.#resolve(id, 'cancelled', null))
        this.#log.warn({ requestId: id }, 'cancelled the handoff request of a lost server process');
    }
  }

  /** Pending requests, oldest first. */
  get pending(): HandoffRequest[] {
    return [...this.#pending.values()].map((p) => p.request);
  }

  /** The AI asked for a person in this room; undefined when the room is not live or already has a pending request. */
  async request(roomId: string, reason: string): Promise<HandoffRequest | undefined> {
    if (this.#requesting.has(roomId) || this.pending.some((r) => r.roomId === roomId)) return undefined;
    this.#requesting.add(roomId);
    try {
      return await this.#create(roomId, reason);
    } finally {
      this.#requesting.delete(roomId);
    }
  }

  async #create(roomId: string, reason: string): Promise<HandoffRequest | undefined> {
    const call = await this.#options.calls.get(roomId);
    const summary = await this.#options.calls.summary(roomId, reason);
    if (!call || !summary) return undefined;
    const timeoutS = await this.#options.timeoutS(call.agentId);
    const requestId = randomUUID();
    const created = new Date();
    const request: HandoffRequest = {
      requestId,
      callId: call.callId,
      roomId,
      agentId: call.agentId,
      status: 'pending',
      summary,
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + timeoutS * 1000).toISOString(),
    };
    await this.#options.orm.em.fork().execute(
      `insert into handoff_requests (id, call_id, room_id, reason, status, summary, timeout_s, created_at)
       values (?, ?, ?, ?, 'pending', ?, ?, utc_timestamp(3))`,
      [requestId, call.callId, roomId, reason.slice(0, 500), JSON.stringify(summary), timeoutS],
      'run',
    );
    const timer = setTimeout(() => void this.#expire(requestId), timeoutS * 1000);
    this.#pending.set(requestId, { request, timer });
    this.#options.calls.setHandoff(roomId, requestId, 'pending');
    this.#audit(null, 'handoff.request', request);
    this.emit('requested', request);
    return request;
  }

  /** The first human to accept takes the call: the AI falls silent now; the caller gets a room token to join with. */
  async accept(user: Accepter, id: string): Promise<HandoffRequest> {
    // Only the process holding the request may claim it (ConsoleRelay forwards to it); the claim is the MySQL update.
    const entry = this.#pending.get(id);
    if (!entry || !(await this.#resolve(id, 'accepted', user.userId))) throw await this.#closedFailure(id);
    this.#forget(id);
    const { request } = entry;
    await this.#options.ai.takeover(request.roomId, true);
    this.#options.calls.setHandoff(request.roomId, id, 'accepted');
    this.#audit(user, 'handoff.accept', request);
    this.emit('accepted', {
      requestId: id,
      callId: request.callId,
      roomId: request.roomId,
      acceptedBy: { userId: user.userId, displayName: user.displayName },
    });
    this.#watchJoin(request, user);
    return { ...request, status: 'accepted' };
  }

  /** Declining changes nothing for the others; it is audit-logged. */
  async decline(user: Accepter, requestId: string): Promise<void> {
    const entry = this.#pending.get(requestId);
    if (!entry) throw await this.#closedFailure(requestId);
    this.#audit(user, 'handoff.decline', entry.request);
  }

  /** The call ended: its pending request is cancelled. */
  async callEnded(roomId: string, reason: string): Promise<void> {
    for (const { request } of [...this.#pending.values()]) {
      if (request.roomId !== roomId) continue;
      this.#forget(request.requestId);
      if (!(await this.#resolve(request.requestId, 'cancelled', null))) continue;
      this.#audit(null, 'handoff.cancel', request);
      this.emit('cancelled', { requestId: request.requestId, callId: request.callId, roomId, reason });
    }
  }

  close(): void {
    for (const id of [...this.#pending.keys()]) this.#forget(id);
    for (const timer of this.#joinTimers) clearTimeout(timer);
    this.#joinTimers.clear();
  }

  async #expire(requestId: string): Promise<void> {
    const entry = this.#pending.get(requestId);
    if (!entry) return;
    this.#forget(requestId);
    try {
      if (!(await this.#resolve(requestId, 'expired', null))) return;
    } catch (error) {
      this.#log.error({ err: error, requestId }, 'could not record an expired handoff');
      return;
    }
    const { request } = entry;
    this.#options.calls.setHandoff(request.roomId, requestId, 'expired');
    const told = this.#options.ai.handoffUnanswered(request.roomId, requestId);
    this.#log.info({ requestId, roomId: request.roomId, told }, 'handoff request expired');
    this.#audit(null, 'handoff.expire', request);
    this.emit('expired', { requestId, callId: request.callId, roomId: request.roomId });
  }

  /** Moves a pending request on; false when it was not pending any more (someone else got there first). */
  async #resolve(requestId: string, status: 'accepted' | 'expired' | 'cancelled', by: string | null) {
    const result = await this.#options.orm.em.fork().execute<QueryResult>(
      `update handoff_requests set status = ?, accepted_by = ?, resolved_at = utc_timestamp(3)
       where id = ? and status = 'pending'`,
      [status, by, requestId],
      'run',
    );
    return result.affectedRows === 1;
  }

  async #closedFailure(requestId: string): Promise<ConsoleFailure> {
    const [row] = await this.#options.orm.em
      .fork()
      .execute<{ status: string }[]>('select status from handoff_requests where id = ?', [requestId]);
    if (!row)
      return new ConsoleFailure('not_found', `No handoff request ${requestId}: take one from the queue.`);
    if (row.status === 'accepted')
      return new ConsoleFailure('handoff_taken', 'Another agent has already taken this call.');
    if (row.status === 'pending')
      return new ConsoleFailure(
        'not_found',
        'This request is not known to this server yet: try again in a moment.',
      );
    return new ConsoleFailure(
      'handoff_expired',
      `This handoff request is ${row.status}: nobody needs to accept it any more.`,
    );
  }

  /** The AI resumes if the accepting human never joins and takes over. */
  #watchJoin(request: HandoffRequest, user: Accepter): void {
    const timer = setTimeout(() => {
      this.#joinTimers.delete(timer);
      if (this.#options.takenOver(request.roomId)) return;
      this.#log.warn({ requestId: request.requestId, roomId: request.roomId }, 'accepted but never joined');
      this.#audit(user, 'handoff.join_timeout', request);
      void this.#options.ai
        .takeover(request.roomId, false)
        .catch((error: unknown) =>
          this.#log.error({ err: error, roomId: request.roomId }, 'the AI could not resume'),
        );
    }, this.#options.joinTimeoutMs ?? 20_000);
    timer.unref();
    this.#joinTimers.add(timer);
  }

  #forget(requestId: string): void {
    const entry = this.#pending.get(requestId);
    if (entry) clearTimeout(entry.timer);
    this.#pending.delete(requestId);
  }

  #audit(actor: Accepter | null, action: string, request: HandoffRequest): void {
    this.#options
      .audit({
        actor: actor ? { id: actor.userId, role: actor.role } : null,
        action,
        targetType: 'call',
        targetId: request.callId,
        details: { requestId: request.requestId, roomId: request.roomId },
      })
      .catch((error: unknown) => this.#log.error({ err: error, action }, 'could not write the audit entry'));
  }
}
