import { describe, expect, it } from 'vitest';
import { TurnStateMachine } from '../../src/pipeline/TurnStateMachine.ts';
import { turnSettings, actionTypes as types } from './turnMachine.ts';

const settings = { ...turnSettings, minEndpointingDelayMs: 200, maxEndpointingDelayMs: 1000 };

/**
 * A listening machine whose caller spoke from 0 to 1000 ms; with `voiceEndMs`, the VAD heard the caller's own voice
 * over the room's until then (ticks as the speech goes on) and the room held the speech open to 1300 ms.
 */
function heard(text: string, voiceEndMs?: number) {
  const m = new TurnStateMachine(settings);
  m.handle({ type: 'user_speech_start', atMs: 0 });
  for (let at = 20; at < 1300; at += 20)
    m.handle({
      type: 'tick',
      atMs: at,
      ...(voiceEndMs !== undefined
        ? { foregroundStartMs: 0, foregroundEndMs: Math.min(at, voiceEndMs) }
        : {}),
    });
  m.handle({ type: 'user_speech_end', atMs: voiceEndMs === undefined ? 1000 : 1300 });
  const atFinal = m.handle({ type: 'user_transcript', text, final: true, atMs: 1590 });
  return { m, atFinal };
}

describe("TurnStateMachine: the room's voices after the caller's", () => {
  it("counts an unfinished sentence's wait from the caller's own voice, not the room's tail", () => {
    // voice end 1000 + its soft tail 150 + the longest wait 1000, where the VAD's end would give 2300
    const { m } = heard('two cokes and', 1000);
    expect(m.nextDeadlineMs).toBe(2150);
    expect(m.handle({ type: 'tick', atMs: 2149 })).toEqual([]);
    expect(types(m.handle({ type: 'tick', atMs: 2150 }))).toEqual(['commit_user_turn']);
  });

  it('waits as long in a quiet room, where no room held the speech and the VAD ended it with the voice', () => {
    const { m } = heard('two cokes and');
    expect(m.nextDeadlineMs).toBe(2000);
  });

  it("waits from the VAD's end when the speech went on long after the voice: the caller's own softer words", () => {
    // the voice's "end" 600 ms before the speech's: more than a room's tail
    expect(heard('two cokes and', 700).m.nextDeadlineMs).toBe(2300);
  });

  it("keeps the turn open through the caller's pause the room held: their next words join it", () => {
    const { m } = heard('two cokes and', 1000);
    m.handle({ type: 'user_speech_start', atMs: 1900 });
    expect(m.handle({ type: 'tick', atMs: 2200 })).toEqual([]);
    m.handle({ type: 'user_speech_end', atMs: 2600 });
    m.handle({ type: 'user_transcript', text: 'a salad', final: true, atMs: 2890 });
    expect(m.handle({ type: 'tick', atMs: 2900 })).toEqual([
      { type: 'commit_user_turn', text: 'two cokes and, a salad', speechEndAtMs: 2600, finalAtMs: 2890 },
    ]);
  });

  it('a finished answer ends with its final, which comes only after the VAD ended the speech', () => {
    expect(types(heard('thats all thanks', 1000).atFinal)).toEqual(['commit_user_turn']);
  });
});
