/**
 * Figures per caller voice and over all of them, for the benchmarks that speak their lines in every local voice
 * (bench:asr, bench:extraction:asr). Pure functions, so the rules can be tested without synthesizing anything.
 */
import { wordErrorRate } from '../agent-worker/src/stages/stt/wordErrorRate.ts';
import { percentile } from './voiceScenario.ts';

export interface Recognised {
  reference: string;
  hypothesis: string;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/**
 * Word error rate per voice, and over all of them pooled (total errors over total reference words, so a voice with
 * more words weighs more), with the worst voice named: a headline that a single good voice cannot carry.
 */
export function werByVoice(byVoice: ReadonlyMap<string, readonly Recognised[]>): {
  wer: number;
  worst_voice: { voice: string; wer: number } | null;
  per_voice: Record<string, number>;
} {
  const perVoice = Object.fromEntries(
    [...byVoice].map(([voice, pairs]) => [voice, round(wordErrorRate(pairs))]),
  );
  const worst = Object.entries(perVoice).reduce<[string, number] | undefined>(
    (w, entry) => (w === undefined || entry[1] > w[1] ? entry : w),
    undefined,
  );
  return {
    wer: round(wordErrorRate([...byVoice.values()].flat())),
    worst_voice: worst ? { voice: worst[0], wer: worst[1] } : null,
    per_voice: perVoice,
  };
}

/**
 * Final latency (endUtterance -> final) of several calls, one list per call in the order said: a call's first
 * utterance (decoded twice on a cold stream) apart from its later ones.
 */
export function finalLatency(calls: readonly (readonly number[])[]): {
  calls: number;
  first_utterance_p50: number;
  first_utterance_max: number;
  later_n: number;
  later_p50: number;
  later_p95: number;
  later_max: number;
} {
  const first = calls.flatMap((c) => c.slice(0, 1));
  const later = calls.flatMap((c) => c.slice(1));
  return {
    calls: calls.length,
    first_utterance_p50: round(percentile(first, 50), 1),
    first_utterance_max: round(Math.max(...first), 1),
    later_n: later.length,
    later_p50: round(percentile(later, 50), 1),
    later_p95: round(percentile(later, 95), 1),
    later_max: round(Math.max(...later), 1),
  };
}

/**
 * The voices that speak item `index` when each item is spoken by `perItem` of `voices`: consecutive voices from
 * `index * perItem` on, so over `voices.length` items every voice speaks equally often and each item hears
 * `perItem` different voices (all of them when `perItem` >= the number of voices).
 */
export function rotation<T>(index: number, voices: readonly T[], perItem: number): T[] {
  if (voices.length === 0) throw new Error('no caller voices: install flite or espeak-ng');
  const n = Math.min(Math.max(1, Math.floor(perItem)), voices.length);
  return Array.from({ length: n }, (_, k) => voices[(index * n + k) % voices.length] as T);
}
