import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.ts';
import { CallAudioRecorder } from '../../src/recording/CallAudioRecorder.ts';
import { OggOpusWriter, readOggOpusPackets } from '../../src/recording/OggOpusWriter.ts';
import { amplitude, decodeRecording } from './decodeRecording.ts';

/** `samples` of a continuous tone, from sample `start` on. */
function tone(frequency: number, samples: number, rate: number, start = 0): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++)
    pcm[i] = Math.round(6000 * Math.sin((2 * Math.PI * frequency * (start + i)) / rate));
  return pcm;
}

describe('CallAudioRecorder', () => {
  it('mixes the caller and the agent on the call timeline into Ogg Opus as long as the call', () => {
    const clock = new ManualClock(1000);
    const recorder = new CallAudioRecorder({ clock });
    // 0-2 s: the caller speaks (440 Hz, 16 kHz, 20 ms chunks); 2.5-4.5 s: the agent (880 Hz at 22.05 kHz);
    // 4.5-6 s: nobody.
    for (let t = 0; t < 6000; t += 20) {
      clock.advance(20);
      if (t < 2000) recorder.addVoice(tone(440, 320, 16_000, t * 16));
      if (t >= 2500 && t < 4500) recorder.addAgent(tone(880, 441, 22_050, (t - 2500) * 22.05), 22_050);
    }
    const file = recorder.finish();
    expect(recorder.finish()).toBe(file);
    const pcm = decodeRecording(file);
    expect(pcm.length / 48_000).toBeCloseTo(6, 1);
    const second = (s: number) => pcm.subarray(s * 48_000, (s + 1) * 48_000);
    expect(amplitude(second(0), 440, 48_000)).toBeGreaterThan(2000);
    expect(amplitude(second(0), 880, 48_000)).toBeLessThan(300);
    expect(amplitude(second(3), 880, 48_000)).toBeGreaterThan(2000);
    expect(amplitude(second(3), 440, 48_000)).toBeLessThan(300);
    expect(amplitude(second(5), 440, 48_000) + amplitude(second(5), 880, 48_000)).toBeLessThan(100);
  });

  it('starts with the lead-in as silence when the call began before the recorder', () => {
    const clock = new ManualClock(5000);
    const recorder = new CallAudioRecorder({ clock, leadInMs: 1500 });
    for (let t = 0; t < 2000; t += 20) {
      clock.advance(20);
      recorder.addVoice(tone(440, 320, 16_000, t * 16));
    }
    const pcm = decodeRecording(recorder.finish());
    expect(pcm.length / 48_000).toBeCloseTo(3.5, 1);
    expect(amplitude(pcm.subarray(0, 1400 * 48), 440, 48_000)).toBeLessThan(100);
    expect(amplitude(pcm.subarray(1600 * 48, 3400 * 48), 440, 48_000)).toBeGreaterThan(2000);
  });

  it('mixes voices that overlap, and audio that arrives late within a second', () => {
    const clock = new ManualClock();
    const recorder = new CallAudioRecorder({ clock });
    for (let t = 0; t < 2000; t += 100) {
      clock.advance(100);
      recorder.addVoice(tone(440, 1600, 16_000));
      recorder.addAgent(tone(880, 1600, 16_000), 16_000);
    }
    // A stall: 500 ms of a human agent arrives at once.
    clock.advance(500);
    recorder.addVoice(tone(660, 8000, 16_000));
    const pcm = decodeRecording(recorder.finish());
    const firstSecond = pcm.subarray(0, 48_000);
    expect(amplitude(firstSecond, 440, 48_000)).toBeGreaterThan(2000);
    expect(amplitude(firstSecond, 880, 48_000)).toBeGreaterThan(2000);
    expect(amplitude(pcm.subarray(2000 * 48, 2500 * 48), 660, 48_000)).toBeGreaterThan(2000);
  });
});

describe('OggOpusWriter', () => {
  it('writes pages whose CRCs check and whose last granule counts every sample', () => {
    const writer = new OggOpusWriter({ inputSampleRate: 16_000, serial: 7 });
    for (let i = 0; i < 120; i++) writer.write(new Uint8Array(i === 5 ? 510 : 40).fill(i));
    const file = writer.finish();
    const { packets, preSkip, granule } = readOggOpusPackets(file);
    expect(packets).toHaveLength(120);
    expect(packets[5]?.length).toBe(510);
    expect(packets[119]?.[0]).toBe(119);
    expect(preSkip).toBe(312);
    expect(granule).toBe(120 * 960);
    const corrupt = file.slice();
    corrupt[corrupt.length - 3] = (corrupt.at(-3) as number) ^ 0xff;
    expect(() => readOggOpusPackets(corrupt)).toThrow(/CRC/);
  });
});
