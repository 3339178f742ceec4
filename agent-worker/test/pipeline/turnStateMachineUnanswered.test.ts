import { describe, expect, it } from 'vitest';
import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import type { TurnAction } from '../../src/pipeline/turnEvents.ts';
import { speakingMachine as speakingSince, turnSettings } from './turnMachine.ts';

/** The machine's settings with VAD prefix padding and both re-prompt timers. */
const settings = {
  ...turnSettings,
  vadHangoverMs: 200,
  vadPrefixMs: 100,
  repromptAfterMs: 1500,
  noInputRepromptMs: 4000,
};

const reprompts = (actions: TurnAction[]) => actions.filter((a) => a.type === 'reprompt').length;

/** A machine whose agent is speaking a reply since t=0, its audio since 50 ms. */
const speakingMachine = () => speakingSince(settings, 50);

/** A listening machine (the greeting played out) whose caller spoke from 1000 to `endMs`, its final `text`. */
function spoke(text: string, endMs = 1600) {
  const m = speakingMachine();
  m.handle({ type: 'agent_turn_ended', atMs: 900 });
  m.handle({ type: 'user_speech_start', atMs: 1000 });
  m.handle({ type: 'user_speech_end', atMs: endMs });
  m.handle({ type: 'user_transcript', text, final: true, atMs: endMs + 100 });
  return m;
}

/** A listening machine whose caller spoke from 1000 to 1600 ms, the final not in yet. */
function finalDue() {
  const m = new TurnStateMachine(settings);
  m.handle({ type: 'user_speech_start', atMs: 1000 });
  m.handle({ type: 'user_speech_end', atMs: 1600 });
  return m;
}

