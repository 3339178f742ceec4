import { describe, expect, it } from 'vitest';
import { EnergyVad } from '../../src/stages/vad/EnergyVad.ts';
import { agentFinals, audioBetween, createHarness, LONG_REPLY, speakingLongReply } from './harness.ts';

/**
 * The real VAD state machine (an energy scorer, 20 ms frames) confirms speech only after minSpeechMs (the default
 * 120 ms): the caller's first frames over the reply are an onset before that.
 */
function speakingWithOnsetVad() {
  const timing = { threshold: 0.5, prefixPaddingMs: 0, minSpeechMs: 120, minSilenceMs: 200 };
  return speakingLongReply(createHarness({}, { vad: new EnergyVad(timing) }));
}

describe('VoicePipeline output at the onset of caller speech', () => {
  it('goes quiet at the first frame of speech over the reply, before the VAD confirms it, and the barge-in interrupts', async () => {
    const h = await speakingWithOnsetVad();
    h.stt.utterances.push('no make it two');
    const bargeAt = h.clock.now();
    expect(audioBetween(h, bargeAt - 20, bargeAt)).toHaveLength(1);
    await h.run(800, 'speech');
    expect(audioBetween(h, bargeAt)).toEqual([]);
    await h.run(400);
    expect(agentFinals(h).at(-1)?.interrupted).toBe(true);
  });

  it('a click shorter than minSpeechMs quiets the reply only while it lasts: no pause is announced and the reply goes on whole', async () => {
    const h = await speakingWithOnsetVad();
    const clickAt = h.clock.now();
    await h.run(40, 'speech');
    await h.run(20);
    expect(audioBetween(h, clickAt, clickAt + 40)).toEqual([]);
    expect(audioBetween(h, clickAt + 40, clickAt + 60)).toHaveLength(1);
    await h.untilListening();
    expect(h.of('agent.state').map((e) => e.state)).not.toContain('paused');
    expect(agentFinals(h).at(-1)).toMatchObject({ text: LONG_REPLY, interrupted: false });
    const words = LONG_REPLY.split(' ').length;
    expect(audioBetween(h, 2000 + 1000).length).toBe((words * 300) / 20);
  });
});
