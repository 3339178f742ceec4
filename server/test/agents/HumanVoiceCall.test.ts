/**
 * A human agent speaking in a call (barge) through real mediasoup, the gateway and the real pipeline (Silero VAD,
 * PocketSphinx): the worker transcribes the human's own stream, and the call record stores it as `human` segments.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageCache, voicePipelineFactory } from '../../../agent-worker/src/pipeline/index.ts';
import type { CallRecorder } from '../../src/calls/CallRecorder.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { type AgentHarness, startAgentHarness } from './agentHarness.ts';
import { recordCalls } from './recordCalls.ts';

const run = promisify(execFile);
let h: AgentHarness;
let db: TestDatabase;
let recorder: CallRecorder;

/** Speech in flite's `voice`, mono 48 kHz. */
async function speech(voice: string, text: string): Promise<Int16Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'human-'));
  try {
    const wav = path.join(dir, 'a.wav');
    const raw = path.join(dir, 'a.s16');
    await run('flite', ['-voice', voice, '-t', text, '-o', wav]);
    await run('sox', [wav, '-r', '48000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', raw]);
    const bytes = await readFile(raw);
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1).slice();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  h = await startAgentHarness();
  recorder = await recordCalls(db, h.bus);
});

afterAll(async () => {
  await recorder?.stop();
  h?.close();
  await db?.drop();
});

describe('a human agent speaking in a call', () => {
  it('is transcribed from its own stream and stored as human segments, never as the caller', {
    timeout: 90_000,
  }, async () => {
    const transcripts = h.collect('transcript');
    await h.startWorker('voice', 1, voicePipelineFactory(new StageCache()));
    const room = await h.newRoom('pizzeria');
    await h.joinCustomer(room, 'caller');
    const words = speech('rms', 'I added a garlic bread for you.');
    await expect
      .poll(() => transcripts.filter((t) => t.speaker === 'agent' && t.final).length, { timeout: 30_000 })
      .toBeGreaterThan(0);

    const human = await h.joinCustomer(room, 'sam', { role: 'human_agent' });
    await human.speakPcm(await words);
    await human.speakPcm(new Int16Array(48_000));

    // Under load the recogniser may cut the sentence in two: the words, not the segmentation, are the point.
    const humanWords = () =>
      transcripts
        .filter((t) => t.speaker === 'human' && t.final)
        .map((t) => t.text)
        .join(' ');
    await expect.poll(humanWords, { timeout: 30_000 }).toMatch(/garlic bread/i);
    expect(transcripts.some((t) => t.speaker === 'customer')).toBe(false);
    await expect
      .poll(
        async () =>
          (
            await db.orm.em
              .fork()
              .execute<{ speaker: string; text: string }[]>(
                'select s.speaker, s.text from transcript_segments s join calls c on c.id = s.call_id where c.room_id = ? and s.speaker = ? order by s.start_ms, s.id',
                [room.id, 'human'],
              )
          )
            .map((r) => r.text)
            .join(' '),
        { timeout: 10_000 },
      )
      .toBe(humanWords());
  });
});
