import type { CallEventBus } from '../../src/CallEventBus.ts';
import { MySqlAgentConfigStore } from '../../src/calls/AgentConfigStore.ts';
import { CallRecorder } from '../../src/calls/CallRecorder.ts';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import type { TestDatabase } from '../helpers/db.ts';

/** A started call recorder on the test database (default agents seeded, one extraction attempt): stop() it after. */
export async function recordCalls(db: TestDatabase, bus: CallEventBus): Promise<CallRecorder> {
  const agentConfigs = new MySqlAgentConfigStore(db.orm);
  await agentConfigs.seedDefaults();
  const recorder = new CallRecorder({
    orm: db.orm,
    bus,
    agentConfigs,
    extractionQueue: new ExtractionJobQueue(db.orm, { maxAttempts: 1 }),
  });
  recorder.start();
  return recorder;
}
