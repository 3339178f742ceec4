import type { OverAgentReading } from '@voiceroom/agent-core/stages';
import { describe, expect, it } from 'vitest';
import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import { turnSettings as settings, actionTypes as types } from './turnMachine.ts';

const { backchannelMaxMs: _pinned, ...defaults } = settings;

/** The agent speaking an audible reply since t=100, with the default backchannel limit (700 ms). */
function audible() {
  const m = new TurnStateMachine(defaults);
  m.handle({ type: 'agent_turn_started', atMs: 0 });
  m.handle({ type: 'agent_audio_started', atMs: 100 });
  return m;
}

const grammar = (phrase: string): OverAgentReading => ({ phrase, confidence: 1 });

/**
 * A line over the reply from 2000 ms to `endMs` (short by default): the open model's `partial` and final `heard`,
 * the over-agent grammar's `phrase`. The actions of each input, by name.
 */
function overReply(heard: string, phrase: string | undefined, { partial = heard, endMs = 2400 } = {}) {
  const m = audible();
  const overAgent = phrase === undefined ? {} : { overAgent: grammar(phrase) };
  return {
    m,
    start: types(m.handle({ type: 'user_speech_start', atMs: 2000 })),
    partial: types(m.handle({ type: 'user_transcript', text: partial, final: false, atMs: 2200 })),
    end: types(m.handle({ type: 'user_speech_end', atMs: endMs })),
    final: types(
      m.handle({ type: 'user_transcript', text: heard, final: true, atMs: endMs + 250, ...overAgent }),
    ),
  };
}

describe('TurnStateMachine: speech over the reply judged with the over-agent grammar', () => {
  it('a backchannel the open model heard as "no" and the grammar as "yeah" does not stop the reply: it resumes', () => {
    const line = overReply('no', 'yeah');
    expect(line.start).toEqual(['pause_output', 'state:paused']);
    expect(line.partial).toEqual([]);
    expect(line.final).toEqual(['resume_output', 'state:speaking']);
    expect(line.m.pendingText).toBe('');
  });

  it.each(['wait', 'stop', 'no'])('a real %j, heard so by both, stops the reply at its final', (word) => {
    const line = overReply(word, word);
    expect(line.start).toEqual(['pause_output', 'state:paused']);
    expect(line.final).toEqual(['interrupt', 'state:listening']);
  });

  it('a "no" the open model heard as a hesitation and the grammar as "no" stops the reply', () => {
    expect(overReply('um', 'no').final).toEqual(['interrupt', 'state:listening']);
  });

  it('a backchannel the room held open, of which the open model made other words and the grammar one, resumes the reply', () => {
    const line = overReply('could i get three', 'uh huh', { partial: 'could i', endMs: 2950 });
    expect(line.final).toEqual(['resume_output', 'state:speaking']);
    expect(line.m.pendingText).toBe('');
  });

  it('a "wait" the open model heard in a partial and the grammar in the whole, though the final has "we", stops the reply', () => {
    expect(overReply('we', 'wait', { partial: 'wait' }).final).toEqual(['interrupt', 'state:listening']);
  });

  it('a stop word a partial had stands when the final is other words, not a backchannel ("no" -> "eight one")', () => {
    expect(overReply('eight one', '', { partial: 'no' }).final).toEqual(['interrupt', 'state:listening']);
    expect(overReply('right', '', { partial: 'no' }).final).toEqual(['resume_output', 'state:speaking']);
  });

  it('a stop request the grammar alone heard in speech the open model made other words of does not stop the reply', () => {
    expect(overReply('the one', 'hang on', { partial: 'the' }).final).toEqual([
      'resume_output',
      'state:speaking',
    ]);
  });

  it('a "wait" the open model heard as other words and the grammar as "wait" stops the reply where the VAD found the caller\'s voice alone', () => {
    const m = audible();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    // the VAD places the caller's voice from the speech's start and finds no room's voices around it
    m.handle({ type: 'tick', atMs: 2150, foregroundStartMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'we', final: false, atMs: 2200 });
    m.handle({ type: 'user_speech_end', atMs: 2400 });
    expect(
      types(
        m.handle({
          type: 'user_transcript',
          text: 'we',
          final: true,
          atMs: 2650,
          overAgent: grammar('wait'),
        }),
      ),
    ).toEqual(['interrupt', 'state:listening']);
  });

  it('a "no" the grammar heard as other speech keeps the open model\'s stop word', () => {
    expect(overReply('no', '').final).toEqual(['interrupt', 'state:listening']);
  });

  it('without the grammar, a stop word in a short line over the reply still stops it, at the final', () => {
    const line = overReply('wait', undefined);
    expect(line.partial).toEqual([]);
    expect(line.final).toEqual(['interrupt', 'state:listening']);
  });

  it('a stop word in a partial of speech that goes on past the backchannel limit interrupts while it is said', () => {
    const m = audible();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    expect(m.handle({ type: 'user_transcript', text: 'no', final: false, atMs: 2200 })).toEqual([]);
    expect(types(m.handle({ type: 'tick', atMs: 2950 }))).toEqual(['interrupt', 'state:listening']);
  });

  it('a real sentence over the reply, other speech to the grammar (a backchannel that goes on too), stops it', () => {
    const line = overReply('okay can i add a coke', '', { partial: 'okay can i', endMs: 3400 });
    expect(line.final).toEqual(['interrupt', 'state:listening']);
    expect(line.m.pendingText).toBe('okay can i add a coke');
  });

  it('a partial stop word whose final never comes is still a barge-in, though a later partial lost it', () => {
    const m = audible();
    m.handle({ type: 'user_speech_start', atMs: 2000 });
    m.handle({ type: 'user_transcript', text: 'stop', final: false, atMs: 2200 });
    m.handle({ type: 'user_transcript', text: 'the', final: false, atMs: 2350 });
    m.handle({ type: 'user_speech_end', atMs: 2400 });
    expect(types(m.handle({ type: 'tick', atMs: 2000 + settings.falseInterruptionTimeoutMs }))).toEqual([
      'interrupt',
      'state:listening',
    ]);
  });
});
