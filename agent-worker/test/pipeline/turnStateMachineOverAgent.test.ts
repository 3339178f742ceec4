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

  describe('speech that background voices hold open around the caller (the VAD tells where their voice is)', () => {
    it("a short line's partial words do not decide while the room's noise holds the speech open: its final does", () => {
      const m = audible();
      m.handle({ type: 'user_speech_start', atMs: 2000 });
      m.handle({ type: 'tick', atMs: 2400, foregroundStartMs: 2300 });
      m.handle({ type: 'user_transcript', text: 'seven eight', final: false, atMs: 2500 });
      // past the limit from the room's noise (2950), not from the caller's voice (3250)
      expect(m.handle({ type: 'tick', atMs: 3000, foregroundStartMs: 2300 })).toEqual([]);
      expect(m.handle({ type: 'user_speech_end', atMs: 3050 })).toEqual([]);
      const actions = m.handle({ type: 'user_transcript', text: 'okay', final: true, atMs: 3200 });
      expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
    });

    it("a short line's partial words do not decide while only the room's voices go on after it: its final does", () => {
      const m = audible();
      m.handle({ type: 'user_speech_start', atMs: 2000 });
      m.handle({ type: 'tick', atMs: 2400, foregroundStartMs: 2300, foregroundEndMs: 2400 });
      m.handle({ type: 'user_transcript', text: 'seven eight', final: false, atMs: 2500 });
      m.handle({ type: 'tick', atMs: 2700, foregroundStartMs: 2300, foregroundEndMs: 2700 });
      // the caller's voice ended at 2700; the room goes on past the duration rule (3250)
      expect(m.handle({ type: 'tick', atMs: 3300, foregroundStartMs: 2300, foregroundEndMs: 2700 })).toEqual(
        [],
      );
      expect(m.handle({ type: 'user_speech_end', atMs: 3350 })).toEqual([]);
      const actions = m.handle({ type: 'user_transcript', text: 'okay', final: true, atMs: 3500 });
      expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
    });

    it('a short line with other words in its final is still a barge-in over the whole speech (a "stop" misheard)', () => {
      const m = audible();
      m.handle({ type: 'user_speech_start', atMs: 2000 });
      m.handle({ type: 'tick', atMs: 2400, foregroundStartMs: 2300 });
      m.handle({ type: 'user_speech_end', atMs: 2900 });
      const actions = m.handle({ type: 'user_transcript', text: "that's all", final: true, atMs: 3100 });
      expect(types(actions)).toEqual(['interrupt', 'state:listening']);
    });

    it('a real sentence still interrupts while it is said, a backchannel limit after the caller began', () => {
      const m = audible();
      m.handle({ type: 'user_speech_start', atMs: 2000 });
      m.handle({ type: 'tick', atMs: 2400, foregroundStartMs: 2300 });
      m.handle({ type: 'user_transcript', text: 'i want three', final: false, atMs: 2800 });
      expect(m.nextDeadlineMs).toBe(3250);
      expect(m.handle({ type: 'tick', atMs: 3249, foregroundStartMs: 2300, foregroundEndMs: 3200 })).toEqual(
        [],
      );
      expect(
        types(m.handle({ type: 'tick', atMs: 3250, foregroundStartMs: 2300, foregroundEndMs: 3200 })),
      ).toEqual(['interrupt', 'state:listening']);
    });

    /**
     * Speech 2000-3200 that the room held open, the caller's own voice 2200-2550 in it (unknown: not told apart),
     * heard as `partial` and then the room's words, ended by a final with `alternatives`: what the agent did.
     */
    const roomHeldLine = (
      partial: string,
      alternatives = ['a couple of cheese court'],
      voiceKnown = true,
      speechEndMs = 3200,
    ) => {
      const m = audible();
      const voice = voiceKnown ? { foregroundStartMs: 2200, foregroundEndMs: 2550 } : {};
      const inputs = [
        { type: 'user_speech_start', atMs: 2000 },
        { type: 'tick', atMs: 2400, ...voice },
        { type: 'user_transcript', text: partial, final: false, atMs: 2400 },
        { type: 'user_transcript', text: 'a couple of cheese', final: false, atMs: 2700 },
        { type: 'tick', atMs: 3150, ...voice },
        { type: 'user_speech_end', atMs: speechEndMs },
        {
          type: 'user_transcript',
          text: 'a coke please',
          final: true,
          atMs: speechEndMs + 200,
          alternatives,
        },
      ] as const;
      const actions = types(inputs.flatMap((input) => m.handle(input)));
      return { actions, pendingText: m.pendingText };
    };
    const paused = ['pause_output', 'state:paused'];

    it("a short backchannel the room's voices held open and filled with their words resumes the reply: the recogniser heard it, the caller's voice was short", () => {
      expect(roomHeldLine('okay')).toEqual({
        actions: [...paused, 'resume_output', 'state:speaking'],
        pendingText: '',
      });
    });

    it("the room's words do not make a barge-in of a caller voice as short as a backchannel, none a backchannel word", () => {
      // "yeah" and the room heard as "could i have one"
      expect(roomHeldLine('could')).toEqual({
        actions: [...paused, 'resume_output', 'state:speaking'],
        pendingText: '',
      });
    });

    it.each([
      ['a partial heard a stop word', 'no wait', undefined, true, 3200],
      // "wait" under the room's words, finalised as the room's with the caller's stop among the other hypotheses
      ["only the final's other hypotheses heard a stop word", 'i', ['no wait'], true, 3200],
      ["the caller's voice was not told from the room's", 'okay', undefined, false, 3200],
      [
        'the speech went on well past the loud part ("alright ... um ... can I get")',
        'alright',
        undefined,
        true,
        3400,
      ],
    ])('such a line is still a barge-in when %s', (_why, partial, alternatives, voiceKnown, speechEndMs) => {
      expect(roomHeldLine(partial, alternatives, voiceKnown, speechEndMs).actions).toEqual([
        ...paused,
        'interrupt',
        'state:listening',
      ]);
    });

    /**
     * Speech 2000-3200 that the room held open around the caller's voice (2200-2550), heard as
     * `partial` then the room's words, and no final by 4700 (falseInterruptionTimeoutMs after its end): the
     * recogniser lags. What the agent did at each tick after the speech, `final` arriving at 5000 when given.
     */
    const lateFinalLine = (partial: string, final?: string) => {
      const m = audible();
      const voice = { foregroundStartMs: 2200, foregroundEndMs: 2550 };
      for (const input of [
        { type: 'user_speech_start', atMs: 2000 },
        { type: 'tick', atMs: 2400, ...voice },
        { type: 'user_transcript', text: partial, final: false, atMs: 2400 },
        { type: 'user_transcript', text: 'a couple of cheese', final: false, atMs: 2700 },
        { type: 'tick', atMs: 3150, ...voice },
        { type: 'user_speech_end', atMs: 3200 },
      ] as const)
        m.handle(input);
      const at = (atMs: number) => types(m.handle({ type: 'tick', atMs }));
      const atTimeout = at(4700);
      const late = final
        ? types(m.handle({ type: 'user_transcript', text: final, final: true, atMs: 5000 }))
        : at(6200);
      return { atTimeout, late };
    };

    it("a short caller voice in speech the room held open waits past the timeout for its late final, which decides: 'okay' resumes the reply", () => {
      expect(lateFinalLine('um', 'okay')).toEqual({
        atTimeout: [],
        late: ['resume_output', 'state:speaking'],
      });
    });

    it('with no final even twice the timeout after the speech, a backchannel heard in it resumes the reply', () => {
      expect(lateFinalLine('okay')).toEqual({ atTimeout: [], late: ['resume_output', 'state:speaking'] });
    });

    it('with no final and no stop word heard, the reply resumes, only later', () => {
      expect(lateFinalLine('that')).toEqual({ atTimeout: [], late: ['resume_output', 'state:speaking'] });
    });

    it("the caller's voice found only after the speech outlasted the limit does not take back its barge-in", () => {
      const m = audible();
      m.handle({ type: 'user_speech_start', atMs: 2000 });
      m.handle({ type: 'tick', atMs: 2960 });
      expect(m.nextDeadlineMs).toBe(3500);
      m.handle({ type: 'tick', atMs: 3000, foregroundStartMs: 2900 });
      expect(m.nextDeadlineMs).toBe(3500);
    });
  });
});
