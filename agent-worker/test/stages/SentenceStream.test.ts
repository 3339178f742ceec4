import type { Tts } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { FliteTts } from '../../src/stages/tts/flite/FliteTts.ts';
import { SentenceStream } from '../../src/stages/tts/SentenceStream.ts';

/** A TTS whose per-sentence duration is controlled, recording concurrency and cancellation. */
class TimedTts implements Tts {
  readonly name = 'timed';
  readonly sampleRate = 16_000;
  active = 0;
  maxActive = 0;
  started: string[] = [];
  cancelled: string[] = [];
  readonly #delayMs: (sentence: string) => number;

  constructor(delayMs: (sentence: string) => number) {
    this.#delayMs = delayMs;
  }

  async *synthesize(text: string, signal: AbortSignal): AsyncIterable<Int16Array> {
    this.started.push(text);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      for (let part = 0; part < 2; part++) {
        const ok = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), this.#delayMs(text) / 2);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve(false);
            },
            { once: true },
          );
        });
        if (!ok) {
          this.cancelled.push(text);
          return;
        }
        yield new Int16Array(160).fill(text.length);
      }
    } finally {
      this.active--;
    }
  }

  close(): void {}
}

async function* tokens(text: string, delayMs = 0): AsyncIterable<string> {
  for (const token of text.split(/(?<= )/)) {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    yield token;
  }
}

describe('SentenceStream', () => {
  it('yields sentences strictly in order even when later ones finish first', async () => {
    // The first sentence is the slowest to synthesise.
    const tts = new TimedTts((s) => (s.startsWith('First') ? 120 : 10));
    const stream = new SentenceStream(tts, tokens('First one here. Second. Third. Fourth.'), {
      parallelism: 3,
      signal: new AbortController().signal,
    });
    const order: string[] = [];
    for await (const spoken of stream) {
      let chunks = 0;
      for await (const _ of spoken.audio) chunks++;
      expect(chunks).toBe(2);
      order.push(`${spoken.index}:${spoken.sentence}`);
    }
    expect(order).toEqual(['0:First one here.', '1:Second.', '2:Third.', '3:Fourth.']);
    expect(tts.maxActive).toBe(3);
  });

  it('never synthesises more than `parallelism` sentences at once', async () => {
    const tts = new TimedTts(() => 30);
    const stream = new SentenceStream(tts, tokens('A one. B two. C three. D four. E five.'), {
      parallelism: 2,
      signal: new AbortController().signal,
    });
    for await (const spoken of stream) for await (const _ of spoken.audio);
    expect(tts.maxActive).toBe(2);
    expect(tts.started).toHaveLength(5);
  });

  it('hands out the first sentence while the token stream is still running', async () => {
    const tts = new TimedTts(() => 5);
    const started = performance.now();
    const stream = new SentenceStream(
      tts,
      tokens('Hello there. This answer keeps coming for a while longer.', 40),
      {
        parallelism: 2,
        signal: new AbortController().signal,
      },
    );
    const first = await stream[Symbol.asyncIterator]().next();
    expect(first.value?.sentence).toBe('Hello there.');
    expect(performance.now() - started).toBeLessThan(9 * 40);
  });

  it('cancels everything in flight and ends when the signal aborts', async () => {
    const tts = new TimedTts(() => 400);
    const controller = new AbortController();
    const stream = new SentenceStream(tts, tokens('One. Two. Three. Four.'), {
      parallelism: 2,
      signal: controller.signal,
    });
    const seen: number[] = [];
    setTimeout(() => controller.abort(), 50);
    const t0 = performance.now();
    for await (const spoken of stream) {
      seen.push(spoken.index);
      for await (const _ of spoken.audio);
    }
    expect(performance.now() - t0).toBeLessThan(300);
    expect(stream.aborted).toBe(true);
    expect(tts.cancelled.length).toBeGreaterThanOrEqual(1);
    expect(tts.started.length).toBeLessThanOrEqual(2);
  });

  it('stops the work when the consumer breaks out early (barge-in)', async () => {
    const tts = new TimedTts(() => 200);
    const stream = new SentenceStream(tts, tokens('One. Two. Three.'), {
      parallelism: 3,
      signal: new AbortController().signal,
    });
    for await (const _ of stream) break;
    await new Promise((r) => setTimeout(r, 20));
    expect(stream.aborted).toBe(true);
    expect(tts.started.length).toBeGreaterThanOrEqual(2);
    expect(tts.cancelled).toEqual(tts.started);
  });

  it('lets the audio of sentences already handed out finish after the last sentence is taken', async () => {
    const tts = new TimedTts(() => 60);
    const stream = new SentenceStream(tts, tokens('One. Two.'), {
      parallelism: 2,
      signal: new AbortController().signal,
    });
    const sentences = [];
    for await (const spoken of stream) sentences.push(spoken);
    let chunks = 0;
    for (const spoken of sentences) for await (const _ of spoken.audio) chunks++;
    expect(chunks).toBe(4);
    expect(tts.cancelled).toEqual([]);
  });

  it('surfaces a token stream error to the consumer', async () => {
    async function* failing(): AsyncIterable<string> {
      yield 'Fine. ';
      throw new Error('dialog broke');
    }
    const stream = new SentenceStream(new TimedTts(() => 1), failing(), {
      parallelism: 1,
      signal: new AbortController().signal,
    });
    await expect(async () => {
      for await (const s of stream) for await (const _ of s.audio);
    }).rejects.toThrow('dialog broke');
  });

  it('rejects a parallelism below one', () => {
    expect(
      () =>
        new SentenceStream(new TimedTts(() => 1), tokens('x'), {
          parallelism: 0,
          signal: new AbortController().signal,
        }),
    ).toThrow(/parallelism/);
  });

  it('streams real flite audio sentence by sentence', async () => {
    const tts = await FliteTts.create();
    const stream = new SentenceStream(tts, tokens('Sure. Your total is $15.50. Anything else?'), {
      parallelism: 2,
      signal: new AbortController().signal,
    });
    const durations: number[] = [];
    for await (const spoken of stream) {
      let samples = 0;
      for await (const chunk of spoken.audio) samples += chunk.length;
      durations.push(samples / tts.sampleRate);
    }
    expect(durations).toHaveLength(3);
    expect(durations[1]).toBeGreaterThan(durations[0] as number);
  });
});
