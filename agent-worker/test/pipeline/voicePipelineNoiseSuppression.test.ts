import { describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

/** A suppressor double that takes everything 20 dB down, and remembers what it was given and whether it closed. */
class QuieterByTwentyDb {
  samples = 0;
  closed = false;
  process(pcm: Int16Array): Int16Array {
    this.samples += pcm.length;
    return pcm.map((v) => Math.round(v / 10));
  }
  close(): void {
    this.closed = true;
  }
}

/** The caller says a line after the greeting; whether the dialog was asked to answer it. */
async function answered(h: Harness): Promise<boolean> {
  h.pipeline.start();
  await h.untilListening();
  h.stt.utterances.push('two large pepperoni pizzas');
  await h.run(1000, 'speech');
  await h.run(1000);
  return h.dialog.requests.length > 0;
}

describe('VoicePipeline with a noise suppressor', () => {
  it("hands the VAD and the recogniser the caller's audio as the suppressor left it", async () => {
    expect(await answered(createHarness())).toBe(true);
    const suppressor = new QuieterByTwentyDb();
    const h = createHarness({}, { noiseSuppressor: suppressor });
    // the double's output is under the level VAD's speech level: the line is never heard
    expect(await answered(h)).toBe(false);
    expect(suppressor.samples).toBe(h.callerSamplesPushed);
  });

  it('closes the suppressor with the call', () => {
    const suppressor = new QuieterByTwentyDb();
    const h = createHarness({}, { noiseSuppressor: suppressor });
    h.pipeline.close();
    expect(suppressor.closed).toBe(true);
  });
});
