import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpusDecoderStream } from '../../../agent-worker/src/audio/OpusCodec.ts';
import { StageCache, voicePipelineFactory } from '../../../agent-worker/src/pipeline/index.ts';
import { type AgentHarness, startAgentHarness } from './agentHarness.ts';

const run = promisify(execFile);
let h: AgentHarness;

/** Caller speech: flite's slt voice (unlike the agent's kal16), mono 48 kHz. */
async function callerSays(text: string): Promise<Int16Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'caller-'));
  try {
    await run('flite', ['-voice', 'slt', '-t', text, '-o', path.join(dir, 'a.wav')]);
    await run('sox', [
      path.join(dir, 'a.wav'),
      '-r',
      '48000',
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      '-t',
      'raw',
      path.join(dir, 'a.s16'),
    ]);
    const bytes = await readFile(path.join(dir, 'a.s16'));
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1).slice();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function rmsOf(frames: Int16Array[]): number {
  let sum = 0;
  let n = 0;
  for (const frame of frames) {
    for (const s of frame) sum += s * s;
    n += frame.length;
  }
  return Math.sqrt(sum / Math.max(1, n));
}

beforeAll(async () => {
  h = await startAgentHarness();
});

afterAll(() => {
  h.close();
});

describe('a voice call through the gateway with the real pipeline', () => {
  it('greets the customer, hears an order and answers it, with transcripts and metrics on the bus', {
    timeout: 90_000,
  }, async () => {
    const transcripts = h.collect('transcript');
    const metrics = h.collect('turn.metrics');
    await h.startWorker('voice', 1, voicePipelineFactory(new StageCache()));
    const room = await h.newRoom('pizzeria');
    const customer = await h.joinCustomer(room, 'caller');
    const order = callerSays('I would like a large pepperoni pizza please.');

    // The greeting: an agent transcript and audible audio at the customer.
    await expect
      .poll(() => transcripts.filter((t) => t.speaker === 'agent' && t.final).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => customer.heard.length, { timeout: 10_000 }).toBeGreaterThan(50);
    const decoder = new OpusDecoderStream();
    expect(rmsOf(customer.heard.map((p) => decoder.decode(p.payload)))).toBeGreaterThan(300);

    // Wait for the greeting to finish (no agent packets for 500 ms), then order.
    await expect
      .poll(() => performance.now() - (customer.heard.at(-1)?.at ?? 0), { timeout: 20_000, interval: 100 })
      .toBeGreaterThan(500);
    const before = customer.heard.length;
    await customer.speakPcm(await order);
    await customer.speakPcm(new Int16Array(48_000)); // a second of silence ends the turn

    await expect
      .poll(() => transcripts.find((t) => t.speaker === 'customer' && t.final)?.text ?? '', {
        timeout: 20_000,
      })
      .toMatch(/pepperoni/i);
    await expect.poll(() => metrics.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => customer.heard.length - before, { timeout: 10_000 }).toBeGreaterThan(25);
    expect(transcripts.every((t) => t.roomId === room.id)).toBe(true);
    const turn = metrics[0];
    expect(turn?.roomId).toBe(room.id);
    // The agent answered the order (its second final line).
    await expect
      .poll(() => transcripts.filter((t) => t.speaker === 'agent' && t.final).length, { timeout: 10_000 })
      .toBeGreaterThan(1);
    expect(turn?.voiceToVoiceMs).toBeGreaterThan(0);
  });
});
