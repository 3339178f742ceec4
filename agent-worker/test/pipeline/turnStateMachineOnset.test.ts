import { describe, expect, it } from 'vitest';
import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import { actionTypes, speakingMachine, turnSettings } from './turnMachine.ts';

describe('TurnStateMachine: the onset of caller speech over the reply (OnsetHold)', () => {
  it('quiets the audible reply at the onset without announcing a pause, and resumes it when the onset passes', () => {
    const m = speakingMachine();
    expect(actionTypes(m.handle({ type: 'tick', atMs: 1000, speechOnset: true }))).toEqual(['pause_output']);
    expect(m.handle({ type: 'tick', atMs: 1020, speechOnset: true })).toEqual([]);
    expect(m.state).toBe('speaking');
    expect(actionTypes(m.handle({ type: 'tick', atMs: 1040, speechOnset: false }))).toEqual([
      'resume_output',
    ]);
    expect(m.handle({ type: 'tick', atMs: 1060, speechOnset: false })).toEqual([]);
  });

  it('an onset confirmed as speech becomes its pause, and nothing resumes once the onset is gone', () => {
    const m = speakingMachine();
    m.handle({ type: 'tick', atMs: 1000, speechOnset: true });
    expect(actionTypes(m.handle({ type: 'user_speech_start', atMs: 1000 }))).toEqual([
      'pause_output',
      'state:paused',
    ]);
    expect(m.handle({ type: 'tick', atMs: 1140, speechOnset: false })).toEqual([]);
    expect(m.state).toBe('paused');
  });

  it('holds nothing while the agent is silent: thinking before its audio, or listening', () => {
    const thinking = new TurnStateMachine(turnSettings);
    thinking.handle({ type: 'agent_turn_started', atMs: 0 });
    expect(thinking.handle({ type: 'tick', atMs: 100, speechOnset: true })).toEqual([]);
    const listening = new TurnStateMachine(turnSettings);
    expect(listening.handle({ type: 'tick', atMs: 100, speechOnset: true })).toEqual([]);
  });

  it('an onset still going when a new reply starts holds that reply too', () => {
    const m = speakingMachine();
    m.handle({ type: 'tick', atMs: 1000, speechOnset: true });
    m.handle({ type: 'agent_turn_started', atMs: 1020 });
    m.handle({ type: 'agent_audio_started', atMs: 1040 });
    expect(actionTypes(m.handle({ type: 'tick', atMs: 1060, speechOnset: true }))).toEqual(['pause_output']);
  });
});
