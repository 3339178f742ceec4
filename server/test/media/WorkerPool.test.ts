import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/media/WorkerPool.ts';
import { waitFor } from './rtpTools.ts';

describe('WorkerPool', () => {
  it('hands out its workers round robin', async () => {
    const pool = await WorkerPool.create({ numWorkers: 2 });
    try {
      const picks = [];
      for (let i = 0; i < 4; i++) picks.push((await pool.getWorker()).pid);
      expect(new Set(picks).size).toBe(2);
      expect(picks[0]).toBe(picks[2]);
      expect(picks[1]).toBe(picks[3]);
      expect(pool.alive).toBe(true);
    } finally {
      pool.close();
    }
  });

  it('replaces a worker killed with SIGKILL and keeps serving', async () => {
    const pool = await WorkerPool.create({ numWorkers: 1 });
    try {
      const victim = await pool.getWorker();
      const died = once(pool, 'workerdied');
      const started = once(pool, 'workerstarted');
      process.kill(victim.pid, 'SIGKILL');
      const [info] = await died;
      expect(info.pid).toBe(victim.pid);
      expect(victim.died).toBe(true);
      // Asked while no worker is alive, getWorker waits for the replacement instead of failing.
      const next = await pool.getWorker();
      await started;
      expect(next.pid).not.toBe(victim.pid);
      expect(next.died).toBe(false);
      await waitFor(() => pool.alive, 'the pool to be alive again');
      expect(pool.pids).toEqual([next.pid]);
      const router = await next.createRouter({ mediaCodecs: [] });
      expect(router.closed).toBe(false);
    } finally {
      pool.close();
    }
  });

  it("counts live mediasoup objects from mediasoup's own events, down to zero when a worker dies", async () => {
    const pool = await WorkerPool.create({ numWorkers: 1 });
    try {
      const worker = await pool.getWorker();
      const router = await worker.createRouter({
        mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48_000, channels: 2 }],
      });
      const listenInfo = { protocol: 'udp' as const, ip: '127.0.0.1' };
      const ingest = await router.createPlainTransport({ listenInfo, comedia: true });
      const egress = await router.createPlainTransport({ listenInfo });
      const producer = await ingest.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: 100 }],
          encodings: [{ ssrc: 1 }],
        },
      });
      await egress.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      expect(pool.mediaCounts).toEqual({ routers: 1, transports: 2, producers: 1, consumers: 1 });
      egress.close();
      expect(pool.mediaCounts).toEqual({ routers: 1, transports: 1, producers: 1, consumers: 0 });

      process.kill(worker.pid, 'SIGKILL');
      await once(pool, 'workerdied');
      expect(pool.mediaCounts).toEqual({ routers: 0, transports: 0, producers: 0, consumers: 0 });
    } finally {
      pool.close();
    }
  });

  it('is not alive once closed and refuses to hand out workers', async () => {
    const pool = await WorkerPool.create({ numWorkers: 1 });
    const worker = await pool.getWorker();
    pool.close();
    expect(pool.alive).toBe(false);
    expect(worker.closed).toBe(true);
    await expect(pool.getWorker()).rejects.toMatchObject({ code: 'room_closed' });
  });

  it('rejects a nonsensical worker count', async () => {
    await expect(WorkerPool.create({ numWorkers: 0 })).rejects.toThrow(RangeError);
  });
});
