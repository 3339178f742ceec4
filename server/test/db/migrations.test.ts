import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserEntity } from '../../src/db/entities/index.ts';
import { DEMO_USERS, seedDemoUsers } from '../../src/db/seed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;

async function tables(): Promise<string[]> {
  const rows = await db.orm.em
    .getConnection()
    .execute<{ name: string }[]>(
      'select table_name as name from information_schema.tables where table_schema = ? order by table_name',
      [db.dbName],
    );
  return rows.map((r) => r.name);
}

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

describe('migrations', () => {
  it('apply from an empty database, creating the auth tables', async () => {
    expect(await tables()).toEqual([]);
    const applied = await db.orm.migrator.up();
    expect(applied.map((m) => m.name)).toContain('Migration20261121000000_auth');
    expect(applied[0]?.name).toBe('Migration20261121000000_auth');
    expect(await tables()).toEqual(
      expect.arrayContaining(['users', 'refresh_tokens', 'mikro_orm_migrations']),
    );
    expect(await db.orm.migrator.getPending()).toEqual([]);
  });

  it('match the entity mapping: the ORM reads and writes through the migrated schema', async () => {
    expect(await seedDemoUsers(db.orm, 'pw')).toHaveLength(DEMO_USERS.length);
    expect(await seedDemoUsers(db.orm, 'pw')).toEqual([]);
    const agent = await db.orm.em.fork().findOneOrFail(UserEntity, { email: 'agent@voiceroom.local' });
    expect(agent).toMatchObject({ role: 'human_agent', displayName: 'Demo Agent', disabledAt: null });
    expect(agent.createdAt).toBeInstanceOf(Date);
  });

  it('enforce unique emails', async () => {
    await expect(
      db.orm.em
        .getConnection()
        .execute(
          "insert into users (id, email, password_hash, role, display_name, created_at) values (uuid(), 'admin@voiceroom.local', 'x', 'admin', 'Dup', now(3))",
        ),
    ).rejects.toThrow(/Duplicate entry/);
  });

  it('revert down to an empty schema, leaving only the migrations table', async () => {
    const reverted = await db.orm.migrator.down({ to: 0 });
    expect(reverted.at(-1)?.name).toBe('Migration20261121000000_auth');
    expect(await tables()).toEqual(['mikro_orm_migrations']);
  });

  it('apply again after a full revert', async () => {
    await db.orm.migrator.up();
    expect(await tables()).toEqual(expect.arrayContaining(['users', 'refresh_tokens']));
  });
});
