import type { QueryResult } from '@mikro-orm/core';
import type { AgentConfig } from '@voiceroom/protocol';
import { recordAudit } from '../calls/auditLog.ts';
import type { MikroORM } from '../db/orm.ts';
import { createLogger, type Logger } from '../log.ts';

export interface RetentionSweeperOptions {
  orm: MikroORM;
  agentConfigs: { list(): Promise<AgentConfig[]> };
  /** For calls whose agent is gone or unknown (default 90, the schema's default). */
  defaultRetentionDays?: number;
  /**
   * Audit entries older than this are deleted (default: the longest retention of any agent, at least
   * defaultRetentionDays), so no trace of a call outlives every call it could be about.
   */
  auditRetentionDays?: number;
  /** Call recordings: a recording whose call is gone (swept, or deleted otherwise) is deleted too. */
  recordings?: { callIds(): Promise<string[]>; delete(callId: string): Promise<void> };
  logger?: Logger;
}

/**
 * Deletes ended calls older than their agent's `privacy.retentionDays`, with everything recorded about them
 * (participants, transcript, metrics, extraction job, customer, order: the foreign keys cascade). Each sweep
 * is one audit entry with the counts. Audit entries are swept too, after auditRetentionDays. Active calls are never
 * touched.
 */
export class RetentionSweeper {
  readonly #orm: MikroORM;
  readonly #agentConfigs: RetentionSweeperOptions['agentConfigs'];
  readonly #defaultDays: number;
  readonly #auditDays: number | undefined;
  readonly #recordings: RetentionSweeperOptions['recordings'];
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RetentionSweeperOptions) {
    this.#orm = options.orm;
    this.#agentConfigs = options.agentConfigs;
    this.#defaultDays = options.defaultRetentionDays ?? 90;
    this.#auditDays = options.auditRetentionDays;
    this.#recordings = options.recordings;
    this.#log = options.logger ?? createLogger('retention');
  }

  /**
   * Deletes what is past retention; returns the number of calls deleted per agent ('' = no or unknown agent) and,
   * under 'audit_events', the number of audit entries deleted.
   */
  async sweep(): Promise<Record<string, number>> {
    const agents = await this.#agentConfigs.list();
    const known = agents.map((a) => a.id);
    const deleted: Record<string, number> = {};
    await this.#orm.em.fork().transactional(async (em) => {
      for (const agent of agents) {
        const result = await em.execute<QueryResult>(
          `delete from calls where agent_id = ? and status = 'ended'
           and ended_at < utc_timestamp(3) - interval ? day`,
          [agent.id, agent.privacy.retentionDays],
          'run',
        );
        if (result.affectedRows > 0) deleted[agent.id] = result.affectedRows;
      }
      const orphans = await em.execute<QueryResult>(
        `delete from calls where status = 'ended' and ended_at < utc_timestamp(3) - interval ? day
         and (agent_id is null${known.length > 0 ? ` or agent_id not in (${known.map(() => '?').join(', ')})` : ''})`,
        [this.#defaultDays, ...known],
        'run',
      );
      if (orphans.affectedRows > 0) deleted[''] = orphans.affectedRows;
      const auditDays =
        this.#auditDays ?? Math.max(this.#defaultDays, ...agents.map((a) => a.privacy.retentionDays));
      const audits = await em.execute<QueryResult>(
        'delete from audit_events where created_at < utc_timestamp(3) - interval ? day',
        [auditDays],
        'run',
      );
      if (audits.affectedRows > 0) deleted.audit_events = audits.affectedRows;
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      if (total > 0) {
        await recordAudit(em, {
          actor: null,
          action: 'retention.sweep',
          targetType: 'calls',
          targetId: 'retention',
          details: { deleted },
        });
      }
    });
    const recordings = await this.#sweepRecordings();
    if (recordings > 0) deleted.recordings = recordings;
    if (Object.keys(deleted).length > 0) this.#log.info({ deleted }, 'deleted calls past retention');
    return deleted;
  }

  /** Deletes the recordings of calls that no longer exist; returns how many. */
  async #sweepRecordings(): Promise<number> {
    if (!this.#recordings) return 0;
    const ids = await this.#recordings.callIds();
    let deleted = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      const rows = await this.#orm.em
        .fork()
        .execute<{ id: string }[]>(
          `select id from calls where id in (${batch.map(() => '?').join(', ')})`,
          batch,
        );
      const alive = new Set(rows.map((r) => r.id));
      for (const id of batch.filter((id) => !alive.has(id))) {
        await this.#recordings.delete(id);
        deleted++;
      }
    }
    return deleted;
  }

  /** Sweeps now and then every `intervalMs` (default daily); errors are logged and the next run tries again. */
  start(intervalMs = 24 * 3600 * 1000): void {
    if (this.#timer) return;
    const run = () =>
      void this.sweep().catch((error: unknown) => this.#log.error({ err: error }, 'retention sweep failed'));
    run();
    this.#timer = setInterval(run, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
