import { describe, expect, it } from 'vitest';
import { OwedReply } from '../../src/pipeline/OwedReply.ts';

const owed = () => new OwedReply({ repromptAfterMs: 1500, noInputRepromptMs: 6000 });

describe('OwedReply', () => {
  it('owes a word repromptAfterMs after caller speech, until the agent is heard', () => {
    const o = owed();
    o.callerSpoke(1000);
    expect(o.deadlineMs(false)).toBe(2500);
    expect(o.reprompted()).toBe('speech_unanswered');
    o.callerSpoke(3000);
    o.agentAudioStarted();
    expect(o.deadlineMs(false)).toBeUndefined();
  });

  it('waits for a final that is due, up to 5 s late', () => {
    const o = owed();
    o.callerSpoke(1000);
    expect(o.deadlineMs(true)).toBe(7500);
  });

  it('owes an answer to a question noInputRepromptMs after it ended, twice in a row at most', () => {
    const o = owed();
    for (let n = 0; n < 2; n++) {
      o.agentTurnStarted();
      o.agentTurnEnded(10_000 * n, true);
      expect(o.deadlineMs(false)).toBe(10_000 * n + 6000);
      expect(o.reprompted()).toBe('no_input');
    }
    o.agentTurnEnded(30_000, true);
    expect(o.deadlineMs(false)).toBeUndefined();
    // the caller speaking starts the count again
    o.callerStarted();
    o.agentTurnEnded(40_000, true);
    expect(o.deadlineMs(false)).toBe(46_000);
  });

  it('a reply, not speech that came to nothing, ends the wait for an answer', () => {
    const o = owed();
    o.agentTurnEnded(0, true);
    o.callerStarted();
    expect(o.deadlineMs(false)).toBe(6000);
    o.agentTurnStarted();
    expect(o.deadlineMs(false)).toBeUndefined();
  });

  it('a turn that asked nothing is owed nothing', () => {
    const o = owed();
    o.agentTurnEnded(0, false);
    expect(o.deadlineMs(false)).toBeUndefined();
  });
});