describe('TurnStateMachine: caller speech that no reply came of', () => {
  it('asks again repromptAfterMs after speech with no words recognised in it ended', () => {
    const m = spoke('');
    expect(m.nextDeadlineMs).toBe(3100);
    expect(reprompts(m.handle({ type: 'tick', atMs: 3080 }))).toBe(0);
    expect(m.handle({ type: 'tick', atMs: 3100 })).toEqual([
      { type: 'reprompt', reason: 'speech_unanswered' },
    ]);
    // once: the reprompt is the reply
    expect(reprompts(m.handle({ type: 'tick', atMs: 9000 }))).toBe(0);
  });

  it('waits for a late final, and the caller going on', () => {
    const m = finalDue();
    expect(reprompts(m.handle({ type: 'tick', atMs: 4000 }))).toBe(0);
    m.handle({ type: 'user_transcript', text: '', final: true, atMs: 4100 });
    m.handle({ type: 'user_speech_start', atMs: 4100 });
    expect(reprompts(m.handle({ type: 'tick', atMs: 6000 }))).toBe(0);
    m.handle({ type: 'user_speech_end', atMs: 6000 });
    expect(reprompts(m.handle({ type: 'tick', atMs: 7000, speechOnset: true }))).toBe(0);
    m.handle({ type: 'user_transcript', text: '', final: true, atMs: 7000 });
    expect(reprompts(m.handle({ type: 'tick', atMs: 7400 }))).toBe(0);
    expect(reprompts(m.handle({ type: 'tick', atMs: 7500 }))).toBe(1);
  });

  it('asks again when the final has not come 5 s after repromptAfterMs (a stalled recogniser)', () => {
    const m = finalDue();
    expect(reprompts(m.handle({ type: 'tick', atMs: 8080 }))).toBe(0);
    expect(reprompts(m.handle({ type: 'tick', atMs: 8100 }))).toBe(1);
  });

  it('asks again when speech over the reply was judged a barge-in after it ended and its final had nothing to answer', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 1000 });
    m.handle({ type: 'user_transcript', text: 'seven eight', final: false, atMs: 1400 });
    m.handle({ type: 'user_speech_end', atMs: 1500 });
    // no final in time: long speech with words is a barge-in, and the reply is cut
    expect(m.handle({ type: 'tick', atMs: 3000 })).toContainEqual({ type: 'interrupt' });
    // the final then has only a backchannel: nothing to answer, and the agent must not stay silent
    const after = m.handle({ type: 'user_transcript', text: 'uh huh', final: true, atMs: 3200 });
    expect(after).toEqual([{ type: 'reprompt', reason: 'speech_unanswered' }]);
    expect(reprompts(m.handle({ type: 'tick', atMs: 10_000 }))).toBe(0);
  });

  it('does not answer a click or a cough shorter than a barge-in', () => {
    const m = spoke('', 1390); // 290 ms from the VAD's start, 190 of them sound
    expect(m.handle({ type: 'tick', atMs: 10_000 })).toEqual([]);
  });

  it('asks again when the reply to a committed turn ended without a sound, not when it spoke', () => {
    const replying = () => {
      const m = spoke('two pizzas');
      expect(m.handle({ type: 'tick', atMs: 1900 }).map((a) => a.type)).toEqual(['commit_user_turn']);
      m.handle({ type: 'agent_turn_started', atMs: 1900 });
      return m;
    };
    const silent = replying();
    expect(reprompts(silent.handle({ type: 'tick', atMs: 5000 }))).toBe(0); // still thinking
    expect(silent.handle({ type: 'agent_turn_ended', atMs: 5100 })).toContainEqual({
      type: 'reprompt',
      reason: 'speech_unanswered',
    });

    const answered = replying();
    answered.handle({ type: 'agent_audio_started', atMs: 2000 });
    answered.handle({ type: 'agent_turn_ended', atMs: 4000 });
    expect(answered.handle({ type: 'tick', atMs: 10_000 })).toEqual([]);
  });

  it('a backchannel over a reply the agent then finished is not left unanswered', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 1000 });
    m.handle({ type: 'user_speech_end', atMs: 1400 });
    m.handle({ type: 'user_transcript', text: 'okay', final: true, atMs: 1500 });
    m.handle({ type: 'agent_turn_ended', atMs: 4000 });
    expect(m.handle({ type: 'tick', atMs: 10_000 })).toEqual([]);
  });

  it('a barge-in with no words recognised is asked again once the agent has stopped', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 1000 });
    // no words for falseInterruptionTimeoutMs while speech goes on: a barge-in after all
    expect(m.handle({ type: 'tick', atMs: 2500 }).map((a) => a.type)).toContain('interrupt');
    m.handle({ type: 'agent_turn_ended', atMs: 2520 });
    m.handle({ type: 'user_speech_end', atMs: 3000 });
    m.handle({ type: 'user_transcript', text: '', final: true, atMs: 3100 });
    expect(reprompts(m.handle({ type: 'tick', atMs: 4500 }))).toBe(1);
  });

  it('"yes" over the yes/no question as it ends lets the question finish, then answers it', () => {
    const m = speakingMachine();
    m.handle({ type: 'agent_asked', expecting: 'yesno', atMs: 3000 });
    m.handle({ type: 'user_speech_start', atMs: 3500 });
    m.handle({ type: 'user_speech_end', atMs: 3900 });
    // a backchannel over the reply: the output goes on
    expect(m.handle({ type: 'user_transcript', text: 'correct', final: true, atMs: 4000 })).toContainEqual({
      type: 'resume_output',
    });
    const ended = m.handle({ type: 'agent_turn_ended', atMs: 4300 });
    expect(ended).toContainEqual({
      type: 'commit_user_turn',
      text: 'correct',
      speechEndAtMs: 3900,
      finalAtMs: 4000,
    });
  });

  it('a short answer of other words over the yes/no question is its answer too', () => {
    const m = speakingMachine();
    m.handle({ type: 'agent_asked', expecting: 'yesno', atMs: 3000 });
    m.handle({ type: 'user_speech_start', atMs: 3500 });
    m.handle({ type: 'user_speech_end', atMs: 3900 });
    m.handle({ type: 'user_transcript', text: 'yes please', final: true, atMs: 4000 });
    const ended = m.handle({ type: 'agent_turn_ended', atMs: 4300 });
    expect(ended).toContainEqual(expect.objectContaining({ type: 'commit_user_turn', text: 'yes please' }));
  });

  it('an answer begun as the yes/no question ended, its final in after the reply, is answered (bench:robustness seed 2 call 1)', () => {
    // the read-back's last words were still playing when the caller said "correct"; the reply ended before its final
    const m = speakingMachine();
    m.handle({ type: 'agent_asked', expecting: 'yesno', atMs: 15_000 });
    m.handle({ type: 'user_speech_start', atMs: 16_900 });
    m.handle({ type: 'agent_turn_ended', atMs: 17_000 });
    m.handle({ type: 'user_speech_end', atMs: 17_300 });
    m.handle({ type: 'user_transcript', text: 'correct', final: true, atMs: 17_400 });
    expect(m.handle({ type: 'tick', atMs: 18_000 })).toContainEqual(
      expect.objectContaining({ type: 'commit_user_turn', text: 'correct' }),
    );
  });

  it('"okay" begun over a reply that asks no yes/no question, its final in after the reply, stays a backchannel', () => {
    const m = speakingMachine();
    m.handle({ type: 'agent_asked', expecting: 'phone', atMs: 2000 });
    m.handle({ type: 'user_speech_start', atMs: 2900 });
    m.handle({ type: 'agent_turn_ended', atMs: 3000 });
    m.handle({ type: 'user_speech_end', atMs: 3300 });
    m.handle({ type: 'user_transcript', text: 'okay', final: true, atMs: 3400 });
    expect(m.handle({ type: 'tick', atMs: 4000 })).toEqual([]);
  });

  it('"okay" over a reply that asks no yes/no question stays a backchannel', () => {
    const m = speakingMachine();
    m.handle({ type: 'agent_asked', expecting: 'yesno', atMs: 500 });
    m.handle({ type: 'agent_asked', expecting: 'phone', atMs: 2000 });
    m.handle({ type: 'user_speech_start', atMs: 2500 });
    m.handle({ type: 'user_speech_end', atMs: 2900 });
    m.handle({ type: 'user_transcript', text: 'okay', final: true, atMs: 3000 });
    expect(m.handle({ type: 'agent_turn_ended', atMs: 4300 })).toEqual([
      { type: 'state', state: 'listening' },
    ]);
    // not an answer: the phone number is still asked for
    expect(m.handle({ type: 'tick', atMs: 8000 })).toEqual([]);
  });

  it('a question whose answer the VAD never confirmed as speech is asked again (bench:robustness seed 2 call 1)', () => {
    // the read-back played out; the caller's "correct" scored under the VAD's threshold: only an onset, no speech
    const m = speakingMachine();
    m.handle({ type: 'agent_asked', expecting: 'yesno', atMs: 15_000 });
    m.handle({ type: 'agent_turn_ended', atMs: 17_000 });
    expect(m.nextDeadlineMs).toBe(17_000 + 4000);
    expect(m.handle({ type: 'tick', atMs: 18_000, speechOnset: true })).toEqual([]);
    expect(m.handle({ type: 'tick', atMs: 20_980, speechOnset: false })).toEqual([]);
    expect(m.handle({ type: 'tick', atMs: 21_000 })).toEqual([{ type: 'reprompt', reason: 'no_input' }]);
  });

  it('a reply that asks nothing is not followed up when the caller stays silent', () => {
    const m = speakingMachine();
    m.handle({ type: 'agent_asked', expecting: 'open', atMs: 1000 });
    m.handle({ type: 'agent_turn_ended', atMs: 2000 });
    expect(m.handle({ type: 'tick', atMs: 60_000 })).toEqual([]);
  });
});
