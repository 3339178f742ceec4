import { randomBytes } from 'node:crypto';
import type { DbConfig } from '../../src/config.ts';
import { type MikroORM, openOrm } from '../../src/db/orm.ts';

export interface TestDatabase {
  orm: MikroORM;
  dbName: string;
  dbConfig: DbConfig;
  /** Closes the ORM and drops the database. */
  drop(): Promise<void>;
}

/** Base connection for test databases: DB_HOST/DB_PORT/DB_USER/DB_PASSWORD or the local MariaDB defaults. */
export function testDbConfig(dbName: string): DbConfig {
  return {
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 3306),
    user: process.env.DB_USER ?? 'root',
    password: process.env.DB_PASSWORD ?? '',
    dbName,
  };
}

/**
 * A fresh database `vr_t_<random>` with every migration applied. Call `drop()` in afterAll.
 * Pass `{ migrate: false }` for an empty database (migration tests).
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dbName = `vr_t_${randomBytes(6).toString('hex')}`;
  const dbConfig = testDbConfig(dbName);
  const orm = await openOrm(dbConfig, { pool: { min: 0, max: 5 } });
  try {
    if (options.migrate ?? true) await orm.migrator.up();
  } catch (error) {
    await dropDatabase(orm, dbName);
    throw error;
  }
  return { orm, dbName, dbConfig, drop: () => dropDatabase(orm, dbName) };
}

async function dropDatabase(orm: MikroORM, dbName: string): Promise<void> {
  try {
    await orm.em.getConnection().execute(`drop database if exists \`${dbName}\``);
  } finally {
    await orm.close(true);
  }
}
