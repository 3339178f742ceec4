import { randomBytes, randomUUID } from 'node:crypto';
import type { QueryResult } from '@mikro-orm/core';
import { CodedError } from '@voiceroom/protocol';
import type { CallEventBus, CallEventMap } from '../CallEventBus.ts';
import type { MikroORM } from '../db/orm.ts';
import type { ExtractionJobQueue } from '../extraction/jobs/ExtractionJobQueue.ts';
import { createLogger, type Logger } from '../log.ts';
import { REJOINABLE_CLOSE_REASONS } from '../media/errors.ts';
import type { AgentConfigStore } from './AgentConfigStore.ts';
import {
  type CallRowWriter,
  type LiveCall,
  recordParticipantJoined,
  recordParticipantLeft,
  recordStageFailure,
  recordTranscript,
  recordTurnMetrics,
  redactorIf,
} from './callEventRows.ts';
import { DurableWrites } from './DurableWrites.ts';
import { RejoinGrace } from './RejoinGrace.ts';
import { isoUtc } from './sqlTime.ts';

export class CallError extends CodedError<'agent_not_found'> {
  constructor(code: 'agent_not_found', message: string) {
    super(code, message);
    this.name = 'CallError';
  }
}

export interface StartedCall {
  callId: string;
  roomId: string;
  agentId: string | null;
}

export interface CallRecorderOptions {
  orm: MikroORM;
  bus: CallEventBus;
  agentConfigs: Pick<AgentConfigStore, 'get'>;
  /** The durable extraction queue: a job is queued in the same transaction that ends the call. */
  extractionQueue: Pick<ExtractionJobQueue, 'enqueue'>;
  /** Called after a job was queued (wakes the in-process worker). */
  onExtractionQueued?: (callId: string) => void;
  /** The agent answering calls started without an agent id (default 'pizzeria'). */
  defaultAgentId?: string;
  /**
   * A room closed with a rejoin hint (its mediasoup worker died) ends its call only if no room opens again for it
   * within this long: a rejoined call stays one record. Default 30 s.
   */
  rejoinGraceMs?: number;
  /**
   * While the database is unreachable, call events wait in memory (in order, retried with backoff) up to
   * `maxEvents` (default 20,000); on stop() writes still failing are given up after `stopGraceMs` (default 10 s).
   */
  buffer?: { maxEvents?: number; retry?: { baseMs: number; maxMs: number }; stopGraceMs?: number };
  logger?: Logger;
}

/** Reasons that mean the call broke rather than ended. */
const FAILURE_REASONS = /error|died|crash|failed/i;

/**
 * Persists every call as it happens, from the CallEventBus: the call row, participants, final transcript segments
 * (PII-redacted when the call's agent asks for it; the original words of a redacted segment are kept apart for
 * extraction only), per-turn latency; when the room closes it ends the call and queues post-call extraction.
 * Events of one room are written in order (a per-room chain), so extraction never starts before the last segment
 * is stored; a failed write is logged and never breaks the bus or other rooms.
 */
export class CallRecorder {
  readonly #orm: MikroORM;
  readonly #bus: CallEventBus;
  readonly #agentConfigs: Pick<AgentConfigStore, 'get'>;
  readonly #extractionQueue: Pick<ExtractionJobQueue, 'enqueue'>;
  readonly #onExtractionQueued: (callId: string) => void;
  readonly #log: Logger;
  readonly #defaultAgentId: string;
  readonly #rejoinGrace: RejoinGrace;
  readonly #writes: DurableWrites;
  readonly #db: CallRowWriter;
  readonly #stopGraceMs: number;
  readonly #live = new Map<string, LiveCall>();
  readonly #chains = new Map<string, Promise<void>>();
  #unsubscribe: (() => void)[] = [];

