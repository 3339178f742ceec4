import { percentile } from './voiceScenario.ts';

export const round = (ms: number): number => Math.round(ms * 10) / 10;

/** p50, p95, min, max and mean of a bench's samples (ms), rounded to 0.1. */
export function spread(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    min: round(sorted[0] ?? Number.NaN),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(samples.reduce((sum, ms) => sum + ms, 0) / samples.length),
  };
}
