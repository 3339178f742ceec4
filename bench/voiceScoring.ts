/**
 * How the voice benchmark scores what the caller's page heard. Pure functions over two timelines on the page clock
 * (performance.now()): the output level of the agent's received track (`LevelSample`, one per ~10 ms analyser read)
 * and packet arrivals. Kept apart from the browser driving so the rules can be tested on made-up timelines.
 *
 * - Audible: a level sample at or above `SPEECH_RMS` (about -40 dBFS). A sample stands for the analyser window that
 *   ends at its time, so an onset is reported at the read that first saw it, never earlier.
 * - Voice to voice: caller's end of speech -> first audible sample of the agent's new reply.
 * - Barge-in: valid only if the agent was audible within `SPEAKING_WINDOW_MS` before the caller started; stopped
 *   when the agent's audio goes quiet for `QUIET_MS`; a stop later than `BARGE_IN_LIMIT_MS` (or none) is a failure
 *   that stays in the percentiles at its measured time, at least the limit.
 */
import { percentile } from './voiceScenario.ts';

export interface LevelSample {
  t: number;
  /** RMS of the analyser window ending at `t`, full scale 1. */
  rms: number;
}

export const SPEECH_RMS = 0.01;
/** The agent counts as speaking at the caller's start if it was audible this shortly before. */
export const SPEAKING_WINDOW_MS = 300;
/**
 * Audio quiet this long means the agent stopped: longer than the silence between its sentences (flite pads each
 * sentence with ~130 ms after and ~310 ms before its speech, so ~450 ms), shorter than a false-interruption pause.
 */
export const QUIET_MS = 700;
export const BARGE_IN_LIMIT_MS = 2_000;

const audible = (s: LevelSample) => s.rms >= SPEECH_RMS;

/** True if the agent's audio was audible in the `SPEAKING_WINDOW_MS` up to `t`. */
export function audibleBefore(levels: readonly LevelSample[], t: number): boolean {
  return levels.some((s) => s.t <= t && s.t > t - SPEAKING_WINDOW_MS && audible(s));
}

/**
 * The first audible onset (an audible sample right after a quiet one, or the first sample) at or after `from`:
 * where a new reply becomes audible, and not the tail of audio already playing at `from`.
 */
export function firstAudibleOnset(levels: readonly LevelSample[], from: number): number | undefined {
  for (let i = 0; i < levels.length; i++) {
    const s = levels[i] as LevelSample;
    if (s.t < from || !audible(s)) continue;
    const prev = levels[i - 1];
    if (prev === undefined || !audible(prev)) return s.t;
  }
  return undefined;
}

export type BargeInOutcome =
  /** The agent was not audible when the caller started: nothing to stop, not a barge-in. */
  | { kind: 'agent_not_speaking' }
  | { kind: 'stopped'; stopMs: number }
  /** Still audible `BARGE_IN_LIMIT_MS` after the caller started; `stopMs` is when it did stop, if it did. */
  | { kind: 'failed'; stopMs: number };

/**
 * Scores one barge-in started at `startT`: when the agent's audio went quiet for `QUIET_MS`, measured to the last
 * audible sample before that quiet. `until` bounds the search (e.g. the agent's next reply), if known.
 */
export function scoreBargeIn(
  levels: readonly LevelSample[],
  startT: number,
  until = Number.POSITIVE_INFINITY,
): BargeInOutcome {
  if (!audibleBefore(levels, startT)) return { kind: 'agent_not_speaking' };
  let lastAudible = startT;
  for (const s of levels) {
    if (s.t <= startT) continue;
    if (s.t > until) break;
    if (audible(s)) lastAudible = s.t;
    else if (s.t - lastAudible >= QUIET_MS) {
      const stopMs = lastAudible - startT;
      return stopMs < BARGE_IN_LIMIT_MS ? { kind: 'stopped', stopMs } : { kind: 'failed', stopMs };
    }
  }
  return { kind: 'failed', stopMs: Math.max(BARGE_IN_LIMIT_MS, lastAudible - startT) };
}

export interface BargeInSummary {
  /** Barge-ins over an audibly speaking agent: the stopped and the failed. */
  n: number;
  p50: number;
  p95: number;
  /** Not stopped within the limit; counted in p50/p95 at their stop time (at least the limit). */
  failed: number;
  /** Started while the agent was silent: excluded from n and from the percentiles, reported here. */
  agent_not_speaking: number;
}

export function summarizeBargeIns(outcomes: readonly BargeInOutcome[]): BargeInSummary {
  const times = outcomes.flatMap((o) => (o.kind === 'agent_not_speaking' ? [] : [o.stopMs]));
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    n: times.length,
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    failed: outcomes.filter((o) => o.kind === 'failed').length,
    agent_not_speaking: outcomes.filter((o) => o.kind === 'agent_not_speaking').length,
  };
}

export type FalseInterruptionOutcome =
  | { kind: 'agent_not_speaking' }
  /** The agent paused (went quiet) for the sound and was audible again without a new reply. */
  | { kind: 'resumed'; pauseMs: number; resumeAfterMs: number }
  /** It went quiet and started a new reply instead: the sound was taken for a barge-in. */
  | { kind: 'taken_as_barge_in'; pauseMs: number }
  | { kind: 'paused_not_resumed'; pauseMs: number }
  | { kind: 'talked_through' };

/**
 * Scores a short sound (noise, an "um") over the agent from `startT` to `endT`: did the agent pause, and did its
 * reply come back before `until` (the caller's next turn)? A new reply starting at `newReplyAt` first means it took
 * the sound for a barge-in. `resumeAfterMs` counts from the end of the sound.
 */
export function scoreFalseInterruption(
  levels: readonly LevelSample[],
  startT: number,
  endT: number,
  until: number,
  newReplyAt = Number.POSITIVE_INFINITY,
): FalseInterruptionOutcome {
  const stop = scoreBargeIn(levels, startT, Math.min(until, newReplyAt));
  if (stop.kind === 'agent_not_speaking') return stop;
  if (stop.kind === 'failed') return { kind: 'talked_through' };
  const resumedAt = firstAudibleOnset(levels, startT + stop.stopMs + QUIET_MS);
  if (newReplyAt < until && (resumedAt === undefined || resumedAt >= newReplyAt))
    return { kind: 'taken_as_barge_in', pauseMs: stop.stopMs };
  if (resumedAt === undefined || resumedAt > until)
    return { kind: 'paused_not_resumed', pauseMs: stop.stopMs };
  return { kind: 'resumed', pauseMs: stop.stopMs, resumeAfterMs: resumedAt - endT };
}
