import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';
import { testDbConfig } from '../helpers/db.ts';

describe('openOrm', () => {
  it('creates the database when it is missing', async () => {
    const dbName = `vr_t_${randomBytes(6).toString('hex')}`;
    const orm = await openOrm(testDbConfig(dbName));
    try {
      const [row] = await orm.em.getConnection().execute<{ name: string }[]>('select database() as name');
      expect(row?.name).toBe(dbName);
    } finally {
      await orm.em.getConnection().execute(`drop database if exists \`${dbName}\``);
      await orm.close(true);
    }
  });

  it('fails at once, naming the address and what to check, when nothing listens there', async () => {
    const config = { ...testDbConfig('vr_t_unreachable'), port: 1 };
    await expect(openOrm(config)).rejects.toThrow(
      /Cannot open the database vr_t_unreachable at root@127\.0\.0\.1:1: .*ECONNREFUSED.*DB_HOST, DB_PORT/,
    );
  });
});
