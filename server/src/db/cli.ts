import { parseArgs } from 'node:util';
import { createAdmin } from '../auth/productionAccounts.ts';
import { loadDbConfig } from '../config.ts';
import { openOrm } from './orm.ts';
import { DEFAULT_SEED_PASSWORD, seedDemoUsers } from './seed.ts';

const USAGE = `Usage: node server/src/db/cli.ts <command>
  up            apply every pending migration (creates the database if missing)
  down [--all]  revert the last migration (or all of them)
  seed          create the demo accounts (password: SEED_PASSWORD, default '${DEFAULT_SEED_PASSWORD}'; refused
                when NODE_ENV=production)
  create-admin --email <email> [--name <display name>]
                create an admin account and print its random password once (the first login in production)
  status        list applied and pending migrations
Connection: DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || !['up', 'down', 'seed', 'status', 'create-admin'].includes(command)) {
    console.error(USAGE);
    return command ? 2 : 0;
  }
  if (command === 'seed' && process.env.NODE_ENV === 'production') {
    console.error(
      'Refusing to seed demo accounts with NODE_ENV=production: create the first admin with `node server/src/db/cli.ts create-admin --email <email>`.',
    );
    return 2;
  }
  const { values: flags } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, name: { type: 'string' }, all: { type: 'boolean' } },
  });
  if (command === 'create-admin' && !flags.email) {
    console.error('create-admin needs --email <the admin’s email address>.');
    return 2;
  }
  const db = loadDbConfig();
  const orm = await openOrm(db);
  try {
    const target = `${db.user}@${db.host}:${db.port}/${db.dbName}`;
    switch (command) {
      case 'up': {
        const applied = await orm.migrator.up();
        console.log(`${target}: applied ${applied.length} migration(s)${list(applied.map((m) => m.name))}`);
        break;
      }
      case 'down': {
        const reverted = await orm.migrator.down(flags.all ? { to: 0 } : undefined);
        console.log(
          `${target}: reverted ${reverted.length} migration(s)${list(reverted.map((m) => m.name))}`,
        );
        break;
      }
      case 'seed': {
        await requireMigrated(orm);
        const created = await seedDemoUsers(orm, process.env.SEED_PASSWORD || DEFAULT_SEED_PASSWORD);
        console.log(`${target}: created ${created.length} demo account(s)${list(created)}`);
        if (!process.env.SEED_PASSWORD && created.length > 0) {
          console.warn(
            `Demo accounts use the development password '${DEFAULT_SEED_PASSWORD}': never seed production.`,
          );
        }
        break;
      }
      case 'create-admin': {
        await requireMigrated(orm);
        const { user, password } = await createAdmin(orm, {
          email: flags.email ?? '',
          ...(flags.name ? { displayName: flags.name } : {}),
        });
        console.log(`${target}: created admin ${user.email}`);
        console.log(`password: ${password}`);
        console.log('It is shown only this once: log in and change it (PATCH /api/users/:id).');
        break;
      }
      case 'status': {
        const executed = await orm.migrator.getExecuted();
        const pending = await orm.migrator.getPending();
        console.log(`${target}:`);
        for (const m of executed) console.log(`  applied  ${m.name}`);
        for (const m of pending) console.log(`  pending  ${m.name}`);
        break;
      }
    }
    return 0;
  } finally {
    await orm.close(true);
  }
}

async function requireMigrated(orm: Awaited<ReturnType<typeof openOrm>>): Promise<void> {
  const pending = await orm.migrator.getPending();
  if (pending.length > 0)
    throw new Error(`${pending.length} migration(s) pending: run "npm run migrate" first`);
}

function list(names: string[]): string {
  return names.length > 0 ? `:\n  ${names.join('\n  ')}` : '';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
