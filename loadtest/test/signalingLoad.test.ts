import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../media/stack.ts';
import { runSignalingLoad } from '../signaling/runSignalingLoad.ts';
import type { SignalingLoadResult } from '../signaling/SignalingLoadStats.ts';
import { seedStaffAccount } from '../signaling/staffAccount.ts';
import { brokenThresholds, DEFAULT_THRESHOLDS } from '../signaling/thresholds.ts';

const summary = (p95: number) => ({ n: 10, min: 1, p50: p95 / 2, p95, p99: p95, max: p95, mean: p95 / 2 });

function result(overrides: Partial<SignalingLoadResult> = {}): SignalingLoadResult {
  return {
    clients: 2,
    duration_s: 5,
    sessions: { completed: 4, failed: 0 },
    requests: 100,
    unexpected_errors: 0,
    error_rate: 0,
    hostile: { sent: 8, refused_with_code: 8, unanswered: 0 },
    ack_ms: { join: summary(40) },
    http_ms: { 'POST /api/calls': summary(80) },
    error_samples: [],
    ...overrides,
  };
}

describe('signaling load thresholds', () => {
  it('pass a run within every limit', () => {
    expect(brokenThresholds(result(), DEFAULT_THRESHOLDS)).toEqual([]);
  });

  it('break on a slow ack, a slow route, errors, an unanswered hostile message and no complete session', () => {
    const broken = brokenThresholds(
      result({
        ack_ms: { produce: summary(900) },
        http_ms: { 'POST /api/auth/login': summary(4000) },
        error_rate: 0.05,
        hostile: { sent: 8, refused_with_code: 7, unanswered: 1 },
        sessions: { completed: 0, failed: 3 },
      }),
      DEFAULT_THRESHOLDS,
    );
    expect(broken).toEqual([
      expect.stringContaining('ack p95 of produce'),
      expect.stringContaining('POST /api/auth/login'),
      expect.stringContaining('error rate 0.05'),
      expect.stringContaining('1 hostile message'),
      expect.stringContaining('0 complete session'),
    ]);
  });
});

describe('signaling load against a real server (short bounded form of npm run loadtest:signaling)', () => {
  let stack: Stack;
  let staff: { email: string; password: string };
  beforeAll(async () => {
    stack = await startStack({ agentCapacity: 0, noAgent: true });
    staff = await seedStaffAccount(stack.dbName as string);
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('completes sessions, refuses every hostile message with a code and stays under loose thresholds', async () => {
    const run = await runSignalingLoad({
      baseUrl: stack.baseUrl,
      clients: 3,
      staff: 1,
      durationS: 6,
      hostilePerSession: 4,
      staffCredentials: staff,
    });
    expect(run.error_samples).toEqual([]);
    expect(run.sessions.completed).toBeGreaterThanOrEqual(3);
    expect(run.hostile.sent).toBeGreaterThan(0);
    expect(run.hostile.refused_with_code).toBe(run.hostile.sent);
    expect(Object.keys(run.ack_ms)).toEqual(
      expect.arrayContaining(['join', 'createWebRtcTransport', 'produce', 'leave']),
    );
    expect(Object.keys(run.http_ms)).toEqual(
      expect.arrayContaining(['POST /api/calls', 'POST /api/auth/login', 'POST /api/auth/refresh']),
    );
    // Loose enough for a loaded 2-core CI machine, tight enough to catch a stalled event loop or a hung handler.
    expect(
      brokenThresholds(run, { ack_p95_ms: 3_000, http_p95_ms: 6_000, max_error_rate: 0, min_sessions: 3 }),
    ).toEqual([]);
  }, 60_000);
});
