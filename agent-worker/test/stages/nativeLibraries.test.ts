import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { EspeakTts } from '../../src/stages/tts/espeak/EspeakTts.ts';
import { FliteTts } from '../../src/stages/tts/flite/FliteTts.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function samples(tts: FliteTts | EspeakTts, text: string): Promise<number> {
  let n = 0;
  for await (const chunk of tts.synthesize(text, new AbortController().signal)) n += chunk.length;
  return n;
}

describe('native speech libraries', () => {
  // koffi unloads a library whose handle is collected; the voices' tables live in those libraries.
  it('keep working after garbage collection, across voices and engines', async () => {
    const text = 'We deliver within five miles. Delivery is free on orders over twenty dollars.';
    const kal = await FliteTts.create({ voice: 'kal16' });
    const first = await samples(kal, text);
    collectGarbage();
    const slt = await FliteTts.create({ voice: 'slt' });
    expect(await samples(slt, text)).toBeGreaterThan(0);
    expect(await samples(new EspeakTts(), text)).toBeGreaterThan(0);
    collectGarbage();
    expect(await samples(kal, text)).toBe(first);
    expect(await samples(slt, text)).toBeGreaterThan(0);
  });

  it('applies the speaking rate of each flite instance', async () => {
    const text = 'Your pizza will be ready in thirty minutes.';
    const normal = await samples(await FliteTts.create({ rate: 1 }), text);
    const fast = await samples(await FliteTts.create({ rate: 1.5 }), text);
    expect(fast / normal).toBeGreaterThan(0.55);
    expect(fast / normal).toBeLessThan(0.8);
  });
});
