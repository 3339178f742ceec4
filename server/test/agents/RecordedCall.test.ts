/**
 * A recorded call end to end: real mediasoup, the gateway, an agent worker with the real pipeline, a customer and a
 * human agent speaking; the worker uploads its recording when the call ends and the server keeps it encrypted.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageCache, voicePipelineFactory } from '../../../agent-worker/src/pipeline/index.ts';
import { loadStages } from '../../../agent-worker/src/pipeline/StageCache.ts';
import { decodeRecording } from '../../../agent-worker/test/recording/decodeRecording.ts';
import { FileAgentConfigStore } from '../../src/agents/FileAgentConfigStore.ts';
import type { CallRecorder } from '../../src/calls/CallRecorder.ts';
import { errorHandler } from '../../src/http/middleware/errorHandler.ts';
import { createRecordingsRouter } from '../../src/http/routes/recordings.ts';
import { RecordingStore } from '../../src/recordings/RecordingStore.ts';
import { parseRecordingKeys } from '../../src/recordings/recordingKeys.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { AGENTS_DIR, type AgentHarness, startAgentHarness } from './agentHarness.ts';
import { recordCalls } from './recordCalls.ts';

const run = promisify(execFile);
const SETUP_DELAY_MS = 1500;
let h: AgentHarness;
let db: TestDatabase;
let recorder: CallRecorder;
let store: RecordingStore;
let dir: string;

/** Speech in flite's `voice`, mono 48 kHz. */
async function speech(voice: string, text: string): Promise<Int16Array> {
  const wav = path.join(dir, `${voice}.wav`);
  const raw = path.join(dir, `${voice}.s16`);
  await run('flite', ['-voice', voice, '-t', text, '-o', wav]);
  await run('sox', [wav, '-r', '48000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', raw]);
  const bytes = await readFile(raw);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1).slice();
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return Math.sqrt(sum / Math.max(1, pcm.length));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recorded-call-'));
  const yaml = await readFile(path.join(AGENTS_DIR, 'pizzeria.yaml'), 'utf8');
  await writeFile(path.join(dir, 'pizzeria.yaml'), `${yaml}\nrecording:\n  enabled: true\n`);
  db = await createTestDatabase();
  const keys = parseRecordingKeys(`k1:${randomBytes(32).toString('base64')}`, undefined);
  if (!('keyring' in keys)) throw new Error('test key did not parse');
  store = new RecordingStore({ dir: path.join(dir, 'recordings'), keyring: keys.keyring });
  const api = new Koa();
  api.use(errorHandler(console as never));
  const late: { h?: AgentHarness } = {};
  api.use(
    createRecordingsRouter({
      tokens: { verifyAccessToken: () => Promise.reject(new Error('no users here')) } as never,
      serviceTokens: {
        verifyServiceToken: (token) => (late.h as AgentHarness).tokens.verifyServiceToken(token),
      },
      orm: db.orm,
      store,
    }).routes(),
  );
  // Setup on both sides before the worker's recorder starts (a slow config read on the server, slow model loading on
  // the worker): the recording must still cover the call from when the caller joined.
  const files = new FileAgentConfigStore(dir);
  h = await startAgentHarness({
    agentConfigs: { get: (id) => sleep(SETUP_DELAY_MS).then(() => files.get(id)) },
    onRequest: api.callback(),
  });
  late.h = h;
  recorder = await recordCalls(db, h.bus);
});

afterAll(async () => {
  await recorder?.stop();
  h?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('a recorded call', () => {
  it('is uploaded when it ends and decrypts to audio as long as the call with the agent, caller and human voices', {
    timeout: 120_000,
  }, async () => {
    const transcripts = h.collect('transcript');
    const stages = new StageCache({
      load: (config, hooks) => sleep(SETUP_DELAY_MS).then(() => loadStages(config, hooks)),
    });
    await h.startWorker('voice', 1, voicePipelineFactory(stages));
    const room = await h.newRoom('pizzeria');
    const customer = await h.joinCustomer(room, 'caller');
    const order = speech('slt', 'I would like a large pepperoni pizza please.');
    const added = speech('rms', 'I added a garlic bread for you.');
    const final = (speaker: string) => transcripts.find((t) => t.speaker === speaker && t.final);
    await expect.poll(() => final('agent'), { timeout: 30_000 }).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const orderPcm = await order;
    const orderAt = Date.now();
    await customer.speakPcm(orderPcm);
    await customer.speakPcm(new Int16Array(48_000));
    await expect.poll(() => final('customer'), { timeout: 20_000 }).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const human = await h.joinCustomer(room, 'sam', { role: 'human_agent' });
    const addedPcm = await added;
    const addedAt = Date.now();
    await human.speakPcm(addedPcm);
    await human.speakPcm(new Int16Array(48_000));
    await expect.poll(() => final('human'), { timeout: 20_000 }).toBeDefined();

    const greetingAt = Date.now() - (performance.now() - (customer.heard[0]?.at ?? 0));
    const endedAt = Date.now();
    room.close('hangup');
    const [call] = await db.orm.em
      .fork()
      .execute<{ id: string }[]>('select id from calls where room_id = ?', [room.id]);
    const callId = call?.id as string;
    await expect.poll(() => store.has(callId), { timeout: 20_000 }).toBe(true);
    // The call as the caller had it: from joining (before the agent's setup) to the end. The upload can land before
    // the call's end is written, so wait for that.
    const callMs = async () => {
      const [times] = await db.orm.em.fork().execute<{ ms: number | null }[]>(
        `select timestampdiff(microsecond, p.joined_at, c.ended_at) / 1000 as ms
           from calls c join participants p on p.call_id = c.id and p.peer_id = 'caller' where c.id = ?`,
        [callId],
      );
      return times?.ms ?? null;
    };
    await expect.poll(callMs, { timeout: 10_000 }).not.toBeNull();
    const pcm = decodeRecording(new Uint8Array(await buffer(store.open(callId))));
    const seconds = pcm.length / 48_000;
    expect(Math.abs(seconds - Number(await callMs()) / 1000)).toBeLessThan(1);

    // Each voice is in the recording when it spoke (the recording ends when the call did); the gaps are quiet.
    const startedAt = endedAt - seconds * 1000;
    const window = (fromWallMs: number, ms: number) =>
      pcm.subarray(
        Math.round((fromWallMs - startedAt + 100) * 48),
        Math.round((fromWallMs - startedAt + ms - 100) * 48),
      );
    expect(rms(window(greetingAt, 1000))).toBeGreaterThan(500);
    expect(rms(window(orderAt, orderPcm.length / 48))).toBeGreaterThan(500);
    expect(rms(window(addedAt, addedPcm.length / 48))).toBeGreaterThan(500);
    const quietest = Math.min(
      ...Array.from({ length: Math.floor(seconds) }, (_, s) =>
        rms(pcm.subarray(s * 48_000, (s + 1) * 48_000)),
      ),
    );
    expect(quietest).toBeLessThan(100);

    const onDisk = await readFile(path.join(dir, 'recordings', `${callId}.ogg.enc`));
    expect(onDisk.includes(Buffer.from('OpusHead'))).toBe(false);
  });
});
