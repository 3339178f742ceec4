import { findName, tokenize } from '@voiceroom/agent-core/nlu';
import { describe, expect, it } from 'vitest';
import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import { turnSettings as settings, speakingMachine, actionTypes as types } from './turnMachine.ts';

/** A listening machine whose caller said "two pizzas" from 0 to 1000 ms, its final in at 1120: the delay runs. */
function saidTwoPizzas() {
  const m = new TurnStateMachine(settings);
  m.handle({ type: 'user_speech_start', atMs: 0 });
  m.handle({ type: 'user_speech_end', atMs: 1000 });
  m.handle({ type: 'user_transcript', text: 'two pizzas', final: true, atMs: 1120 });
  return m;
}

describe('TurnStateMachine', () => {
  it('commits the caller turn endpointingDelayMs after speech ended, once the final is in', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_speech_end', atMs: 1000 });
    expect(m.handle({ type: 'tick', atMs: 1100 })).toEqual([]); // waiting for the final
    m.handle({ type: 'user_transcript', text: 'two pizzas', final: true, atMs: 1120 });
    expect(m.nextDeadlineMs).toBe(1300);
    expect(m.handle({ type: 'tick', atMs: 1299 })).toEqual([]);
    expect(m.handle({ type: 'tick', atMs: 1300 })).toEqual([
      { type: 'commit_user_turn', text: 'two pizzas', speechEndAtMs: 1000, finalAtMs: 1120 },
    ]);
  });

  it('a final arriving after the delay commits at once', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_speech_end', atMs: 1000 });
    const actions = m.handle({ type: 'user_transcript', text: 'hi', final: true, atMs: 1500 });
    expect(types(actions)).toEqual(['commit_user_turn']);
  });

  it('speech resuming before the delay joins both parts into one turn, the pause between them kept as a comma', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_speech_end', atMs: 500 });
    m.handle({ type: 'user_transcript', text: 'two pizzas', final: true, atMs: 600 });
    m.handle({ type: 'user_speech_start', atMs: 700 });
    expect(m.handle({ type: 'tick', atMs: 900 })).toEqual([]);
    m.handle({ type: 'user_speech_end', atMs: 1200 });
    m.handle({ type: 'user_transcript', text: 'and a coke', final: true, atMs: 1300 });
    const actions = m.handle({ type: 'tick', atMs: 1500 });
    expect(actions).toEqual([
      { type: 'commit_user_turn', text: 'two pizzas, and a coke', speechEndAtMs: 1200, finalAtMs: 1300 },
    ]);
  });

  it('does not end the turn while the VAD hears the caller go on but has not confirmed it as speech yet', () => {
    const m = saidTwoPizzas();
    // the caller goes on at 1280; the VAD confirms it minSpeechMs later, after the delay ran out
    expect(m.handle({ type: 'tick', atMs: 1300, speechOnset: true })).toEqual([]);
    expect(m.handle({ type: 'tick', atMs: 1380, speechOnset: true })).toEqual([]);
    m.handle({ type: 'user_speech_start', atMs: 1280 });
    m.handle({ type: 'user_speech_end', atMs: 1800 });
    m.handle({ type: 'user_transcript', text: 'and a coke', final: true, atMs: 1900 });
    expect(m.handle({ type: 'tick', atMs: 2100 })).toEqual([
      { type: 'commit_user_turn', text: 'two pizzas, and a coke', speechEndAtMs: 1800, finalAtMs: 1900 },
    ]);
  });

  it('ends the turn once a sound the VAD did not confirm as speech has passed', () => {
    const m = saidTwoPizzas();
    expect(m.handle({ type: 'tick', atMs: 1300, speechOnset: true })).toEqual([]);
    expect(types(m.handle({ type: 'tick', atMs: 1340, speechOnset: false }))).toEqual(['commit_user_turn']);
  });

  it('a first and a last name spelled with a pause between them reach the NLU as two names', () => {
    const m = new TurnStateMachine({ ...settings, maxEndpointingDelayMs: 1000 });
    m.handle({ type: 'agent_asked', expecting: 'name', atMs: 0 });
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_speech_end', atMs: 1500 });
    m.handle({ type: 'user_transcript', text: 'w i l l i a m', final: true, atMs: 1600 });
    m.handle({ type: 'user_speech_start', atMs: 2100 });
    m.handle({ type: 'user_speech_end', atMs: 3500 });
    m.handle({ type: 'user_transcript', text: 'r o g e r s', final: true, atMs: 3600 });
    const [commit] = m.handle({ type: 'tick', atMs: 4600 });
    const text = commit?.type === 'commit_user_turn' ? commit.text : '';
    expect(findName(tokenize(text), true)?.value).toBe('William Rogers');
  });

  it('waits the longest after a final whose last partial ended in "and" the final dropped', () => {
    const m = new TurnStateMachine({ ...settings, minEndpointingDelayMs: 200, maxEndpointingDelayMs: 1000 });
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({
      type: 'user_transcript',
      text: 'three large margherita pizzas and',
      final: false,
      atMs: 1200,
    });
    m.handle({ type: 'user_speech_end', atMs: 1300 });
    m.handle({ type: 'user_transcript', text: 'three large margherita pizza', final: true, atMs: 1400 });
    expect(m.nextDeadlineMs).toBe(2300);
    expect(m.pendingText).toBe('three large margherita pizza');
  });

  it('an utterance recognised as nothing (noise) is not a turn', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'user_speech_start', atMs: 0 });
    m.handle({ type: 'user_speech_end', atMs: 200 });
    m.handle({ type: 'user_transcript', text: '  ', final: true, atMs: 300 });
    expect(m.nextDeadlineMs).toBeUndefined();
    expect(m.handle({ type: 'tick', atMs: 5000 })).toEqual([]);
  });

  it('caller speech over the agent pauses the output immediately', () => {
    const m = speakingMachine();
    expect(types(m.handle({ type: 'user_speech_start', atMs: 2000 }))).toEqual([
      'pause_output',
      'state:paused',
    ]);
  });

  it('speech with words still going after minInterruptionMs plus the VAD hangover is a real interruption', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'can i', final: false, atMs: 2300 });
    expect(m.nextDeadlineMs).toBe(2550);
    expect(m.handle({ type: 'tick', atMs: 2549 })).toEqual([]);
    expect(types(m.handle({ type: 'tick', atMs: 2550 }))).toEqual(['interrupt', 'state:listening']);
  });

  it('speech with words that ended having lasted minInterruptionMs is a real interruption, decided by its final', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'can i', final: false, atMs: 2250 });
    expect(m.handle({ type: 'user_speech_end', atMs: 2320 })).toEqual([]);
    expect(m.state).toBe('paused');
    const actions = m.handle({ type: 'user_transcript', text: 'can i add', final: true, atMs: 2500 });
    expect(types(actions)).toEqual(['interrupt', 'state:listening']);
  });

  it('speech that ended with other words in its partials but a backchannel final resumes the reply', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'uh huh', final: false, atMs: 2200 });
    m.handle({ type: 'user_transcript', text: 'can i get', final: false, atMs: 2350 });
    expect(m.handle({ type: 'user_speech_end', atMs: 2400 })).toEqual([]);
    expect(m.handle({ type: 'user_transcript', text: 'can i get a', final: false, atMs: 2550 })).toEqual([]);
    const actions = m.handle({ type: 'user_transcript', text: 'uh huh', final: true, atMs: 2650 });
    expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
    expect(m.pendingText).toBe('');
  });

  it('speech that ended with words in its partials but an empty final resumes the reply', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'two', final: false, atMs: 2250 });
    expect(m.handle({ type: 'user_speech_end', atMs: 2350 })).toEqual([]);
    const actions = m.handle({ type: 'user_transcript', text: '', final: true, atMs: 2600 });
    expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
  });

  it('speech that ended with words and no final in time is a barge-in on its last partial; without words it resumes', () => {
    const worded = speakingMachine();
    worded.handle({ type: 'user_speech_start', atMs: 2000 });
    worded.handle({ type: 'user_transcript', text: 'can i', final: false, atMs: 2250 });
    worded.handle({ type: 'user_speech_end', atMs: 2400 });
    expect(worded.nextDeadlineMs).toBe(3900);
    expect(types(worded.handle({ type: 'tick', atMs: 3900 }))).toEqual(['interrupt', 'state:listening']);
    const backchannel = speakingMachine();
    backchannel.handle({ type: 'user_speech_start', atMs: 2000 });
    backchannel.handle({ type: 'user_transcript', text: 'yeah', final: false, atMs: 2250 });
    backchannel.handle({ type: 'user_speech_end', atMs: 2400 });
    expect(types(backchannel.handle({ type: 'tick', atMs: 3900 }))).toEqual([
      'resume_output',
      'state:speaking',
    ]);
  });

  it('a backchannel the recogniser has not heard yet when the duration rule falls due stays paused until its words resume the reply', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    expect(m.handle({ type: 'tick', atMs: 2600 })).toEqual([]);
    expect(m.handle({ type: 'user_speech_end', atMs: 2700 })).toEqual([]);
    expect(m.state).toBe('paused');
    const actions = m.handle({ type: 'user_transcript', text: 'uh huh', final: true, atMs: 2900 });
    expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
  });

  it('speech the recogniser had no words for at its end is a barge-in once its final has words', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    expect(m.handle({ type: 'user_speech_end', atMs: 2400 })).toEqual([]);
    const actions = m.handle({ type: 'user_transcript', text: 'two cokes', final: true, atMs: 2700 });
    expect(types(actions)).toEqual(['interrupt', 'state:listening', 'commit_user_turn']);
  });

  it('wordless past the duration rule, speech still going a VAD hangover after its first words interrupts', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    expect(m.handle({ type: 'tick', atMs: 2600 })).toEqual([]);
    expect(m.handle({ type: 'user_transcript', text: 'i want', final: false, atMs: 2700 })).toEqual([]);
    expect(m.nextDeadlineMs).toBe(2950);
    expect(types(m.handle({ type: 'tick', atMs: 2950 }))).toEqual(['interrupt', 'state:listening']);
  });

  it('speech with no words at all for falseInterruptionTimeoutMs is a barge-in (a lagging recogniser cannot hold the reply)', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    expect(m.handle({ type: 'tick', atMs: 2600 })).toEqual([]);
    expect(m.handle({ type: 'tick', atMs: 3499 })).toEqual([]);
    expect(types(m.handle({ type: 'tick', atMs: 3500 }))).toEqual(['interrupt', 'state:listening']);
  });

  it('a short burst with an empty final resumes the output (false interruption)', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    expect(m.handle({ type: 'user_speech_end', atMs: 2100 })).toEqual([]);
    const actions = m.handle({ type: 'user_transcript', text: '', final: true, atMs: 2450 });
    expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
  });

  it('a short burst with no final resumes falseInterruptionTimeoutMs after it started', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_speech_end', atMs: 2100 });
    expect(m.nextDeadlineMs).toBe(3500);
    expect(types(m.handle({ type: 'tick', atMs: 3500 }))).toEqual(['resume_output', 'state:speaking']);
  });

  it('a short burst whose final has words is a real interruption and becomes the next turn', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_speech_end', atMs: 2200 });
    const actions = m.handle({ type: 'user_transcript', text: 'stop', final: true, atMs: 2500 });
    expect(types(actions)).toEqual(['interrupt', 'state:listening', 'commit_user_turn']);
  });

  it('with minInterruptionWords, a partial reaching that many words interrupts', () => {
    const m = speakingMachine({ minInterruptionMs: 5000, minInterruptionWords: 3 });
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    expect(m.handle({ type: 'user_transcript', text: 'can you', final: false, atMs: 2400 })).toEqual([]);
    const actions = m.handle({ type: 'user_transcript', text: 'can you repeat', final: false, atMs: 2600 });
    expect(types(actions)).toEqual(['interrupt', 'state:listening']);
  });

  it.each(['yeah', 'uh huh', 'okay', 'mm-hm', 'right'])(
    'a backchannel (%j) over the agent resumes the reply and is not a caller turn',
    (word) => {
      const m = speakingMachine();
      m.handle({ type: 'user_speech_start', atMs: 2000 });
      expect(m.handle({ type: 'user_transcript', text: word, final: false, atMs: 2300 })).toEqual([]);
      // Past the duration rule while still speaking, and ended after minInterruptionMs: both wait for the final.
      expect(m.handle({ type: 'tick', atMs: 2600 })).toEqual([]);
      expect(m.handle({ type: 'user_speech_end', atMs: 2700 })).toEqual([]);
      const actions = m.handle({ type: 'user_transcript', text: word, final: true, atMs: 2750 });
      expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
      expect(m.pendingText).toBe('');
      m.handle({ type: 'agent_turn_ended', atMs: 5000 });
      expect(m.handle({ type: 'tick', atMs: 9000 }).some((a) => a.type === 'commit_user_turn')).toBe(false);
    },
  );

  it.each(['wait', 'no', 'stop', 'hold on'])(
    '%j in a partial of a short line keeps the reply paused; its final stops it (a misheard "okay" is judged there)',
    (words) => {
      const m = speakingMachine();
      m.handle({ type: 'user_speech_start', atMs: 2000 });
      expect(m.handle({ type: 'user_transcript', text: words, final: false, atMs: 2150 })).toEqual([]);
      expect(m.state).toBe('paused');
      m.handle({ type: 'user_speech_end', atMs: 2250 });
      const actions = m.handle({ type: 'user_transcript', text: words, final: true, atMs: 2400 });
      expect(types(actions)).toEqual(['interrupt', 'state:listening']);
    },
  );

  it('a backchannel that goes on into a sentence interrupts once the speech is still going a VAD hangover after the first other word', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'yeah', final: false, atMs: 2300 });
    expect(m.handle({ type: 'tick', atMs: 2600 })).toEqual([]);
    expect(m.handle({ type: 'user_transcript', text: 'yeah can i add', final: false, atMs: 2900 })).toEqual(
      [],
    );
    expect(m.handle({ type: 'tick', atMs: 3149 })).toEqual([]);
    expect(types(m.handle({ type: 'tick', atMs: 3150 }))).toEqual(['interrupt', 'state:listening']);
  });

  it('other words the recogniser gives a backchannel that had ended before the VAD reported it do not interrupt: its final decides', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'uh huh', final: false, atMs: 2300 });
    expect(m.handle({ type: 'tick', atMs: 2600 })).toEqual([]);
    // the caller stopped at 2650; the VAD says so its hangover (250 ms) later, after the recogniser's guess at the tail
    expect(m.handle({ type: 'user_transcript', text: 'can i get', final: false, atMs: 2800 })).toEqual([]);
    expect(m.handle({ type: 'user_speech_end', atMs: 2650 })).toEqual([]);
    const actions = m.handle({ type: 'user_transcript', text: 'uh huh', final: true, atMs: 2950 });
    expect(types(actions)).toEqual(['resume_output', 'state:speaking']);
  });

  it('speech with other words is still interrupted by the duration rule', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'two', final: false, atMs: 2300 });
    expect(types(m.handle({ type: 'tick', atMs: 2550 }))).toEqual(['interrupt', 'state:listening']);
  });

  it('a yes said while the agent is listening is an ordinary turn', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'user_speech_start', atMs: 1000 });
    m.handle({ type: 'user_speech_end', atMs: 1300 });
    m.handle({ type: 'user_transcript', text: 'yeah', final: true, atMs: 1350 });
    expect(m.handle({ type: 'tick', atMs: 1600 })).toContainEqual(
      expect.objectContaining({ type: 'commit_user_turn', text: 'yeah' }),
    );
  });

  it('caller speech while the agent is thinking pauses, then interrupts, the pending reply', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'agent_turn_started', atMs: 0 });
    expect(m.state).toBe('thinking');
    expect(types(m.handle({ type: 'user_speech_start', atMs: 50 }))).toEqual([
      'pause_output',
      'state:paused',
    ]);
    m.handle({ type: 'user_transcript', text: 'can i', final: false, atMs: 400 });
    expect(types(m.handle({ type: 'tick', atMs: 600 }))).toEqual(['interrupt', 'state:listening']);
  });

  it('the end of the agent turn returns to listening and drops pending pause deadlines', () => {
    const m = speakingMachine();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_speech_end', atMs: 2100 });
    expect(types(m.handle({ type: 'agent_turn_ended', atMs: 2200 }))).toEqual(['state:listening']);
    expect(m.nextDeadlineMs).toBeUndefined();
  });

  it('a turn started while the caller is speaking starts paused', () => {
    const m = new TurnStateMachine(settings);
    m.handle({ type: 'user_speech_start', atMs: 0 });
    expect(types(m.handle({ type: 'agent_turn_started', atMs: 10 }))).toEqual([
      'pause_output',
      'state:paused',
    ]);
    expect(m.nextDeadlineMs).toBe(550);
  });
});
