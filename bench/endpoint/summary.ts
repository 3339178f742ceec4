/**
 * bench:endpoint's results: per noise condition and per what the agent asked for, the share of caller lines whose
 * turn ended in one of their pauses (cut), and how long after the real end of the speech the turn ended on the lines
 * that were not cut (p50 / p95), and how many of those waited as for an unfinished sentence. Pure.
 */
import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { percentile } from '../voiceScenario.ts';
import type { LineTurns } from './CallTurns.ts';

export interface LineRecord extends LineTurns {
  call: number;
  voice: string;
  noise: string;
  expecting: SttExpectation;
  said: readonly string[];
  pausesMs: readonly number[];
}

const cut = (l: LineRecord) => l.ends.some((e) => e.afterSpeechMs < 0);
const round = (n: number) => Math.round(n * 1000) / 1000;

function aggregate(lines: readonly LineRecord[]) {
  const whole = lines.filter((l) => !cut(l) && l.ends.length > 0);
  const after = whole.map((l) => l.ends.at(-1)?.afterSpeechMs ?? 0);
  const pct = (p: number) => (after.length === 0 ? null : Math.round(percentile(after, p)));
  return {
    lines: lines.length,
    cut: lines.filter(cut).length,
    cut_rate: lines.length === 0 ? null : round(lines.filter(cut).length / lines.length),
    end_after_speech_ms: { p50: pct(50), p95: pct(95), n: after.length },
    waited_unfinished: whole.filter((l) => l.ends.at(-1)?.judged === 'incomplete').length,
  };
}

function groupBy(lines: readonly LineRecord[], by: (l: LineRecord) => string) {
  const keys = [...new Set(lines.map(by))];
  return Object.fromEntries(keys.map((k) => [k, aggregate(lines.filter((l) => by(l) === k))]));
}

export function summarizeLines(lines: readonly LineRecord[]) {
  return {
    ...aggregate(lines),
    by_snr: groupBy(lines, (l) => l.noise),
    by_expecting: groupBy(lines, (l) => l.expecting),
    cuts: lines.filter(cut).map((l) => ({
      call: l.call,
      noise: l.noise,
      expecting: l.expecting,
      said: l.said.join(' … '),
      pauses_ms: l.pausesMs,
      ends: l.ends,
    })),
    per_line: lines,
  };
}
