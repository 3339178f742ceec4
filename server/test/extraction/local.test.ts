import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import { ExtractionWorker } from '../../src/extraction/jobs/ExtractionWorker.ts';
import { LocalLlmExtractor } from '../../src/extraction/LocalLlmExtractor.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { jobOf, PIZZA_CALL, seedCall } from './seed.ts';
import { tinyQwen2Gguf } from './tinyGguf.ts';

const installed = (() => {
  try {
    createRequire(import.meta.url).resolve('node-llama-cpp');
    return true;
  } catch {
    return false;
  }
})();

let db: TestDatabase;
let modelPath: string;

// node-llama-cpp is an optional dependency; without it the factory test covers the clear failure instead.
describe.skipIf(!installed)(
  'LocalLlmExtractor on a real (tiny, random-weight) GGUF through node-llama-cpp',
  () => {
    beforeAll(async () => {
      db = await createTestDatabase();
      modelPath = await tinyQwen2Gguf();
    }, 120_000);
    afterAll(async () => {
      await db?.drop();
    });

    it('loads the model and generates grammar-shaped JSON; the job ends stored or failed with the validation reason', async () => {
      const queue = new ExtractionJobQueue(db.orm, { maxAttempts: 1 });
      const worker = new ExtractionWorker({
        orm: db.orm,
        queue,
        extractor: new LocalLlmExtractor({ modelPath, contextSize: 4096, validationRetries: 0 }),
        pollIntervalMs: 20,
      });
      const callId = await seedCall(db.orm, PIZZA_CALL);
      const settled = new Promise<string>((resolve) => {
        worker.on('succeeded', () => resolve('succeeded'));
        worker.on('failed', () => resolve('failed'));
      });
      await queue.enqueue(callId);
      worker.start();
      try {
        const outcome = await settled;
        const job = await jobOf(db.orm, callId);
        if (outcome === 'succeeded') {
          expect(job).toMatchObject({ status: 'succeeded', source: 'local' });
        } else {
          // Random weights produce nonsense values, but the JSON-schema grammar guarantees parseable JSON of the
          // right shape: the failure is a schema value check, never a JSON syntax error or a load failure.
          expect(job?.status).toBe('failed');
          expect(job?.last_error).toMatch(/^invalid_output: .*does not match the schema/);
          expect(job?.last_error).not.toMatch(/not valid JSON|local_model_unavailable/);
        }
      } finally {
        await worker.stop();
      }
    }, 180_000);
  },
);
