import type { SignalingLoadResult } from './SignalingLoadStats.ts';

/** Pass/fail limits of a signaling load run (k6-style thresholds). */
export interface SignalingThresholds {
  /** p95 of every signaling method's ack latency. */
  ack_p95_ms: number;
  /** p95 of every HTTP route's latency. */
  http_p95_ms: number;
  /** Unexpected errors / requests. */
  max_error_rate: number;
  /** At least this many complete sessions (join, transports, produce, leave). */
  min_sessions: number;
}

export const DEFAULT_THRESHOLDS: SignalingThresholds = {
  ack_p95_ms: 250,
  http_p95_ms: 500,
  max_error_rate: 0.01,
  min_sessions: 1,
};

/** The thresholds a run broke, each as a sentence; empty when it passed. */
export function brokenThresholds(result: SignalingLoadResult, limits: SignalingThresholds): string[] {
  const broken: string[] = [];
  for (const [method, summary] of Object.entries(result.ack_ms)) {
    if (summary && summary.p95 > limits.ack_p95_ms)
      broken.push(`ack p95 of ${method} is ${summary.p95} ms (limit ${limits.ack_p95_ms} ms)`);
  }
  for (const [route, summary] of Object.entries(result.http_ms)) {
    if (summary && summary.p95 > limits.http_p95_ms)
      broken.push(`p95 of ${route} is ${summary.p95} ms (limit ${limits.http_p95_ms} ms)`);
  }
  if (result.error_rate > limits.max_error_rate)
    broken.push(`error rate ${result.error_rate} above ${limits.max_error_rate}`);
  if (result.hostile.unanswered > 0)
    broken.push(`${result.hostile.unanswered} hostile message(s) got no coded refusal`);
  if (result.sessions.completed < limits.min_sessions)
    broken.push(`${result.sessions.completed} complete session(s), fewer than ${limits.min_sessions}`);
  return broken;
}
