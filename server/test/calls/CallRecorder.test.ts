import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../test/helpers/browser.ts';
import { FakeChatCompletions } from '../../../test/helpers/fakeChatCompletions.ts';
import { CallEventBus } from '../../src/CallEventBus.ts';
import { MySqlAgentConfigStore } from '../../src/calls/AgentConfigStore.ts';
import { CallQueries } from '../../src/calls/CallQueries.ts';
import { CallError, CallRecorder } from '../../src/calls/CallRecorder.ts';
import { DeepSeekExtractor } from '../../src/extraction/DeepSeekExtractor.ts';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import { ExtractionWorker } from '../../src/extraction/jobs/ExtractionWorker.ts';
import { jobOf, orderOf, PIZZA_RESULT } from '../extraction/seed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let store: MySqlAgentConfigStore;
let queue: ExtractionJobQueue;
let bus: CallEventBus;
let recorder: CallRecorder;
const busErrors: unknown[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  store = new MySqlAgentConfigStore(db.orm);
  await store.seedDefaults();
  await store.put({ id: 'open-book', name: 'No redaction', greeting: 'Hi', privacy: { redactPii: false } });
  queue = new ExtractionJobQueue(db.orm, { maxAttempts: 3, backoff: { baseMs: 20, maxMs: 100 } });
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(() => {
  bus = new CallEventBus((_event, error) => busErrors.push(error));
  recorder = new CallRecorder({ orm: db.orm, bus, agentConfigs: store, extractionQueue: queue });
  recorder.start();
});
afterEach(async () => {
  await recorder.stop();
  expect(busErrors).toEqual([]);
});

const sql = <T>(query: string, params: unknown[] = []) => db.orm.em.fork().execute<T[]>(query, params);

function say(
  roomId: string,
  segmentId: string,
  speaker: 'customer' | 'agent',
  text: string,
  startMs: number,
) {
  bus.emit('transcript', {
    roomId,
    segmentId,
    speaker,
    text: text.slice(0, 5),
    final: false,
    startMs,
    endMs: startMs + 300,
    interrupted: false,
  });
  bus.emit('transcript', {
    roomId,
    segmentId,
    speaker,
    text,
    final: true,
    startMs,
    endMs: startMs + 900,
    interrupted: false,
  });
}

describe('CallRecorder', () => {
  it('records a full call as it happens and, after hangup, the extracted order', async () => {
    const { callId, roomId, agentId } = await recorder.startCall({
      agentId: 'pizzeria',
      displayName: 'Anna',
    });
    expect(agentId).toBe('pizzeria');
    expect(roomId).toMatch(/^call-/);
    bus.emit('room.created', { roomId, agentId: 'pizzeria' });
    bus.emit('participant.joined', {
      roomId,
      peerId: 'p1',
      identity: 'guest-1',
      displayName: 'Anna',
      role: 'customer',
    });
    bus.emit('participant.joined', {
      roomId,
      peerId: 'a1',
      identity: 'agent:pizzeria',
      displayName: 'Luigi',
      role: 'agent',
    });
    say(roomId, 'g', 'agent', "Hi, thanks for calling Luigi's Pizzeria.", 0);
    say(roomId, 'c1', 'customer', 'Two large pepperoni pizzas and a coke please.', 2000);
    bus.emit('turn.metrics', {
      roomId,
      turn: 1,
      eouMs: 300,
      asrFinalMs: 120,
      dialogFirstTokenMs: 5,
      ttsFirstAudioMs: 60,
      voiceToVoiceMs: 540,
      interrupted: false,
    });
    say(roomId, 'c2', 'customer', 'Anna Rossi, 12 Oak Street, my number is 415 555 1234.', 5000);
    await recorder.idle();

    // Live: the call is active with its transcript so far (finals only, redacted).
    const [live] = await sql<{ status: string }>('select status from calls where id = ?', [callId]);
    expect(live?.status).toBe('active');
    const segments = await sql<{ speaker: string; text: string; redacted: number }>(
      'select speaker, text, redacted from transcript_segments where call_id = ? order by start_ms',
      [callId],
    );
    expect(segments).toEqual([
      { speaker: 'agent', text: "Hi, thanks for calling Luigi's Pizzeria.", redacted: 0 },
      { speaker: 'customer', text: 'Two large pepperoni pizzas and a coke please.', redacted: 0 },
      { speaker: 'customer', text: 'Anna Rossi, 12 Oak Street, my number is [phone].', redacted: 1 },
    ]);
    expect(await sql('select turn, voice_to_voice_ms from turn_metrics where call_id = ?', [callId])).toEqual(
      [{ turn: 1, voice_to_voice_ms: 540 }],
    );

    bus.emit('participant.left', { roomId, peerId: 'p1', reason: 'hangup' });
    bus.emit('room.closed', { roomId, reason: 'hangup' });
    await recorder.idle();
    const [ended] = await sql<{ status: string; outcome: string; ended_at: string | null }>(
      'select status, outcome, ended_at from calls where id = ?',
      [callId],
    );
    expect(ended).toMatchObject({ status: 'ended', outcome: 'completed' });
    expect(ended?.ended_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    const participants = await sql<{ role: string; left_reason: string }>(
      'select role, left_reason from participants where call_id = ? order by id',
      [callId],
    );
    expect(participants).toEqual([
      { role: 'customer', left_reason: 'hangup' },
      { role: 'agent', left_reason: 'call ended' },
    ]);
    expect(await jobOf(db.orm, callId)).toMatchObject({ status: 'pending' });

    const fake = await new FakeChatCompletions({ apiKey: 'k' }).start();
    fake.script({ kind: 'reply', content: PIZZA_RESULT });
    const worker = new ExtractionWorker({
      orm: db.orm,
      queue,
      extractor: new DeepSeekExtractor({ baseUrl: fake.baseUrl, model: 'deepseek-chat', apiKey: 'k' }),
      pollIntervalMs: 20,
    });
    try {
      const done = new Promise((resolve) => worker.on('succeeded', resolve));
      worker.start();
      await done;
    } finally {
      await worker.stop();
      await fake.stop();
    }
    // Extraction saw the caller's real words; the stored transcript stays redacted and the copy is gone.
    const sent = fake.requests[0]?.body.messages[1]?.content ?? '';
    expect(sent).toContain('my number is 415 555 1234.');
    expect(sent).not.toContain('[phone]');
    expect(
      await sql('select text, extraction_text from transcript_segments where call_id = ? and redacted = 1', [
        callId,
      ]),
    ).toEqual([{ text: 'Anna Rossi, 12 Oak Street, my number is [phone].', extraction_text: null }]);
    expect(await orderOf(db.orm, callId)).toMatchObject({
      source: 'deepseek',
      total: '33.50',
      customer_name: 'Anna Rossi',
    });
  });

  it('stores a card dictated over several caller segments redacted in every segment, keeping the words for extraction', async () => {
    const { callId, roomId } = await recorder.startCall({ agentId: 'pizzeria', displayName: 'Card' });
    say(roomId, 'c1', 'customer', 'my card is four one one one', 0);
    say(roomId, 'a1', 'agent', 'Go on.', 1000);
    say(roomId, 'c2', 'customer', 'one one one one', 2000);
    say(roomId, 'c3', 'customer', 'one one one one', 3000);
    say(roomId, 'c4', 'customer', 'one one one one', 4000);
    say(roomId, 'c5', 'customer', 'expires twelve twenty six and the code is one two three', 5000);
    await recorder.idle();
    const rows = await sql<{
      segment_id: string;
      text: string;
      redacted: number;
      extraction_text: string | null;
    }>(
      'select segment_id, text, redacted, extraction_text from transcript_segments where call_id = ? order by start_ms',
      [callId],
    );
    expect(rows.map((r) => [r.segment_id, r.text, r.redacted])).toEqual([
      ['c1', 'my card is [card]', 1],
      ['a1', 'Go on.', 0],
      ['c2', '[card]', 1],
      ['c3', '[card]', 1],
      ['c4', '[card]', 1],
      ['c5', 'expires [expiry] and the code is [cvv]', 1],
    ]);
    expect(rows.map((r) => r.text).join(' ')).not.toMatch(/one one|twelve|one two three/);
    expect(rows[0]?.extraction_text).toBe('my card is four one one one');
  });

  it('records the pipeline stages that failed during a call, and the call detail shows them', async () => {
    const { callId, roomId } = await recorder.startCall({ agentId: 'pizzeria' });
    bus.emit('stage.failed', {
      roomId,
      stage: 'stt',
      provider: 'sherpa-onnx',
      message: 'decoder crashed',
      recovery: 'fallback',
      fallbackProvider: 'pocketsphinx',
      atMs: 4200,
    });
    bus.emit('stage.failed', {
      roomId,
      stage: 'dialog',
      provider: 'openai',
      message: 'dialog_unreachable',
      recovery: 'apology',
      atMs: 9100,
    });
    await recorder.idle();
    const call = await new CallQueries(db.orm).get(callId);
    expect(call?.stageFailures).toEqual([
      {
        stage: 'stt',
        provider: 'sherpa-onnx',
        message: 'decoder crashed',
        recovery: 'fallback',
        fallbackProvider: 'pocketsphinx',
        atMs: 4200,
      },
      {
        stage: 'dialog',
        provider: 'openai',
        message: 'dialog_unreachable',
        recovery: 'apology',
        fallbackProvider: null,
        atMs: 9100,
      },
    ]);
  });

  it('stores the transcript unredacted when the agent turns redaction off', async () => {
    const { callId, roomId } = await recorder.startCall({ agentId: 'open-book', displayName: 'Bob' });
    say(roomId, 's', 'customer', 'call me on 415 555 1234', 0);
    await recorder.idle();
    expect(await sql('select text, redacted from transcript_segments where call_id = ?', [callId])).toEqual([
      { text: 'call me on 415 555 1234', redacted: 0 },
    ]);
  });

  it('refuses to start a call for an unknown agent', async () => {
    const error = await recorder.startCall({ agentId: 'nope', displayName: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallError);
    expect((error as CallError).code).toBe('agent_not_found');
  });

  it('records a room opened without startCall, and ends a call with no customer speech as abandoned', async () => {
    bus.emit('room.created', { roomId: 'adhoc-room', agentId: null });
    bus.emit('participant.joined', {
      roomId: 'adhoc-room',
      peerId: 'p',
      identity: 'g',
      displayName: 'G',
      role: 'customer',
    });
    bus.emit('room.closed', { roomId: 'adhoc-room', reason: 'empty' });
    bus.emit('room.closed', { roomId: 'adhoc-room', reason: 'empty' });
    await recorder.idle();
    const [call] = await sql<{ id: string; status: string; outcome: string; redact_pii: number }>(
      "select id, status, outcome, redact_pii from calls where room_id = 'adhoc-room'",
    );
    expect(call).toMatchObject({ status: 'ended', outcome: 'abandoned', redact_pii: 1 });
    expect(await sql('select count(*) as n from extraction_jobs where call_id = ?', [call?.id])).toEqual([
      { n: 1 },
    ]);
  });

  it('keeps the events of interleaved rooms apart and in order', async () => {
    const a = await recorder.startCall({ agentId: 'pizzeria', displayName: 'A' });
    const b = await recorder.startCall({ agentId: 'pizzeria', displayName: 'B' });
    for (let i = 0; i < 10; i++) {
      say(a.roomId, `a${i}`, 'customer', `room a line ${i}`, i * 1000);
      say(b.roomId, `b${i}`, 'customer', `room b line ${i}`, i * 1000);
    }
    bus.emit('room.closed', { roomId: a.roomId, reason: 'hangup' });
    await recorder.idle();
    const rows = await sql<{ text: string }>(
      'select text from transcript_segments where call_id = ? order by start_ms',
      [a.callId],
    );
    expect(rows.map((r) => r.text)).toEqual(Array.from({ length: 10 }, (_, i) => `room a line ${i}`));
    expect(await sql('select count(*) as n from transcript_segments where call_id = ?', [b.callId])).toEqual([
      { n: 10 },
    ]);
    expect((await jobOf(db.orm, a.callId))?.status).toBe('pending');
    expect(await jobOf(db.orm, b.callId)).toBeUndefined();
  });

  it('ends calls a previous process left active and queues their extraction', async () => {
    const { callId } = await recorder.startCall({ agentId: 'pizzeria', displayName: 'Crash' });
    await recorder.stop();
    const restarted = new CallRecorder({ orm: db.orm, bus, agentConfigs: store, extractionQueue: queue });
    expect(await restarted.closeOrphanedCalls()).toBeGreaterThanOrEqual(1);
    expect(await sql('select status, end_reason from calls where id = ?', [callId])).toEqual([
      { status: 'ended', end_reason: 'server_restart' },
    ]);
    expect((await jobOf(db.orm, callId))?.status).toBe('pending');
  });

  it('keeps a call cut by a dead media worker one active record when its room reopens, and ends it when not', async () => {
    await recorder.stop();
    recorder = new CallRecorder({
      orm: db.orm,
      bus,
      agentConfigs: store,
      extractionQueue: queue,
      rejoinGraceMs: 300,
    });
    recorder.start();
    const rejoined = await recorder.startCall({ displayName: 'comes back' });
    const gone = await recorder.startCall({ displayName: 'never back' });
    for (const { roomId } of [rejoined, gone]) {
      bus.emit('room.created', { roomId, agentId: 'pizzeria' });
      say(roomId, 'c0', 'customer', 'before the crash', 0);
      bus.emit('room.closed', { roomId, reason: 'worker_died' });
    }
    // the minute sweep of calls without a room leaves them to the grace
    const ours = [rejoined.roomId, gone.roomId];
    expect(await recorder.closeCallsWithoutRoom((roomId) => !ours.includes(roomId), 0)).toBe(0);
    bus.emit('room.created', { roomId: rejoined.roomId, agentId: 'pizzeria' });
    say(rejoined.roomId, 'c1', 'customer', 'after the crash', 1000);
    // the grace ran out for both (the rejoined room's first): the one that did not come back is ended
    await pollUntil(
      () => sql<{ status: string }>('select status from calls where id = ?', [gone.callId]),
      (rows) => rows[0]?.status === 'ended',
      { timeoutMs: 5_000, intervalMs: 50, what: 'the abandoned call to end' },
    );
    await recorder.idle();
    const calls = await sql<{ id: string; status: string; end_reason: string | null }>(
      'select id, status, end_reason from calls where id in (?, ?)',
      [rejoined.callId, gone.callId],
    );
    expect(Object.fromEntries(calls.map((c) => [c.id, [c.status, c.end_reason]]))).toEqual({
      [rejoined.callId]: ['active', null],
      [gone.callId]: ['ended', 'worker_died'],
    });
    expect(await sql('select count(*) as n from calls where room_id = ?', [rejoined.roomId])).toEqual([
      { n: 1 },
    ]);
    const lines = await sql<{ text: string }>(
      'select text from transcript_segments where call_id = ? order by start_ms',
      [rejoined.callId],
    );
    expect(lines.map((l) => l.text)).toEqual(['before the crash', 'after the crash']);
    expect(await jobOf(db.orm, rejoined.callId)).toBeUndefined();
    expect((await jobOf(db.orm, gone.callId))?.status).toBe('pending');
    // shutting down ends what still waits for a rejoin, with its reason
    bus.emit('room.closed', { roomId: rejoined.roomId, reason: 'worker_died' });
    await recorder.stop();
    expect(await sql('select status, end_reason from calls where id = ?', [rejoined.callId])).toEqual([
      { status: 'ended', end_reason: 'worker_died' },
    ]);
  });

  it('ends old calls whose room is gone, keeps young ones and those with a live room', async () => {
    const ghost = await recorder.startCall({ displayName: 'never joined' });
    const live = await recorder.startCall({ displayName: 'talking' });
    const young = await recorder.startCall({ displayName: 'just started' });
    await sql('update calls set started_at = utc_timestamp(3) - interval 20 minute where id in (?, ?)', [
      ghost.callId,
      live.callId,
    ]);
    expect(await recorder.closeCallsWithoutRoom((roomId) => roomId === live.roomId)).toBe(1);
    const rows = await sql<{ id: string; status: string; end_reason: string | null }>(
      'select id, status, end_reason from calls where id in (?, ?, ?)',
      [ghost.callId, live.callId, young.callId],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.status, r.end_reason]]))).toEqual({
      [ghost.callId]: ['ended', 'room_gone'],
      [live.callId]: ['active', null],
      [young.callId]: ['active', null],
    });
  });
});
