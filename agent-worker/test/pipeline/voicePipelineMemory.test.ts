import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('VoicePipeline memory over a long call', () => {
  it('a 10-minute caller monologue keeps buffers, pending text and history bounded', async () => {
    const h = createHarness();
    h.pipeline.start();
    await h.untilListening();
    h.dialog.reply = () => [{ type: 'text', text: 'Got it.' }];
    h.stt.utterances.push(Array.from({ length: 2500 }, (_, i) => `word${i}`).join(' '));
    const before = heapMb();
    for (let minute = 0; minute < 10; minute++) {
      await h.run(60_000, 'speech');
      h.events.length = 0;
      h.played.length = 0;
    }
    const during = heapMb();
    await h.run(1000);
    await h.untilListening();
    const stats = h.pipeline.stats;
    expect(stats.queuedOutputSamples).toBe(0);
    expect(stats.pendingCallerChars).toBe(0);
    // the whole monologue (~20k chars) is kept only by its newest words
    expect(stats.historyChars).toBeLessThanOrEqual(3 * 4000);
    expect(h.dialog.requests[0]?.input.userText.length).toBeLessThanOrEqual(10_000);
    // 10 minutes of 16 kHz audio is 19 MB: none of it may be retained
    expect(during - before).toBeLessThan(8);
  }, 60_000);

  it('minutes of silence produce no events, no timers and no growth', async () => {
    const h = createHarness();
    h.pipeline.start();
    await h.untilListening();
    const eventsBefore = h.events.length;
    const before = heapMb();
    await h.run(5 * 60_000);
    h.played.length = 0;
    expect(h.events.length).toBe(eventsBefore);
    expect(h.clock.pendingTimers).toBe(0);
    expect(h.stt.audioSamples).toBe(0);
    expect(heapMb() - before).toBeLessThan(4);
  }, 60_000);

  it('a long call of many turns keeps the history to its newest messages', async () => {
    const h = createHarness();
    h.pipeline.start();
    await h.untilListening();
    for (let turn = 0; turn < 40; turn++) {
      // not "order number N": the double's reply "You said order number N." would read as asking for a phone number
      h.stt.utterances.push(`order ${turn}`);
      await h.run(600, 'speech');
      await h.run(400);
      await h.untilListening();
    }
    expect(h.dialog.requests).toHaveLength(40);
    expect(h.pipeline.stats.historyMessages).toBe(50);
    expect(h.pipeline.history.messages.at(-1)?.content).toBe('You said order 39.');
  }, 60_000);
});
