import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlAgentConfigStore } from '../../src/calls/AgentConfigStore.ts';
import { RetentionSweeper } from '../../src/privacy/RetentionSweeper.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let store: MySqlAgentConfigStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new MySqlAgentConfigStore(db.orm);
  await store.put({ id: 'short', name: 'Short memory', greeting: 'Hi', privacy: { retentionDays: 7 } });
  await store.put({ id: 'long', name: 'Long memory', greeting: 'Hi', privacy: { retentionDays: 365 } });
});
afterAll(async () => {
  await db?.drop();
});

const sql = <T>(query: string, params: unknown[] = []) => db.orm.em.fork().execute<T[]>(query, params);

async function call(id: string, agentId: string | null, daysAgo: number, status = 'ended') {
  await sql(
    `insert into calls (id, room_id, agent_id, display_name, status, redact_pii, started_at, ended_at)
     values (?, ?, ?, 'x', ?, 1, utc_timestamp(3) - interval ? day, utc_timestamp(3) - interval ? day)`,
    [id, `room-${id}`, agentId, status, daysAgo, daysAgo],
  );
  await sql(
    `insert into transcript_segments (call_id, segment_id, speaker, text, start_ms, end_ms, created_at)
     values (?, 's', 'customer', 'hello', 0, 1, utc_timestamp(3))`,
    [id],
  );
}

describe('RetentionSweeper', () => {
  it("deletes ended calls past their agent's retention with their transcripts, keeps the rest, and audits it", async () => {
    await call('short-old', 'short', 10);
    await call('short-new', 'short', 3);
    await call('long-old', 'long', 100);
    await call('gone-old', 'deleted-agent', 120);
    await call('gone-new', null, 30);
    await call('short-active', 'short', 30, 'active');
    const deleted = await new RetentionSweeper({ orm: db.orm, agentConfigs: store }).sweep();
    expect(deleted).toEqual({ short: 1, '': 1 });
    const left = await sql<{ id: string }>('select id from calls order by id');
    expect(left.map((r) => r.id)).toEqual(['gone-new', 'long-old', 'short-active', 'short-new']);
    expect(await sql('select count(*) as n from transcript_segments')).toEqual([{ n: 4 }]);
    const [audit] = await sql<{ action: string; details: string | object }>(
      "select action, details from audit_events where action = 'retention.sweep'",
    );
    const details = typeof audit?.details === 'string' ? JSON.parse(audit.details) : audit?.details;
    expect(details).toEqual({ deleted: { short: 1, '': 1 } });
    // Nothing left to delete: no new audit entry.
    expect(await new RetentionSweeper({ orm: db.orm, agentConfigs: store }).sweep()).toEqual({});
    expect(await sql("select count(*) as n from audit_events where action = 'retention.sweep'")).toEqual([
      { n: 1 },
    ]);
  });

  it('deletes audit entries older than the longest retention of any agent, or the configured audit retention', async () => {
    const audit = (id: string, daysAgo: number) =>
      sql(
        `insert into audit_events (actor_id, actor_role, action, target_type, target_id, details, created_at)
         values (null, null, 'test.entry', 'call', ?, null, utc_timestamp(3) - interval ? day)`,
        [id, daysAgo],
      );
    await audit('ancient', 400);
    await audit('recent', 200);
    const deleted = await new RetentionSweeper({ orm: db.orm, agentConfigs: store }).sweep();
    expect(deleted).toEqual({ audit_events: 1 });
    const left = async () =>
      (
        await sql<{ target_id: string }>("select target_id from audit_events where action = 'test.entry'")
      ).map((r) => r.target_id);
    expect(await left()).toEqual(['recent']);
    await new RetentionSweeper({ orm: db.orm, agentConfigs: store, auditRetentionDays: 30 }).sweep();
    expect(await left()).toEqual([]);
  });
});
