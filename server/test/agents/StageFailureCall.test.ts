import type { Stt } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageCache, voicePipelineFactory } from '../../../agent-worker/src/pipeline/index.ts';
import { loadStages } from '../../../agent-worker/src/pipeline/StageCache.ts';
import { CANNOT_HEAR_REPLY } from '../../../agent-worker/src/pipeline/StageRecovery.ts';
import { CallQueries } from '../../src/calls/CallQueries.ts';
import type { CallRecorder } from '../../src/calls/CallRecorder.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { type AgentHarness, startAgentHarness } from './agentHarness.ts';
import { recordCalls } from './recordCalls.ts';

/** A recogniser whose decoder crashes at the end of the caller's first utterance. */
const crashingStt: Stt = {
  name: 'crashing-recogniser',
  createStream() {
    return {
      pushAudio() {},
      endUtterance() {
        throw new Error('decoder crashed');
      },
      cancelUtterance() {},
      close() {},
      async *[Symbol.asyncIterator]() {},
    };
  },
  close() {},
};

let h: AgentHarness;
let db: TestDatabase;
let recorder: CallRecorder;

beforeAll(async () => {
  h = await startAgentHarness();
  db = await createTestDatabase();
  recorder = await recordCalls(db, h.bus);
});

afterAll(async () => {
  h?.close();
  await recorder?.stop();
  await db?.drop();
});

describe('a recogniser failing during a real call', () => {
  it('the caller hears an apology, a human is asked for, and the call record shows the failure', {
    timeout: 90_000,
  }, async () => {
    const transcripts = h.collect('transcript');
    const failures = h.collect('stage.failed');
    const handoffs: string[] = [];
    h.gateway.on('handoff', ({ reason }) => handoffs.push(reason));
    // The real stages of the agent (energy VAD, so a tone counts as speech), with the crashing recogniser.
    const stages = new StageCache({
      load: async (config, hooks) => ({
        ...(await loadStages({ ...config, vad: { ...config.vad, provider: 'energy' } }, hooks)),
        stt: crashingStt,
      }),
    });
    await h.startWorker('voice', 1, voicePipelineFactory(stages));
    const room = await h.newRoom('pizzeria');
    const customer = await h.joinCustomer(room, 'caller');
    const agentLines = () => transcripts.filter((t) => t.speaker === 'agent' && t.final).map((t) => t.text);

    await expect.poll(() => agentLines().length, { timeout: 30_000 }).toBe(1); // the greeting
    await expect
      .poll(() => performance.now() - (customer.heard.at(-1)?.at ?? 0), { timeout: 20_000, interval: 100 })
      .toBeGreaterThan(500);
    const before = customer.heard.length;
    // half a second of silence first: the energy VAD takes its noise floor from the first audio it hears
    await customer.speakPcm(new Int16Array(24_000));
    await customer.speak(440, 50); // a second of "speech"
    await customer.speakPcm(new Int16Array(48_000)); // a second of silence ends the utterance

    await expect.poll(() => agentLines().at(-1), { timeout: 20_000 }).toBe(CANNOT_HEAR_REPLY);
    expect(customer.heard.length - before).toBeGreaterThan(25);
    expect(handoffs).toEqual(['speech recognition failed']);
    expect(failures).toEqual([
      expect.objectContaining({
        roomId: room.id,
        stage: 'stt',
        provider: 'crashing-recogniser',
        message: 'decoder crashed',
        recovery: 'apology',
      }),
    ]);

    room.close('hangup');
    await recorder.idle();
    const [row] = await db.orm.em
      .fork()
      .execute<{ id: string }[]>('select id from calls where room_id = ?', [room.id]);
    const call = await new CallQueries(db.orm).get(row?.id ?? '');
    expect(call?.stageFailures).toEqual([
      expect.objectContaining({ stage: 'stt', provider: 'crashing-recogniser', recovery: 'apology' }),
    ]);
  });
});
