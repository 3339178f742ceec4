import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeChatCompletions } from '../../../test/helpers/fakeChatCompletions.ts';
import { CallEventBus } from '../../src/CallEventBus.ts';
import { MySqlAgentConfigStore } from '../../src/calls/AgentConfigStore.ts';
import { CallRecorder } from '../../src/calls/CallRecorder.ts';
import { DeepSeekExtractor } from '../../src/extraction/DeepSeekExtractor.ts';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import { ExtractionWorker } from '../../src/extraction/jobs/ExtractionWorker.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { emitFinalTranscript } from '../helpers/transcripts.ts';
import { jobOf, PIZZA_RESULT } from './seed.ts';

let db: TestDatabase;
let agentConfigs: MySqlAgentConfigStore;
let fake: FakeChatCompletions;
let queue: ExtractionJobQueue;
let bus: CallEventBus;
let recorder: CallRecorder;
let worker: ExtractionWorker | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  agentConfigs = new MySqlAgentConfigStore(db.orm);
  await agentConfigs.seedDefaults();
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  fake = await new FakeChatCompletions({ apiKey: 'sk-test' }).start();
  queue = new ExtractionJobQueue(db.orm, { maxAttempts: 2, backoff: { baseMs: 20, maxMs: 50 } });
  bus = new CallEventBus();
  recorder = new CallRecorder({ orm: db.orm, bus, agentConfigs, extractionQueue: queue });
  recorder.start();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await recorder.stop();
  await fake.stop();
});

const sql = <T>(query: string, params: unknown[] = []) => db.orm.em.fork().execute<T[]>(query, params);

const PHONE_LINE = 'Maria Lopez, my number is 415 555 1234.';

/** A pizzeria call (the agent redacts PII) whose caller gives a phone number; ended, so its job is queued. */
async function recordCall(): Promise<string> {
  const { callId, roomId } = await recorder.startCall({ agentId: 'pizzeria', displayName: 'Maria' });
  const lines: ['agent' | 'customer', string][] = [
    ['agent', 'What can I get for you today?'],
    ['customer', 'Two large pepperoni pizzas for delivery.'],
    ['agent', 'Can I get a name and a phone number?'],
    ['customer', PHONE_LINE],
  ];
  emitFinalTranscript(bus, roomId, lines);
  bus.emit('room.closed', { roomId, reason: 'hangup' });
  await recorder.idle();
  return callId;
}

const keptCopies = async (callId: string) =>
  (
    await sql<{ n: number }>(
      'select count(*) as n from transcript_segments where call_id = ? and extraction_text is not null',
      [callId],
    )
  )[0]?.n;

function startWorker(): ExtractionWorker {
  worker = new ExtractionWorker({
    orm: db.orm,
    queue,
    extractor: new DeepSeekExtractor({
      baseUrl: fake.baseUrl,
      model: 'deepseek-chat',
      apiKey: 'sk-test',
      timeoutMs: 2000,
      validationRetries: 0,
    }),
    pollIntervalMs: 20,
  });
  worker.start();
  return worker;
}

function settled(w: ExtractionWorker, callId: string): Promise<'succeeded' | 'failed'> {
  return new Promise((resolve) => {
    w.on('succeeded', (e) => e.callId === callId && resolve('succeeded'));
    w.on('failed', (e) => e.callId === callId && resolve('failed'));
  });
}

/** The transcript text the model was sent in one request. */
const sentTranscript = (request: number) =>
  fake.requests[request]?.body.messages.map((m) => m.content).join('\n') ?? '';

describe('extraction of a redacted call', () => {
  it('keeps the original words for a retried attempt, which still extracts the phone, then clears them', async () => {
    const callId = await recordCall();
    expect(
      await sql('select text from transcript_segments where call_id = ? and redacted = 1', [callId]),
    ).toEqual([{ text: 'Maria Lopez, my number is [phone].' }]);
    expect(await keptCopies(callId)).toBe(1);
    const withPhone = { ...PIZZA_RESULT, customer: { ...PIZZA_RESULT.customer, phone: '415-555-1234' } };
    fake.script({ kind: 'error', status: 503 }, { kind: 'reply', content: withPhone });
    expect(await settled(startWorker(), callId)).toBe('succeeded');
    expect(fake.requests).toHaveLength(2);
    // Both attempts were sent the caller's real words, the retry included.
    for (const request of [0, 1]) {
      expect(sentTranscript(request)).toContain(PHONE_LINE);
      expect(sentTranscript(request)).not.toContain('[phone]');
    }
    expect(await jobOf(db.orm, callId)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(
      await sql('select c.phone from customers c join orders o on o.customer_id = c.id where o.call_id = ?', [
        callId,
      ]),
    ).toEqual([{ phone: '415-555-1234' }]);
    expect(await keptCopies(callId)).toBe(0);
  });

  it('clears the original words when the job fails for good, keeping the redacted transcript', async () => {
    const callId = await recordCall();
    expect(await keptCopies(callId)).toBe(1);
    fake.script({ kind: 'error', status: 503 }, { kind: 'error', status: 503 });
    expect(await settled(startWorker(), callId)).toBe('failed');
    expect(await jobOf(db.orm, callId)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await keptCopies(callId)).toBe(0);
    expect(
      await sql('select text from transcript_segments where call_id = ? order by start_ms', [callId]),
    ).toHaveLength(4);
  });

  it('keeps no original words for a call whose agent does not redact', async () => {
    await agentConfigs.put({
      id: 'open-book',
      name: 'No redaction',
      greeting: 'Hi',
      privacy: { redactPii: false },
    });
    const { callId, roomId } = await recorder.startCall({ agentId: 'open-book' });
    bus.emit('transcript', {
      roomId,
      segmentId: 'c1',
      speaker: 'customer',
      text: PHONE_LINE,
      final: true,
      startMs: 0,
      endMs: 900,
      interrupted: false,
    });
    await recorder.idle();
    expect(
      await sql('select text, extraction_text from transcript_segments where call_id = ?', [callId]),
    ).toEqual([{ text: PHONE_LINE, extraction_text: null }]);
  });

  it('keeps no original words for a segment that arrives after the call ended (its job may be done already)', async () => {
    const callId = await recordCall();
    const [call] = await sql<{ room_id: string }>('select room_id from calls where id = ?', [callId]);
    bus.emit('transcript', {
      roomId: call?.room_id ?? '',
      segmentId: 'late',
      speaker: 'customer',
      text: 'Call me back on 415 555 9876.',
      final: true,
      startMs: 9000,
      endMs: 9900,
      interrupted: false,
    });
    await recorder.idle();
    expect(
      await sql(
        'select text, extraction_text from transcript_segments where call_id = ? and segment_id = ?',
        [callId, 'late'],
      ),
    ).toEqual([{ text: 'Call me back on [phone].', extraction_text: null }]);
  });
});
