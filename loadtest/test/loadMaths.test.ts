import { describe, expect, it } from 'vitest';
import { parseProcStat } from '../media/procStats.ts';
import { windowCounts } from '../media/RtpSink.ts';
import {
  cpuPercent,
  driftPer100Calls,
  extendSequence,
  floorDriftPer100Calls,
  lossBetween,
  percentile,
  pooledLoss,
  summarize,
} from '../media/summary.ts';

describe('percentile and summary', () => {
  it('takes the nearest rank, whatever the input order', () => {
    const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile(values, 0)).toBe(10);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN for no values, and the summary of nothing is null (JSON has no NaN)', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(summarize([])).toBeNull();
  });

  it('summarizes count, extremes, percentiles and mean rounded to 0.1', () => {
    expect(summarize([1, 2, 3, 4.04])).toEqual({ n: 4, min: 1, p50: 2, p95: 4, p99: 4, max: 4, mean: 2.5 });
  });
});

describe('loss from getStats deltas', () => {
  it('is lost over expected between two snapshots', () => {
    expect(
      lossBetween({ packetsReceived: 1_000, packetsLost: 10 }, { packetsReceived: 1_990, packetsLost: 20 }),
    ).toBeCloseTo(10 / 1_000);
  });

  it('counts a falling packetsLost (late packets recovered) as no loss, not negative loss', () => {
    expect(
      lossBetween({ packetsReceived: 100, packetsLost: 5 }, { packetsReceived: 200, packetsLost: 3 }),
    ).toBe(0);
  });

  it('is zero, not NaN, over an interval where nothing was expected', () => {
    expect(
      lossBetween({ packetsReceived: 100, packetsLost: 1 }, { packetsReceived: 100, packetsLost: 1 }),
    ).toBe(0);
  });

  it('pools streams by packets, so a tiny stream with loss does not dominate', () => {
    const loss = pooledLoss([
      { received: 9_990, lost: 10 },
      { received: 1, lost: 1 },
    ]);
    expect(loss).toBeCloseTo(11 / 10_002);
    expect(loss).toBeLessThan(0.005);
  });
});

describe('RTP sequence extension', () => {
  it('counts across the 16-bit wrap', () => {
    let ext = extendSequence(undefined, 65_534);
    ext = extendSequence(ext, 65_535);
    ext = extendSequence(ext, 0);
    ext = extendSequence(ext, 1);
    expect(ext).toBe(65_537);
  });

  it('places a reordered packet from before the wrap in the previous cycle', () => {
    const afterWrap = extendSequence(65_535, 2);
    expect(extendSequence(afterWrap, 65_535)).toBe(65_535);
  });
});

describe('CPU from /proc', () => {
  it('reads utime + stime after a command name with spaces and parentheses', () => {
    const line =
      '4242 (mediasoup-worker (x) y) S 4000 4242 4000 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 5 0 100 0 0';
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'mediasoup-worker (x) y',
      ppid: 4000,
      cpuSeconds: 3,
    });
  });

  it('turns CPU seconds over wall seconds into percent of one core', () => {
    expect(cpuPercent(10, 13, 6)).toBe(50);
    expect(cpuPercent(10, 13, 0)).toBe(0);
  });
});

describe('listener loss over a window', () => {
  it('counts the sequence numbers expected after the window opened that never arrived', () => {
    const before = { received: 100, firstSeq: 0, highestSeq: 99 };
    const after = { received: 195, firstSeq: 0, highestSeq: 199 };
    expect(windowCounts(before, after)).toEqual({ received: 95, lost: 5 });
  });

  it('starts from the first packet when the window opened before any arrived, and is empty when none did', () => {
    const empty = { received: 0, firstSeq: undefined, highestSeq: undefined };
    expect(windowCounts(empty, { received: 10, firstSeq: 50, highestSeq: 59 })).toEqual({
      received: 10,
      lost: 0,
    });
    expect(windowCounts(empty, empty)).toEqual({ received: 0, lost: 0 });
  });
});

describe('memory drift per 100 calls', () => {
  it('is the least-squares slope of RSS over calls, per 100 calls', () => {
    const samples = [0, 50, 100, 150, 200].map((calls) => ({
      calls,
      mb: 200 + calls * 0.02 + (calls === 100 ? 1 : 0),
    }));
    expect(driftPer100Calls(samples)).toBe(2);
  });

  it('is null without two distinct call counts, and ignores samples of a process that was gone', () => {
    expect(driftPer100Calls([{ calls: 10, mb: 100 }])).toBeNull();
    expect(
      driftPer100Calls([
        { calls: 10, mb: 100 },
        { calls: 10, mb: 120 },
      ]),
    ).toBeNull();
    expect(
      driftPer100Calls([
        { calls: 0, mb: 100 },
        { calls: 100, mb: Number.NaN },
        { calls: 200, mb: 104 },
      ]),
    ).toBe(2);
  });
});

describe('RSS floor drift per 100 calls', () => {
  it('ignores a collection that drops RSS mid-run when the floor does not move', () => {
    const sawtooth = [200, 210, 220, 200, 210, 220, 200, 210, 220].map((mb, i) => ({ calls: i * 10, mb }));
    expect(floorDriftPer100Calls(sawtooth)).toBe(0);
    expect(driftPer100Calls(sawtooth)).not.toBe(0);
  });

  it('rises with a floor that rises (a leak)', () => {
    const leak = [100, 110, 101, 111, 102, 112].map((mb, i) => ({ calls: i * 50, mb }));
    expect(floorDriftPer100Calls(leak)).toBe(1);
  });

  it('is null with fewer than three samples', () => {
    expect(
      floorDriftPer100Calls([
        { calls: 0, mb: 1 },
        { calls: 10, mb: 2 },
      ]),
    ).toBeNull();
  });
});
