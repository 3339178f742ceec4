import { describe, expect, it } from 'vitest';
import {
  BARGE_IN_LIMIT_MS,
  firstAudibleOnset,
  type LevelSample,
  scoreBargeIn,
  scoreFalseInterruption,
  summarizeBargeIns,
} from '../../bench/voiceScoring.ts';

/** A level timeline sampled every 10 ms from 0 to `endMs`: audible inside the given [from, to) spans. */
function timeline(endMs: number, spans: Array<[number, number]>): LevelSample[] {
  const out: LevelSample[] = [];
  for (let t = 0; t <= endMs; t += 10)
    out.push({ t, rms: spans.some(([a, b]) => t >= a && t < b) ? 0.2 : 0.001 });
  return out;
}

describe('barge-in scoring', () => {
  it('never reports a barge-in as stopped when the agent was not audibly speaking as the caller started', () => {
    // the agent's reply ended at 900 ms; the caller starts at 1500 ms over silence
    const outcome = scoreBargeIn(timeline(5_000, [[0, 900]]), 1_500);
    expect(outcome.kind).toBe('agent_not_speaking');
    const summary = summarizeBargeIns([outcome]);
    expect(summary).toMatchObject({ n: 0, agent_not_speaking: 1, failed: 0 });
    expect(summary.p50).toBeNaN();
  });

  it('measures the stop from the caller start to the last audible sample before the agent went quiet', () => {
    expect(scoreBargeIn(timeline(5_000, [[0, 1_720]]), 1_500)).toEqual({ kind: 'stopped', stopMs: 210 });
  });

  it('fails a barge-in the agent talks through for 2 s and keeps it in the percentiles at 2 s or more', () => {
    const talkedThrough = scoreBargeIn(timeline(6_000, [[0, 6_000]]), 1_000);
    expect(talkedThrough.kind).toBe('failed');
    const lateStop = scoreBargeIn(timeline(6_000, [[0, 3_500]]), 1_000);
    expect(lateStop).toEqual({ kind: 'failed', stopMs: 2_490 });
    const summary = summarizeBargeIns([
      { kind: 'stopped', stopMs: 150 },
      talkedThrough,
      lateStop,
      { kind: 'agent_not_speaking' },
    ]);
    expect(summary).toMatchObject({ n: 3, failed: 2, agent_not_speaking: 1 });
    expect(summary.p50).toBeGreaterThanOrEqual(BARGE_IN_LIMIT_MS);
  });

  it("does not take the silence between the agent's sentences (about half a second) for a stop", () => {
    const outcome = scoreBargeIn(
      timeline(6_000, [
        [0, 1_600],
        [2_100, 4_000],
      ]),
      1_500,
    );
    expect(outcome).toEqual({ kind: 'failed', stopMs: 2_490 });
  });

  it('stops the search at the next reply so a new answer is not taken for the old one continuing', () => {
    // the agent is quiet for only 200 ms before its next reply at 2000 ms
    const outcome = scoreBargeIn(
      timeline(5_000, [
        [0, 1_800],
        [2_000, 5_000],
      ]),
      1_500,
      2_000,
    );
    expect(outcome.kind).toBe('failed');
  });
});

describe('answer onset', () => {
  it('skips audio already playing at the end of the caller speech and finds the next onset', () => {
    const levels = timeline(5_000, [
      [0, 1_200],
      [2_000, 3_000],
    ]);
    expect(firstAudibleOnset(levels, 1_000)).toBe(2_000);
    expect(firstAudibleOnset(levels, 3_500)).toBeUndefined();
  });
});

describe('false-interruption scoring', () => {
  it('tells a paused-then-resumed reply from one never resumed, one replaced by a new reply and one talked through', () => {
    const resumed = timeline(8_000, [
      [0, 1_150],
      [3_000, 6_000],
    ]);
    expect(scoreFalseInterruption(resumed, 1_000, 1_300, 7_000)).toEqual({
      kind: 'resumed',
      pauseMs: 140,
      resumeAfterMs: 1_700,
    });
    expect(scoreFalseInterruption(timeline(8_000, [[0, 1_150]]), 1_000, 1_300, 7_000)).toEqual({
      kind: 'paused_not_resumed',
      pauseMs: 140,
    });
    expect(scoreFalseInterruption(timeline(8_000, [[0, 8_000]]), 1_000, 1_300, 7_000).kind).toBe(
      'talked_through',
    );
    expect(scoreFalseInterruption(timeline(8_000, []), 1_000, 1_300, 7_000).kind).toBe('agent_not_speaking');
    // quiet, then a new reply (started at 2900) instead of the old one: the sound was taken for a barge-in
    expect(scoreFalseInterruption(resumed, 1_000, 1_300, 7_000, 2_900)).toEqual({
      kind: 'taken_as_barge_in',
      pauseMs: 140,
    });
  });
});