  constructor(options: CallRecorderOptions) {
    this.#orm = options.orm;
    this.#bus = options.bus;
    this.#agentConfigs = options.agentConfigs;
    this.#extractionQueue = options.extractionQueue;
    this.#onExtractionQueued = options.onExtractionQueued ?? (() => {});
    this.#log = options.logger ?? createLogger('call-recorder');
    this.#defaultAgentId = options.defaultAgentId ?? 'pizzeria';
    this.#rejoinGrace = new RejoinGrace(options.rejoinGraceMs ?? 30_000, (roomId, reason) => {
      void this.#endCall(roomId, reason);
    });
    this.#writes = new DurableWrites({
      logger: this.#log,
      ...(options.buffer?.maxEvents !== undefined ? { maxBuffered: options.buffer.maxEvents } : {}),
      ...(options.buffer?.retry ? { retry: options.buffer.retry } : {}),
    });
    this.#stopGraceMs = options.buffer?.stopGraceMs ?? 10_000;
    this.#db = {
      write: (sql, params) =>
        this.#writes.run(() => this.#orm.em.fork().execute<QueryResult>(sql, params, 'run')),
      transaction: (work) => this.#writes.run(() => this.#orm.em.fork().transactional(work)),
    };
  }

  /** Call events not yet written: a handful normally, more while the database is unreachable. */
  get bufferedEvents(): number {
    return this.#writes.buffered;
  }

  /** Call events dropped because the buffer was full during a database outage. */
  get droppedEvents(): number {
    return this.#writes.dropped;
  }

  /** True while the last write found the database unreachable. */
  get databaseDown(): boolean {
    return this.#writes.databaseDown;
  }

  start(): void {
    if (this.#unsubscribe.length > 0) return;
    const on = <E extends keyof CallEventMap>(event: E, handler: (p: CallEventMap[E]) => Promise<void>) => {
      this.#unsubscribe.push(
        this.#bus.on(event, (payload) => this.#enqueue(payload.roomId, event, () => handler(payload))),
      );
    };
    on('room.created', (p) => this.#ensureCall(p.roomId, p.agentId).then(() => {}));
    const db = this.#db;
    on('participant.joined', (p) =>
      this.#withCall(p.roomId, (c) => recordParticipantJoined(db, c.callId, p)),
    );
    on('participant.left', (p) => this.#withCall(p.roomId, (c) => recordParticipantLeft(db, c.callId, p)));
    on('transcript', async (p) => {
      if (p.final) await this.#withCall(p.roomId, (c) => recordTranscript(db, c, p));
    });
    on('turn.metrics', (p) => this.#withCall(p.roomId, (c) => recordTurnMetrics(db, c.callId, p)));
    on('stage.failed', (p) => this.#withCall(p.roomId, (c) => recordStageFailure(db, c.callId, p)));
    this.#unsubscribe.push(
      this.#bus.on('room.created', (p) => this.#rejoinGrace.cancel(p.roomId)),
      this.#bus.on('room.closed', (p) => {
        if (!REJOINABLE_CLOSE_REASONS.includes(p.reason)) return void this.#endCall(p.roomId, p.reason);
        this.#rejoinGrace.wait(p.roomId, p.reason);
        this.#log.info(
          { roomId: p.roomId, reason: p.reason, graceMs: this.#rejoinGrace.graceMs },
          'room closed; the call ends unless it rejoins',
        );
      }),
    );
  }

  /** Unsubscribes, ends the calls still waiting for a rejoin, and waits for pending writes. */
  async stop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#writes.giveUpAfter(this.#stopGraceMs);
    await this.idle();
    for (const { roomId, reason } of this.#rejoinGrace.takeAll()) void this.#endCall(roomId, reason);
    await this.idle();
  }

  /** Resolves once every event received so far is written. */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all(this.#chains.values());
  }

  /**
   * Creates the call record and the room id for a new call (POST /api/calls). Without an agent id the default
   * agent answers; `agentId: null` starts a call with no AI agent.
   */
  async startCall(input: { agentId?: string | null; displayName?: string }): Promise<StartedCall> {
    const agentId = input.agentId === undefined ? this.#defaultAgentId : input.agentId;
    const agent = agentId ? await this.#agentConfigs.get(agentId) : undefined;
    if (agentId && !agent) {
      throw new CallError(
        'agent_not_found',
        `No agent "${agentId}": create it or pick one from GET /api/agent-configs.`,
      );
    }
    const displayName = input.displayName ?? 'Caller';
    const callId = randomUUID();
    const roomId = `call-${randomBytes(9).toString('base64url')}`;
    const redact = agent?.privacy.redactPii ?? true;
    await this.#orm.em.fork().execute(
      `insert into calls (id, room_id, agent_id, display_name, status, redact_pii, started_at)
       values (?, ?, ?, ?, 'active', ?, utc_timestamp(3))`,
      [callId, roomId, agentId, displayName.slice(0, 120), redact],
      'run',
    );
    this.#live.set(roomId, { callId, redactor: redactorIf(redact), keepForExtraction: true });
    return { callId, roomId, agentId };
  }

  /** The call record of a live room (created if the room opened without startCall), in order with its events. */
  async callFor(roomId: string): Promise<{ callId: string; displayName: string; startedAt: string }> {
    let callId = '';
    await this.#enqueue(roomId, 'lookup', async () => {
      callId = (await this.#ensureCall(roomId)).callId;
    });
    const [row] = await this.#orm.em
      .fork()
      .execute<{ display_name: string; started_at: string }[]>(
        'select display_name, started_at from calls where id = ?',
        [callId],
      );
    if (!row) throw new Error(`no call record for room ${roomId}`);
    return { callId, displayName: row.display_name, startedAt: isoUtc(row.started_at) as string };
  }

  /** Why the call in this room is over for good (its room tokens may not open the room again), or null. */
  async finalEndReason(roomId: string): Promise<string | null> {
    const [row] = await this.#orm.em
      .fork()
      .execute<{ end_reason: string | null }[]>(
        "select end_reason from calls where room_id = ? and status = 'ended'",
        [roomId],
      );
    // A call cut by a rejoinable close may go on when its clients rejoin with their tokens; any other end is final.
    if (!row || REJOINABLE_CLOSE_REASONS.includes(row.end_reason ?? '')) return null;
    return row.end_reason ?? 'ended';
  }

  /**
   * Ends calls left active by a previous process (it crashed or was killed mid-call) and queues their extraction.
   * Call once at startup, before rooms open. Returns how many were closed.
   */
  async closeOrphanedCalls(reason = 'server_restart'): Promise<number> {
    return this.closeCallsWithoutRoom(() => false, 0, reason);
  }

  /**
   * Ends active calls older than `minAgeMs` whose room no longer exists (the caller never joined, or the room
   * vanished without room.closed), so the live call list does not keep ghosts. Returns how many were closed.
   */
  async closeCallsWithoutRoom(
    roomExists: (roomId: string) => boolean | Promise<boolean>,
    minAgeMs = 10 * 60_000,
    reason = 'room_gone',
  ): Promise<number> {
    const rows = await this.#orm.em
      .fork()
      .execute<{ room_id: string }[]>(
        "select room_id from calls where status = 'active' and started_at <= utc_timestamp(3) - interval ? microsecond",
        [minAgeMs * 1000],
      );
    // A call waiting for its room to reopen (its media worker died a moment ago) is the rejoin grace's to end.
    const exists = await Promise.all(rows.map((row) => roomExists(row.room_id)));
    const gone = rows.filter((row, i) => !exists[i] && !this.#rejoinGrace.has(row.room_id));
    await Promise.all(gone.map((row) => this.#endCall(row.room_id, reason)));
    return gone.length;
  }

  /** Ends the call in order after the room's pending writes (and queues its extraction). */
  #endCall(roomId: string, reason: string): Promise<void> {
    return this.#enqueue(roomId, 'room.closed', () => this.#roomClosed({ roomId, reason }));
  }

  /** Writes the event's rows once the room's call record exists. */
  async #withCall(roomId: string, write: (call: LiveCall) => Promise<void>): Promise<void> {
    await write(await this.#ensureCall(roomId));
  }

  #enqueue(roomId: string, event: string, write: () => Promise<void>): Promise<void> {
    if (!this.#writes.admit()) return Promise.resolve();
    const previous = this.#chains.get(roomId) ?? Promise.resolve();
    const next = previous
      .then(write)
      .catch((error: unknown) =>
        this.#log.error({ err: error, roomId, event }, 'could not record a call event'),
      )
      .finally(() => {
        this.#writes.release();
        if (this.#chains.get(roomId) === next) this.#chains.delete(roomId);
      });
    this.#chains.set(roomId, next);
    return next;
  }

  /** The call of a room: cached, else from the database, else created (a room opened without startCall). */
  async #ensureCall(roomId: string, agentId: string | null = null): Promise<LiveCall> {
    const cached = this.#live.get(roomId);
    if (cached) return cached;
    const [row] = await this.#writes.run(() =>
      this.#orm.em
        .fork()
        .execute<{ id: string; redact_pii: number; status: string }[]>(
          'select id, redact_pii, status from calls where room_id = ?',
          [roomId],
        ),
    );
    if (row) {
      const live = {
        callId: row.id,
        redactor: redactorIf(Boolean(row.redact_pii)),
        keepForExtraction: row.status === 'active',
      };
      this.#live.set(roomId, live);
      return live;
    }
    const agent = agentId ? await this.#writes.run(() => this.#agentConfigs.get(agentId)) : undefined;
    const redact = agent?.privacy.redactPii ?? true;
    const live = { callId: randomUUID(), redactor: redactorIf(redact), keepForExtraction: true };
    await this.#db.write(
      `insert into calls (id, room_id, agent_id, display_name, status, redact_pii, started_at)
       values (?, ?, ?, '', 'active', ?, utc_timestamp(3))`,
      [live.callId, roomId, agentId, redact],
    );
    this.#live.set(roomId, live);
    return live;
  }

  async #roomClosed(p: CallEventMap['room.closed']): Promise<void> {
    const { callId } = await this.#ensureCall(p.roomId);
    this.#live.delete(p.roomId);
    const queued = await this.#db.transaction(async (em) => {
      const [spoke] = await em.execute<{ n: number }[]>(
        "select count(*) as n from transcript_segments where call_id = ? and speaker = 'customer'",
        [callId],
      );
      const outcome = FAILURE_REASONS.test(p.reason)
        ? 'failed'
        : Number(spoke?.n) > 0
          ? 'completed'
          : 'abandoned';
      const ended = await em.execute<QueryResult>(
        `update calls set status = 'ended', outcome = ?, end_reason = ?, ended_at = utc_timestamp(3)
         where id = ? and status = 'active'`,
        [outcome, p.reason.slice(0, 200), callId],
        'run',
      );
      await em.execute(
        `update participants set left_at = utc_timestamp(3), left_reason = 'call ended' where call_id = ? and left_at is null`,
        [callId],
        'run',
      );
      if (ended.affectedRows === 0) return undefined;
      await this.#extractionQueue.enqueue(callId, em);
      return outcome;
    });
    if (!queued) return;
    this.#onExtractionQueued(callId);
    this.#log.info(
      { callId, roomId: p.roomId, outcome: queued, reason: p.reason },
      'call ended; extraction queued',
    );
  }
}
