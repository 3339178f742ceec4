import { describe, expect, it } from 'vitest';
import { EnergyVad } from '../../src/stages/vad/EnergyVad.ts';
import { concat, silence, synthesizeSpeech } from './fixtures/speech.ts';

const TIMING = { threshold: 0.5, prefixPaddingMs: 200, minSpeechMs: 120, minSilenceMs: 300 };

function noise(ms: number, amplitude: number): Int16Array {
  let seed = 7;
  return Int16Array.from({ length: ms * 16 }, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return Math.round(((seed / 0x7fffffff) * 2 - 1) * amplitude);
  });
}

describe('EnergyVad', () => {
  it('adapts to steady background noise and still finds speech above it', async () => {
    const speech = await synthesizeSpeech('my name is john smith', 'flite');
    const background = 300;
    const mixed = concat(noise(1500, background), speech, noise(1500, background));
    for (let i = 1500 * 16; i < 1500 * 16 + speech.length; i++) {
      mixed[i] = Math.max(
        -32768,
        Math.min(32767, (mixed[i] as number) + ((i * 7919) % (2 * background)) - background),
      );
    }
    const stream = new EnergyVad(TIMING).createStream();
    const events = stream.push(mixed);
    expect(events.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(events[0]?.atMs).toBeGreaterThan(1000);
  });

  it('treats a steady loud noise as background, not as endless speech', () => {
    const stream = new EnergyVad(TIMING).createStream();
    expect(stream.push(concat(noise(3000, 2000), silence(500)))).toEqual([]);
  });
});
