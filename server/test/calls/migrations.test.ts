import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const CALL_TABLES = [
  'agent_configs',
  'audit_events',
  'calls',
  'customers',
  'extraction_jobs',
  'order_items',
  'orders',
  'participants',
  'stage_failures',
  'transcript_segments',
  'turn_metrics',
];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

async function tables(): Promise<string[]> {
  const rows = await db.orm.em
    .getConnection()
    .execute<{ name: string }[]>(
      'select table_name as name from information_schema.tables where table_schema = ? order by table_name',
      [db.dbName],
    );
  return rows.map((r) => r.name);
}

describe('call records migration', () => {
  it('creates every call table from an empty database, matching the entities exactly', async () => {
    expect(await tables()).toEqual([]);
    await db.orm.migrator.up();
    expect(await tables()).toEqual(expect.arrayContaining(CALL_TABLES));
    // Every entity column exists with the entity's nullability (MikroORM's own diff is noisy on MariaDB).
    const columns = await db.orm.em
      .getConnection()
      .execute<{ t: string; c: string; nullable: string }[]>(
        'select table_name as t, column_name as c, is_nullable as nullable from information_schema.columns where table_schema = ?',
        [db.dbName],
      );
    const actual = new Set(columns.map((r) => `${r.t}.${r.c}:${r.nullable === 'YES'}`));
    const expected: string[] = [];
    for (const meta of db.orm.getMetadata().getAll().values()) {
      if (!CALL_TABLES.includes(meta.tableName)) continue;
      for (const prop of meta.props) {
        for (const field of prop.fieldNames ?? [])
          expected.push(`${meta.tableName}.${field}:${!!prop.nullable}`);
      }
    }
    expect(expected.length).toBeGreaterThan(80);
    expect(expected.filter((e) => !actual.has(e))).toEqual([]);
    expect(columns.filter((r) => CALL_TABLES.includes(r.t))).toHaveLength(expected.length);
  });

  it('enforces the relations: deleting a call removes its records, an order needs a customer', async () => {
    const conn = db.orm.em.getConnection();
    await conn.execute(
      "insert into calls (id, room_id, display_name, status, redact_pii, started_at) values ('c1', 'r1', 'Anna', 'ended', 1, now(3))",
    );
    await conn.execute(
      "insert into transcript_segments (call_id, segment_id, speaker, text, start_ms, end_ms, created_at) values ('c1', 's1', 'customer', 'hi', 0, 10, now(3))",
    );
    await expect(
      conn.execute(
        "insert into orders (call_id, customer_id, source, confidence, created_at, updated_at) values ('c1', 999, 'rules', 1, now(3), now(3))",
      ),
    ).rejects.toThrow(/foreign key/i);
    await conn.execute("delete from calls where id = 'c1'");
    expect(await conn.execute('select count(*) as n from transcript_segments')).toEqual([{ n: 0 }]);
  });

  it('rolls every migration back down to an empty database, and up again', async () => {
    await db.orm.migrator.down({ to: 0 });
    expect((await tables()).filter((t) => t !== 'mikro_orm_migrations')).toEqual([]);
    await db.orm.migrator.up();
    expect(await tables()).toEqual(expect.arrayContaining(CALL_TABLES));
  });
});
