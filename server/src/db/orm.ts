import path from 'node:path';
import type { LoggerNamespace, LoggerOptions, Logger as OrmLogger } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/mysql';
import { type DbConfig, REPO_ROOT } from '../config.ts';
import { createLogger } from '../log.ts';
import { ALL_ENTITIES } from './entities/index.ts';

export type { EntityManager, MikroORM } from '@mikro-orm/mysql';

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'migrations');

export interface OpenOrmOptions {
  /** Create the database when it does not exist (default true). */
  ensureDatabase?: boolean;
  /** Log every SQL query at debug level. */
  debug?: boolean;
  /** Connection pool bounds (default 1..10). */
  pool?: { min?: number; max?: number };
}

const log = createLogger('db');

/**
 * Opens the ORM on MariaDB/MySQL with every entity and the migrator over /migrations (TypeScript migration files are
 * imported directly by Node's type stripping). Close it with `orm.close()`.
 */
export async function openOrm(db: DbConfig, options: OpenOrmOptions = {}): Promise<MikroORM> {
  const orm = await initOrm(db, options);
  try {
    // MikroORM connects lazily; connect now so a bad address fails here, and so the database gets created.
    await orm.connect();
    const check = await orm.checkConnection();
    if (!check.ok) throw new Error(check.reason);
    return orm;
  } catch (error) {
    await orm.close(true).catch(() => {});
    throw new Error(
      `Cannot open the database ${db.dbName} at ${db.user}@${db.host}:${db.port}: ${(error as Error).message}. ` +
        'Check that MariaDB/MySQL runs there and that DB_HOST, DB_PORT, DB_USER and DB_PASSWORD are right.',
      { cause: error },
    );
  }
}

function initOrm(db: DbConfig, options: OpenOrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    dbName: db.dbName,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    ensureDatabase: options.ensureDatabase ?? true,
    forceUtcTimezone: true,
    timezone: '+00:00',
    charset: 'utf8mb4',
    pool: { min: options.pool?.min ?? 1, max: options.pool?.max ?? 10 },
    allowGlobalContext: false,
    debug: options.debug ?? false,
    loggerFactory: (loggerOptions) => new PinoOrmLogger(loggerOptions),
    migrations: {
      path: MIGRATIONS_DIR,
      glob: 'Migration*.ts',
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
  });
}

/** Routes MikroORM's own logging into pino (component 'db'). */
class PinoOrmLogger implements OrmLogger {
  readonly #options: LoggerOptions;

  constructor(options: LoggerOptions) {
    this.#options = options;
  }

  log(namespace: LoggerNamespace | string, message: string): void {
    if (this.isEnabled(namespace as LoggerNamespace)) log.debug({ namespace }, message);
  }

  error(namespace: LoggerNamespace | string, message: string): void {
    log.error({ namespace }, message);
  }

  warn(namespace: LoggerNamespace | string, message: string): void {
    log.warn({ namespace }, message);
  }

  logQuery(context: { query: string; took?: number }): void {
    if (this.isEnabled('query')) log.debug({ namespace: 'query', took: context.took }, context.query);
  }

  setDebugMode(debugMode: boolean | LoggerNamespace[]): void {
    this.#options.debugMode = debugMode;
  }

  isEnabled(namespace: LoggerNamespace): boolean {
    const mode = this.#options.debugMode;
    return mode === true || (Array.isArray(mode) && mode.includes(namespace));
  }
}
