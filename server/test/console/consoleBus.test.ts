import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleBus } from '../../src/console/ConsoleBus.ts';
import { ConsoleFailure } from '../../src/console/HandoffDesk.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TTL_MS = 2_000;
const opened: { bus: ConsoleBus; redis: Redis }[] = [];

/** Server processes of one deployment: buses on their own Redis connections sharing a fresh prefix. */
function deployment() {
  const prefix = `t-bus-${randomBytes(4).toString('hex')}:`;
  return async () => {
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix, maxRetriesPerRequest: 1 });
    const bus = await ConsoleBus.start({ redis, channelPrefix: prefix, ttlMs: TTL_MS });
    opened.push({ bus, redis });
    return { bus, redis };
  };
}

afterEach(async () => {
  for (const { bus, redis } of opened.splice(0)) {
    await bus.close();
    redis.disconnect();
  }
});

describe('ConsoleBus', () => {
  it('delivers published messages to the other processes of its deployment only', async () => {
    const start = deployment();
    const [a, b] = [await start(), await start()];
    const other = await deployment()();
    const heard: { at: string; topic: string; data: unknown; from: string }[] = [];
    for (const [name, p] of [
      ['a', a],
      ['b', b],
      ['other', other],
    ] as const)
      p.bus.on('message', (topic, data, from) => heard.push({ at: name, topic, data, from }));
    a.bus.publish('notice', { n: 1 });
    await expect
      .poll(() => heard)
      .toEqual([{ at: 'b', topic: 'notice', data: { n: 1 }, from: a.bus.nodeId }]);
  });

  it("answers a question with the responder's result, or its ConsoleFailure code and message", async () => {
    const start = deployment();
    const [a, b] = [await start(), await start()];
    b.bus.answer('sum', async (data) => (data as { x: number; y: number }).x + (data as { y: number }).y);
    b.bus.answer('take', async () => {
      throw new ConsoleFailure('handoff_taken', 'Another agent has already taken this call.');
    });
    await expect(a.bus.ask(b.bus.nodeId, 'sum', { x: 2, y: 3 })).resolves.toBe(5);
    await expect(a.bus.ask(b.bus.nodeId, 'take', {})).rejects.toMatchObject({
      code: 'handoff_taken',
      message: 'Another agent has already taken this call.',
    });
    await expect(a.bus.ask(b.bus.nodeId, 'nothing', {})).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives up on a question to a process that does not answer', async () => {
    const a = await deployment()();
    await expect(a.bus.ask('gone-node', 'sum', {}, 300)).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('reports a process that closed at once, and one whose heartbeats stopped within the TTL', async () => {
    const start = deployment();
    const [a, b, c] = [await start(), await start(), await start()];
    await expect.poll(() => a.bus.peers.sort()).toEqual([b.bus.nodeId, c.bus.nodeId].sort());
    const lost: { node: string; at: number }[] = [];
    a.bus.on('nodeLost', (node) => lost.push({ node, at: performance.now() }));

    await b.bus.close();
    await expect.poll(() => lost.map((l) => l.node)).toEqual([b.bus.nodeId]);

    // c's connection drops: no more heartbeats (as if the process were killed).
    c.redis.disconnect();
    const silentAt = performance.now();
    await expect
      .poll(() => lost.map((l) => l.node), { timeout: TTL_MS * 3 })
      .toEqual([b.bus.nodeId, c.bus.nodeId]);
    expect((lost[1]?.at ?? Number.POSITIVE_INFINITY) - silentAt).toBeLessThan(TTL_MS);
    expect(a.bus.peers).toEqual([]);
  });

  it('does not find again a process that said goodbye when its last heartbeat lands after it', async () => {
    const start = deployment();
    const [a, b] = [await start(), await start()];
    await expect.poll(() => a.bus.peers).toEqual([b.bus.nodeId]);
    const events: string[] = [];
    a.bus.on('nodeFound', (node) => events.push(`found ${node}`));
    a.bus.on('nodeLost', (node) => events.push(`lost ${node}`));
    await b.bus.close();
    await expect.poll(() => events).toEqual([`lost ${b.bus.nodeId}`]);
    // b's heartbeat, in flight as it closed, written after its goodbye took it out of the set
    const [seconds, micros] = await a.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    await a.redis.zadd('console:nodes', String(now), b.bus.nodeId);
    await new Promise((resolve) => setTimeout(resolve, a.bus.heartbeatMs * 3));
    expect(events).toEqual([`lost ${b.bus.nodeId}`]);
    expect(a.bus.peers).toEqual([]);
  });

  it('reports a process that starts later, and one that comes back after it was taken as lost', async () => {
    const start = deployment();
    const a = await start();
    const found: string[] = [];
    a.bus.on('nodeFound', (node) => found.push(node));
    const b = await start();
    await expect.poll(() => found).toEqual([b.bus.nodeId]);
    b.redis.disconnect();
    await expect.poll(() => a.bus.peers, { timeout: TTL_MS * 3 }).toEqual([]);
    await b.redis.connect();
    await expect.poll(() => found, { timeout: TTL_MS * 3 }).toEqual([b.bus.nodeId, b.bus.nodeId]);
    expect(a.bus.peers).toEqual([b.bus.nodeId]);
  });
});
