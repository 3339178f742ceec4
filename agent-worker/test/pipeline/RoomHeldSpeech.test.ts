import { describe, expect, it } from 'vitest';
import { RoomHeldSpeech } from '../../src/pipeline/RoomHeldSpeech.ts';

/** The longest a backchannel lasts (TurnStateMachine's limit over audible speech with the default settings). */
const LIMIT_MS = 900;
const grammar = (phrase: string) => ({ overAgent: { phrase, confidence: 1 } });

/**
 * Speech over the agent's audible reply from 2000 to 3200 ms; the VAD found the caller's own voice at 2200-2550
 * (the room's voices around it) or, `alone`, found the speech theirs from its start.
 */
function speech({ alone = false, overAudio = true } = {}) {
  const s = new RoomHeldSpeech();
  s.started(2000, overAudio);
  s.voice.foreground(2200, alone ? undefined : 2550);
  return s;
}

describe('RoomHeldSpeech', () => {
  it("takes the room's words around a caller voice as short as a backchannel for a backchannel", () => {
    const s = speech();
    s.judge({ text: 'could i', final: false }, 2700, LIMIT_MS);
    expect(
      s.judge({ text: 'could i have one', final: true, alternatives: ['add one'] }, 3200, LIMIT_MS),
    ).toBe('speech');
    expect(s.backchannel(3200, LIMIT_MS)).toBe(true);
  });

  it.each([
    ['a partial', { text: 'no', final: false }],
    ["the final's best hypothesis", { text: 'wait please', final: true }],
    [
      "only the final's other hypotheses",
      { text: 'please do', final: true, alternatives: ['er', 'no wait'] },
    ],
  ])(
    'takes a short caller voice in the room with a stop word heard in %s for no backchannel',
    (_where, heard) => {
      const s = speech();
      s.judge({ text: 'er', final: false }, 2600, LIMIT_MS);
      s.judge(heard, 3200, LIMIT_MS);
      expect(s.backchannel(3200, LIMIT_MS)).toBe(false);
    },
  );

  it("takes a stop word only among the final's other hypotheses for the room's where the grammar heard a stop request too", () => {
    const s = speech();
    s.judge({ text: 'could i', final: false }, 2700, LIMIT_MS);
    const final = { text: 'could i have one', final: true, alternatives: ['hang on'], ...grammar('hang on') };
    expect(s.judge(final, 3200, LIMIT_MS)).toBe('speech');
    expect(s.backchannel(3200, LIMIT_MS)).toBe(true);
  });

  it("takes no speech for the room's backchannel when the caller's voice was long or not over audible speech", () => {
    const long = new RoomHeldSpeech();
    long.started(2000, true);
    long.voice.foreground(2200, 3150);
    expect(long.backchannel(3200, LIMIT_MS)).toBe(false);
    const overSilence = speech({ overAudio: false });
    expect(overSilence.shortVoice(3200, LIMIT_MS)).toBe(false);
    expect(overSilence.backchannel(3200, LIMIT_MS)).toBe(false);
  });

  it("takes the grammar's stop over the open model's other words in the caller's voice alone, not in the room's", () => {
    expect(
      speech({ alone: true }).judge({ text: 'we', final: true, ...grammar('wait') }, 2600, LIMIT_MS),
    ).toBe('stop');
    expect(speech().judge({ text: 'could i', final: true, ...grammar('hang on') }, 3200, LIMIT_MS)).toBe(
      'speech',
    );
  });

  it("takes the grammar's stop with a stop word only in the other hypotheses, unless the room held a short voice open", () => {
    const final = { text: 'could i', final: true, alternatives: ['hang on'], ...grammar('hang on') };
    expect(speech().judge(final, 3200, LIMIT_MS)).toBe('speech');
    const long = new RoomHeldSpeech();
    long.started(2000, true);
    long.voice.foreground(2200, 3150);
    expect(long.judge(final, 3200, LIMIT_MS)).toBe('stop');
  });

  it("takes a final of other words after a partial's deferred bare stop for that stop, and forgets both in a new speech", () => {
    const s = speech();
    s.judge({ text: 'no', final: false }, 2600, LIMIT_MS);
    s.stops.defer();
    expect(s.judge({ text: 'eight one oh', final: true }, 3200, LIMIT_MS)).toBe('stop');
    s.started(5000, true);
    expect(s.judge({ text: 'eight one oh', final: true }, 5400, LIMIT_MS)).toBe('speech');
    expect(s.stops.anywhere).toBe(false);
  });
});
