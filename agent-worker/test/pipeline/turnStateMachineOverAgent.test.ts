import { describe, expect, it } from 'vitest';
import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import { turnSettings as settings, actionTypes as types } from './turnMachine.ts';

describe('TurnStateMachine: short speech over an audible reply (default backchannelMaxMs, 700 ms)', () => {
  const { backchannelMaxMs: _pinned, ...defaults } = settings;
  const audible = (overrides: Partial<typeof settings> = {}) => {
    const m = new TurnStateMachine({ ...defaults, ...overrides });
    m.handle({ type: 'agent_turn_started', atMs: 0 });
    m.handle({ type: 'agent_audio_started', atMs: 100 });
    return m;
  };

  it('a backchannel the recogniser turned into other words ("mm hmm" -> "seven eight seven") resumes the reply and is not a turn', () => {
    const m = audible();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    expect(m.handle({ type: 'user_transcript', text: 'seven eight', final: false, atMs: 2300 })).toEqual([]);
    expect(m.handle({ type: 'user_speech_end', atMs: 2550 })).toEqual([]);
    const actions = m.handle({ type: 'user_transcript', text: 'seven eight seven', final: true, atMs: 2800 });
    expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
    expect(m.pendingText).toBe('');
  });

  it('a real sentence over the reply interrupts once it outlasts a backchannel, decided while it is said', () => {
    const m = audible();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'i want three', final: false, atMs: 2500 });
    expect(m.nextDeadlineMs).toBe(2950);
    expect(m.handle({ type: 'tick', atMs: 2949 })).toEqual([]);
    expect(types(m.handle({ type: 'tick', atMs: 2950 }))).toEqual(['interrupt', 'state:listening']);
  });

  it("counts a backchannel's length from its first speech frame, not from the VAD's padded start", () => {
    const padded = audible({ vadPrefixMs: 200 });
    // 850 ms from the padded start, 650 ms of speech: a backchannel, whatever its words
    padded.handle({ type: 'user_speech_start', atMs: 2000 });
    padded.handle({ type: 'user_transcript', text: 'seven eight', final: false, atMs: 2500 });
    expect(padded.handle({ type: 'user_speech_end', atMs: 2850 })).toEqual([]);
    const actions = padded.handle({
      type: 'user_transcript',
      text: 'seven eight seven',
      final: true,
      atMs: 3000,
    });
    expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
    // the same span without padding is 850 ms of speech: a sentence
    const unpadded = audible();
    unpadded.handle({ type: 'user_speech_start', atMs: 2000 });
    unpadded.handle({ type: 'user_transcript', text: 'seven eight', final: false, atMs: 2500 });
    unpadded.handle({ type: 'user_speech_end', atMs: 2850 });
    expect(
      types(unpadded.handle({ type: 'user_transcript', text: 'seven eight seven', final: true, atMs: 3000 })),
    ).toEqual(['interrupt', 'state:listening']);
  });

  it.each(['wait', 'no', 'stop'])('%j still interrupts as soon as a partial has it', (word) => {
    const m = audible();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    const actions = m.handle({ type: 'user_transcript', text: word, final: false, atMs: 2150 });
    expect(types(actions)).toEqual(['interrupt', 'state:listening']);
  });

  it('the caller going on with their own turn while the reply is still being thought of interrupts at minInterruptionMs', () => {
    const m = new TurnStateMachine(defaults);
    m.handle({ type: 'agent_turn_started', atMs: 0 });
    m.handle({ type: 'user_speech_start', atMs: 100 });
    expect(m.handle({ type: 'user_speech_end', atMs: 500 })).toEqual([]);
    const actions = m.handle({
      type: 'user_transcript',
      text: 'a small veggie pizza',
      final: true,
      atMs: 700,
    });
    expect(types(actions)).toEqual(['interrupt', 'state:listening']);
  });
});
