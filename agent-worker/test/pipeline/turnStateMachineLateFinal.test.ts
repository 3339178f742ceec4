import { describe, expect, it } from 'vitest';
import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import type { TurnInput } from '../../src/pipeline/turnEvents.ts';
import { turnSettings as settings, actionTypes as types } from './turnMachine.ts';

/**
 * A recogniser that lags (under load its finals come seconds after the speech): the verdict on speech over the
 * agent's audible reply is the same as with a prompt final, and a stop word is not kept waiting for one.
 */
describe('TurnStateMachine: speech over an audible reply whose final comes late', () => {
  const { backchannelMaxMs: _pinned, ...defaults } = settings;
  const audible = () => {
    const m = new TurnStateMachine(defaults);
    m.handle({ type: 'agent_turn_started', atMs: 0 });
    m.handle({ type: 'agent_audio_started', atMs: 100 });
    return m;
  };
  const run = (m: TurnStateMachine, inputs: readonly TurnInput[]) =>
    types(inputs.flatMap((i) => m.handle(i)));

  it("a bare stop word in the partials of a short line interrupts a prompt final's wait after its end, not the false-interruption timeout after its start", () => {
    const m = audible();
    run(m, [
      { type: 'user_speech_start', atMs: 2000 },
      { type: 'user_transcript', text: 'stop', final: false, atMs: 2300 },
      { type: 'user_speech_end', atMs: 2400 },
    ]);
    // the speech's end (2400) + the VAD's hangover (250) + a prompt final's wait (300)
    expect(m.nextDeadlineMs).toBe(2950);
    expect(run(m, [{ type: 'tick', atMs: 2949 }])).toEqual([]);
    expect(run(m, [{ type: 'tick', atMs: 2950 }])).toEqual(['interrupt', 'state:listening']);
  });

  it('...while a prompt final that makes a backchannel of it still resumes the reply', () => {
    const m = audible();
    const actions = run(m, [
      { type: 'user_speech_start', atMs: 2000 },
      { type: 'user_transcript', text: 'no', final: false, atMs: 2300 },
      { type: 'user_speech_end', atMs: 2400 },
      {
        type: 'user_transcript',
        text: 'no',
        final: true,
        atMs: 2800,
        overAgent: { phrase: 'okay', confidence: 1 },
      },
      { type: 'tick', atMs: 3000 },
    ]);
    expect(actions).toEqual(['pause_output', 'state:paused', 'resume_output', 'state:speaking']);
  });

  /** A line 2000-2500 with `partial`, no final by the timeout (3500), then `final` at 5000. */
  const resumedThenFinal = (partial: string, final: string, speechEndMs = 2500) => {
    const m = audible();
    const before = run(m, [
      { type: 'user_speech_start', atMs: 2000 },
      { type: 'user_transcript', text: partial, final: false, atMs: 2300 },
      { type: 'user_speech_end', atMs: speechEndMs },
      { type: 'tick', atMs: speechEndMs + 1500 },
    ]);
    const late = m.handle({ type: 'user_transcript', text: final, final: true, atMs: 5000 });
    // as TurnTaker does: a committed turn starts the agent's answer
    if (late.some((a) => a.type === 'commit_user_turn')) m.handle({ type: 'agent_turn_started', atMs: 5000 });
    const committed = late.flatMap((a) => (a.type === 'commit_user_turn' ? [a.text] : []));
    return { before, late: types(late), committed };
  };

  it('a stop request in a final that came after the reply resumed for want of one still interrupts it', () => {
    expect(resumedThenFinal('um', 'wait')).toEqual({
      before: ['pause_output', 'state:paused', 'resume_output', 'state:speaking'],
      late: ['interrupt', 'state:listening', 'commit_user_turn'],
      committed: ['wait'],
    });
  });

  it('so does a late final of a real sentence whose partials had only a backchannel word ("i" of "hi, two cokes")', () => {
    expect(resumedThenFinal('i', 'hi two cokes please', 3700)).toEqual({
      before: ['pause_output', 'state:paused', 'resume_output', 'state:speaking'],
      late: ['interrupt', 'state:listening', 'commit_user_turn'],
      committed: ['hi two cokes please'],
    });
  });

  it('a late backchannel final leaves the resumed reply alone', () => {
    expect(resumedThenFinal('um', 'okay')).toMatchObject({ late: [], committed: [] });
  });
});
