import type { VadEvent } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { VadStateMachine } from '../../src/stages/vad/VadStateMachine.ts';

const TIMING = { threshold: 0.5, prefixPaddingMs: 100, minSpeechMs: 60, minSilenceMs: 100 };

/** Runs 20 ms frames with the given probabilities. */
function run(machine: VadStateMachine, probabilities: number[]): VadEvent[] {
  return probabilities.flatMap((p, i) => machine.frame(p, i * 20, 20) ?? []);
}

describe('VadStateMachine', () => {
  it('starts speech after minSpeechMs of speech frames, padded back by prefixPaddingMs', () => {
    const events = run(new VadStateMachine(TIMING), [0, 0, 0, 0, 0, 0.9, 0.9, 0.9, 0.9]);
    expect(events).toEqual([{ type: 'speech_start', atMs: 0 }]);
    const later = run(new VadStateMachine(TIMING), [...Array(10).fill(0), 0.9, 0.9, 0.9]);
    expect(later).toEqual([{ type: 'speech_start', atMs: 200 - 100 }]);
  });

  it('ignores speech runs shorter than minSpeechMs', () => {
    expect(run(new VadStateMachine(TIMING), [0, 0.9, 0.9, 0, 0, 0.9, 0, 0])).toEqual([]);
  });

  it('tells of speech beginning outside speech until it starts speech or falls silent again', () => {
    const machine = new VadStateMachine(TIMING);
    const onsets = [0, 0.9, 0.9, 0.9, 0.9, 0.1].map((p, i) => {
      machine.frame(p, i * 20, 20);
      return machine.onset;
    });
    // 60 ms of speech frames start speech on the third; a lone frame's onset ends with the silence after it
    expect(onsets).toEqual([false, true, true, false, false, false]);
    machine.reset();
    machine.frame(0.9, 0, 20);
    machine.frame(0.1, 20, 20);
    expect(machine.onset).toBe(false);
  });

  it('ends speech after minSilenceMs below the negative threshold, at the end of the last speech frame', () => {
    const events = run(new VadStateMachine(TIMING), [0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(events).toEqual([
      { type: 'speech_start', atMs: 0 },
      { type: 'speech_end', atMs: 80, durationMs: 80 },
    ]);
  });

  it('keeps speaking through short pauses and through frames between the two thresholds', () => {
    const machine = new VadStateMachine(TIMING);
    const events = run(machine, [0.9, 0.9, 0.9, 0.1, 0.1, 0.9, 0.4, 0.4, 0.4, 0.4, 0.4, 0.9]);
    expect(events.map((e) => e.type)).toEqual(['speech_start']);
    expect(machine.speaking).toBe(true);
  });

  it('returns to silence on reset', () => {
    const machine = new VadStateMachine(TIMING);
    run(machine, [0.9, 0.9, 0.9]);
    expect(machine.speaking).toBe(true);
    machine.reset();
    expect(machine.speaking).toBe(false);
    expect(run(machine, [0, 0, 0, 0, 0, 0, 0])).toEqual([]);
  });

  it('ends speech when asked, at the end of its last speech frame, and starts the next speech as usual', () => {
    const machine = new VadStateMachine(TIMING);
    expect(run(machine, [0.9, 0.9, 0.9, 0.9])).toEqual([{ type: 'speech_start', atMs: 0 }]);
    expect(machine.endSpeech()).toEqual({ type: 'speech_end', atMs: 80, durationMs: 80 });
    expect(machine.speaking).toBe(false);
    expect(machine.endSpeech()).toBeUndefined();
    const next = [0.9, 0.9, 0.9].flatMap((p, i) => machine.frame(p, 200 + i * 20, 20) ?? []);
    expect(next).toEqual([{ type: 'speech_start', atMs: 100 }]);
  });
});
