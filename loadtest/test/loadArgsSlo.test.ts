import { describe, expect, it } from 'vitest';
import { ArgumentError, parseCapacityParts, parseMediaLoadArgs } from '../media/args.ts';
import { AGENT_SLO, agentStepViolation, lastStepHolding, sfuStepViolation } from '../media/slo.ts';

describe('media load arguments', () => {
  it('reads callers, duration, ramp and mode, with defaults for the rest', () => {
    expect(
      parseMediaLoadArgs(['--callers', '20', '--duration', '60', '--ramp', '10', '--mode', 'agent']),
    ).toEqual({
      mode: 'agent',
      callers: 20,
      duration: 60,
      ramp: 10,
      listeners: 10,
      perPage: 8,
    });
  });

  it('requires --callers and --duration and says the usage', () => {
    expect(() => parseMediaLoadArgs(['--duration', '10'])).toThrow(/--callers is required.*usage: npm run/);
    expect(() => parseMediaLoadArgs(['--callers', '3'])).toThrow(/--duration is required/);
  });

  it('refuses a non-integer or out-of-range count, naming the flag and the range', () => {
    expect(() => parseMediaLoadArgs(['--callers', '2.5', '--duration', '10'])).toThrow(
      /--callers must be a whole number from 1 to 2000, got "2.5"/,
    );
    expect(() => parseMediaLoadArgs(['--callers', '0', '--duration', '10'])).toThrow(ArgumentError);
  });

  it('refuses an unknown mode and an unknown flag', () => {
    expect(() => parseMediaLoadArgs(['--callers', '1', '--duration', '10', '--mode', 'video'])).toThrow(
      /--mode must be agent or sfu, got "video"/,
    );
    expect(() => parseMediaLoadArgs(['--callers', '1', '--duration', '10', '--bots', '3'])).toThrow(
      /Unknown option '--bots'.*usage/,
    );
  });

  it('refuses an sfu ramp longer than the measurement', () => {
    expect(() =>
      parseMediaLoadArgs(['--mode', 'sfu', '--callers', '5', '--duration', '10', '--ramp', '20']),
    ).toThrow(/--ramp \(20 s\) must not exceed --duration \(10 s\)/);
  });
});

describe('capacity parts', () => {
  it('runs both parts by default, one with --only, and CAPACITY_PARTS when --only is absent', () => {
    expect(parseCapacityParts([], undefined)).toEqual(['agent', 'sfu']);
    expect(parseCapacityParts(['--only', 'sfu'], 'agent')).toEqual(['sfu']);
    expect(parseCapacityParts([], 'agent')).toEqual(['agent']);
  });

  it('refuses an unknown part or flag, saying the usage', () => {
    expect(() => parseCapacityParts(['--only', 'video'], undefined)).toThrow(
      /unknown capacity part "video": agent or sfu; usage: npm run bench:capacity/,
    );
    expect(() => parseCapacityParts(['--steps', '3'], undefined)).toThrow(ArgumentError);
  });
});

describe('SFU step violation', () => {
  const sfuStep = (effective_loss: number, mediasoup_worker: number) => ({
    effective_loss,
    cpu: { mediasoup_worker },
  });

  it('holds under 0.5% loss with the worker below a saturated core, and says why a step broke', () => {
    expect(sfuStepViolation(sfuStep(0.0049, 80))).toBeNull();
    expect(sfuStepViolation(sfuStep(0.005, 40))).toBe('loss 0.005 >= 0.005');
    expect(sfuStepViolation(sfuStep(0, 97.5))).toBe('mediasoup worker at 97.5% of a core (saturated)');
  });
});

describe('SLO step selection', () => {
  const step = (calls: number, p95: number | null, answered = 1) => ({
    calls,
    v2v_ms: { p50: p95, p95 },
    answered,
  });

  it('holds at or under 800 ms p95 with 99% answered, and says why a step broke', () => {
    expect(agentStepViolation(step(4, 800))).toBeNull();
    expect(agentStepViolation(step(4, 801))).toBe('v2v p95 801 ms > 800 ms');
    expect(agentStepViolation(step(4, 500, 0.98))).toBe('answered 0.98 < 0.99');
    expect(agentStepViolation(step(4, null))).toBe('no turn was answered');
    expect(AGENT_SLO).toEqual({ v2v_p95_ms: 800, answered: 0.99 });
  });

  it('reports the last step that held before the first one that broke, ignoring a later recovery', () => {
    const steps = [step(2, 500), step(4, 700), step(8, 900), step(12, 600)];
    const holds = (s: ReturnType<typeof step>) => agentStepViolation(s) === null;
    expect(lastStepHolding(steps, (s) => s.calls, holds)).toBe(4);
  });

  it('is 0 when the first step already broke, and the last step when none broke', () => {
    const holds = (s: ReturnType<typeof step>) => agentStepViolation(s) === null;
    expect(lastStepHolding([step(2, 2_000)], (s) => s.calls, holds)).toBe(0);
    expect(lastStepHolding([step(2, 100), step(4, 200)], (s) => s.calls, holds)).toBe(4);
  });
});
