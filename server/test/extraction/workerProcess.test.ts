import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeChatCompletions } from '../../../test/helpers/fakeChatCompletions.ts';
import { REPO_ROOT } from '../../src/config.ts';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jobOf, orderOf, PIZZA_CALL, PIZZA_RESULT, seedCall } from './seed.ts';

const WORKER_MAIN = path.join(REPO_ROOT, 'server/src/extraction/workerMain.ts');

let db: TestDatabase;
let fake: FakeChatCompletions;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await new FakeChatCompletions({ apiKey: 'sk-test' }).start();
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await fake?.stop();
  await db?.drop();
});

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      ...process.env,
      DB_NAME: db.dbName,
      DEEPSEEK_API_KEY: 'sk-test',
      DEEPSEEK_BASE_URL: fake.baseUrl,
      EXTRACTION_LEASE_MS: '1500',
      JWT_SECRET: 'x'.repeat(40),
      LOG_LEVEL: 'info',
      VITEST: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

async function until<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('extraction worker process', () => {
  it('completes a job after the process holding it is killed mid-request and a new one starts', async () => {
    const callId = await seedCall(db.orm, PIZZA_CALL);
    await new ExtractionJobQueue(db.orm, { maxAttempts: 5 }).enqueue(callId);
    // The first process gets stuck inside the model call, then dies without any chance to clean up.
    fake.script({ kind: 'hang' }, { kind: 'reply', content: PIZZA_RESULT });
    const first = startWorkerProcess();
    await until(async () => fake.requests.length === 1, 20_000, 'the first process to call the model');
    const held = await jobOf(db.orm, callId);
    expect(held).toMatchObject({ status: 'running', attempts: 1 });
    expect(held?.lease_owner).toMatch(/:\d+:/);
    first.kill('SIGKILL');
    await once(first, 'exit');
    expect((await jobOf(db.orm, callId))?.status).toBe('running');

    const second = startWorkerProcess();
    const job = await until(
      async () => {
        const j = await jobOf(db.orm, callId);
        return j?.status === 'succeeded' && j;
      },
      20_000,
      'the restarted process to complete the job',
    );
    expect(job).toMatchObject({ attempts: 2, source: 'deepseek', lease_owner: null });
    expect(fake.requests).toHaveLength(2);
    expect((await orderOf(db.orm, callId))?.items).toHaveLength(2);

    // Graceful stop of the survivor: exits 0.
    second.kill('SIGTERM');
    const [code] = await once(second, 'exit');
    expect(code).toBe(0);
  });
});
