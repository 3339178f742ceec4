import { ConnectionException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { DurableWrites, isConnectionError } from '../../src/calls/DurableWrites.ts';
import { createLogger } from '../../src/log.ts';

const logger = createLogger('test.durable-writes');
logger.level = 'silent';
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });

describe('DurableWrites', () => {
  it('tells an unreachable database from a statement the database refused', () => {
    expect(isConnectionError(refused())).toBe(true);
    expect(isConnectionError(new Error('wrapped', { cause: refused() }))).toBe(true);
    expect(isConnectionError(new ConnectionException(new Error('gone')))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' }))).toBe(
      false,
    );
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });

  it('retries a write until the database answers, reporting the outage and its end', async () => {
    const writes = new DurableWrites({ logger, retry: { baseMs: 5, maxMs: 20 } });
    const seen: string[] = [];
    writes.on('outage', () => seen.push('outage'));
    writes.on('recovered', ({ buffered }) => seen.push(`recovered with ${buffered} held`));
    let attempts = 0;
    expect(writes.admit()).toBe(true);
    const result = await writes.run(async () => {
      attempts++;
      if (attempts < 4) throw refused();
      return 'written';
    });
    expect(result).toBe('written');
    expect(attempts).toBe(4);
    expect(seen).toEqual(['outage', 'recovered with 1 held']);
    expect(writes.databaseDown).toBe(false);
    writes.release();
    expect(writes.buffered).toBe(0);
  });

  it('does not retry a statement error', async () => {
    const writes = new DurableWrites({ logger, retry: { baseMs: 5, maxMs: 20 } });
    let attempts = 0;
    await expect(
      writes.run(async () => {
        attempts++;
        throw new Error('You have an error in your SQL syntax');
      }),
    ).rejects.toThrow(/SQL syntax/);
    expect(attempts).toBe(1);
  });

  it('holds events up to its bound and counts the ones it had to drop', () => {
    const writes = new DurableWrites({ logger, maxBuffered: 3 });
    const admitted = Array.from({ length: 5 }, () => writes.admit());
    expect(admitted).toEqual([true, true, true, false, false]);
    expect(writes.dropped).toBe(2);
    writes.release();
    expect(writes.admit()).toBe(true);
  });

  it('gives up retrying once told to (shutdown during an outage)', async () => {
    const writes = new DurableWrites({ logger, retry: { baseMs: 5, maxMs: 10 } });
    writes.giveUpAfter(50);
    await expect(
      writes.run(async () => {
        throw refused();
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
