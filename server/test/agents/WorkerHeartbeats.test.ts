import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerHeartbeats } from '../../src/agents/WorkerHeartbeats.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A separate process that writes a byte to `port` every 10 ms: heartbeats that keep coming whatever this one does. */
async function heartbeatSource(onBeat: () => void): Promise<void> {
  const server = createServer((socket: Socket) => socket.on('data', onBeat));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const connected = new Promise<void>((resolve) => server.once('connection', () => resolve()));
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').connect(${port}, '127.0.0.1'); setInterval(() => s.write('.'), 10);`,
    ],
    { stdio: 'ignore' },
  );
  closers.push(() => {
    child.kill('SIGKILL');
    server.close();
  });
  await connected;
}

describe('WorkerHeartbeats', () => {
  it('reports a worker silent past its timeout, once', async () => {
    const silent: string[] = [];
    const heartbeats = new WorkerHeartbeats({ timeoutMs: 200, onSilent: (id) => silent.push(id) });
    closers.push(() => heartbeats.close());
    heartbeats.watch('quiet', 50);
    heartbeats.watch('chatty', 50);
    const timer = setInterval(() => heartbeats.seen('chatty'), 50);
    closers.push(() => clearInterval(timer));
    await expect.poll(() => silent, { timeout: 2_000 }).toEqual(['quiet']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(silent).toEqual(['quiet']);
  });

  it('gives a worker at least three of its own intervals', async () => {
    const silent: string[] = [];
    const heartbeats = new WorkerHeartbeats({ timeoutMs: 100, onSilent: (id) => silent.push(id) });
    closers.push(() => heartbeats.close());
    const watchedAt = performance.now();
    heartbeats.watch('slow', 200);
    await expect.poll(() => silent, { timeout: 2_000 }).toEqual(['slow']);
    expect(performance.now() - watchedAt).toBeGreaterThanOrEqual(600);
  });

  it('does not condemn a worker whose heartbeats arrived while this process was stalled', async () => {
    const silent: string[] = [];
    const heartbeats = new WorkerHeartbeats({ timeoutMs: 200, onSilent: (id) => silent.push(id) });
    closers.push(() => heartbeats.close());
    let beats = 0;
    let stall = false;
    await heartbeatSource(() => {
      beats++;
      heartbeats.seen('remote');
      if (!stall) return;
      stall = false;
      // A stall of this process inside a socket read, longer than the timeout: the next beats queue up unread, and
      // the timers (the check) run before the next reads do.
      const until = performance.now() + 600;
      while (performance.now() < until);
    });
    heartbeats.watch('remote', 50);
    await expect.poll(() => beats, { timeout: 5_000 }).toBeGreaterThan(2);
    stall = true;
    await expect.poll(() => stall, { timeout: 5_000 }).toBe(false);
    const before = beats;
    await expect.poll(() => beats, { timeout: 5_000 }).toBeGreaterThan(before + 2);
    expect(silent).toEqual([]);
  });
});
