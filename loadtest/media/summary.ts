/** Pure maths of the load tools: percentiles, summaries, packet loss from getStats deltas, CPU shares. */

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Nearest-rank percentile (p in 0..100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** n, min, p50, p95, p99, max and mean, rounded to 0.1; null when there are no values (JSON has no NaN). */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    n: values.length,
    min: round1(Math.min(...values)),
    p50: round1(percentile(values, 50)),
    p95: round1(percentile(values, 95)),
    p99: round1(percentile(values, 99)),
    max: round1(Math.max(...values)),
    mean: round1(mean),
  };
}

/** Cumulative receive counters of one RTP stream as getStats reports them (inbound-rtp). */
export interface ReceiveCounters {
  packetsReceived: number;
  packetsLost: number;
}

/**
 * Loss over an interval from two getStats snapshots: lost / (received + lost) of the deltas. packetsLost can go
 * down (late packets recovered, duplicates), so a negative loss delta counts as zero; an interval with nothing
 * expected has no loss (0), not NaN.
 */
export function lossBetween(before: ReceiveCounters, after: ReceiveCounters): number {
  const received = Math.max(0, after.packetsReceived - before.packetsReceived);
  const lost = Math.max(0, after.packetsLost - before.packetsLost);
  return received + lost === 0 ? 0 : lost / (received + lost);
}

/** Loss of a whole population: the sum of lost over the sum of expected (not the mean of per-stream ratios). */
export function pooledLoss(streams: readonly { received: number; lost: number }[]): number {
  let received = 0;
  let lost = 0;
  for (const s of streams) {
    received += s.received;
    lost += Math.max(0, s.lost);
  }
  return received + lost === 0 ? 0 : lost / (received + lost);
}

/** Extends a 16-bit sequence number against the previous extended one (handles wrap-around and reordering). */
export function extendSequence(previousExtended: number | undefined, seq: number): number {
  if (previousExtended === undefined) return seq;
  const cycles = Math.floor(previousExtended / 65_536);
  const candidates = [cycles - 1, cycles, cycles + 1].map((c) => c * 65_536 + seq);
  let best = candidates[1] as number;
  for (const c of candidates)
    if (Math.abs(c - previousExtended) < Math.abs(best - previousExtended)) best = c;
  return best;
}

/** Share of one core used between two CPU-time readings (seconds) over `wallSeconds`, as a percentage. */
export function cpuPercent(cpuSecondsBefore: number, cpuSecondsAfter: number, wallSeconds: number): number {
  if (wallSeconds <= 0) return 0;
  return round1(((cpuSecondsAfter - cpuSecondsBefore) / wallSeconds) * 100);
}

/**
 * Memory drift in MB per 100 calls: the least-squares slope of RSS over calls completed, times 100. Needs two
 * distinct call counts; null otherwise.
 */
export function driftPer100Calls(samples: readonly { calls: number; mb: number }[]): number | null {
  const points = samples.filter((s) => Number.isFinite(s.mb));
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((a, s) => a + s.calls, 0) / n;
  const meanY = points.reduce((a, s) => a + s.mb, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const s of points) {
    sxx += (s.calls - meanX) ** 2;
    sxy += (s.calls - meanX) * (s.mb - meanY);
  }
  return sxx === 0 ? null : round1((sxy / sxx) * 100);
}

/**
 * Drift of the RSS floor in MB per 100 calls: the lowest RSS in the last third of the samples minus the lowest in
 * the first third, over the calls between them. A garbage-collected heap's RSS is a sawtooth, which a slope over a
 * short run follows; the floor after collections is what a leak raises. Null without calls between the thirds.
 */
export function floorDriftPer100Calls(samples: readonly { calls: number; mb: number }[]): number | null {
  const points = samples.filter((s) => Number.isFinite(s.mb));
  const third = Math.floor(points.length / 3);
  if (third === 0) return null;
  const lowest = (part: typeof points) => part.reduce((a, b) => (b.mb < a.mb ? b : a));
  const first = lowest(points.slice(0, third));
  const last = lowest(points.slice(-third));
  return last.calls === first.calls
    ? null
    : round1(((last.mb - first.mb) / (last.calls - first.calls)) * 100);
}
