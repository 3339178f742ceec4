/**
 * bench:endpoint's results: per noise condition and per what the agent asked for, the share of caller lines whose
 * turn ended in one of their pauses (cut), and how long after the real end of the speech the turn ended on the lines
 * that were not cut (p50 / p95), and how many of those waited as for an unfinished sentence; per question, the
 * lines that say a phone number and how many of them the recogniser's finals (one per VAD segment, joined as the
 * turn's text) hold it digit for digit. Pure.
 */
import { findPhone, phoneDigits, tokenize } from '@voiceroom/agent-core/nlu';
import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { percentile } from '../voiceScenario.ts';
import type { LineTurns, TurnEnd } from './CallTurns.ts';

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

/** p50 and p95 of `values`, rounded (null when there are none). */
function spread(values: number[]) {
  const pct = (p: number) => (values.length === 0 ? null : Math.round(percentile(values, p)));
  return { p50: pct(50), p95: pct(95) };
}

/**
 * Where the end of turn of the lines not cut went: the VAD's end of speech after the real end (its lag), the final
 * after the VAD's end (the VAD's hangover and the decode), and the endpointing's wait after the final.
 */
function stages(ends: readonly TurnEnd[]) {
  return {
    vad_lag_ms: spread(ends.map((e) => e.vadEndAfterSpeechMs)),
    final_after_vad_ms: spread(ends.map((e) => e.finalAfterSpeechMs - e.vadEndAfterSpeechMs)),
    wait_after_final_ms: spread(ends.map((e) => e.afterSpeechMs - e.finalAfterSpeechMs)),
  };
}

function aggregate(lines: readonly LineRecord[]) {
  const whole = lines.filter((l) => !cut(l) && l.ends.length > 0);
  const ends = whole.map((l) => l.ends.at(-1) as TurnEnd);
  const judged = (j: TurnEnd['judged']) => ends.filter((e) => e.judged === j).length;
  return {
    lines: lines.length,
    cut: lines.filter(cut).length,
    cut_rate: lines.length === 0 ? null : round(lines.filter(cut).length / lines.length),
    end_after_speech_ms: { ...spread(ends.map((e) => e.afterSpeechMs)), n: ends.length },
    end_stages: stages(ends),
    waited_unfinished: judged('incomplete'),
    judged_complete: judged('complete'),
  };
}

function groupBy<T>(
  lines: readonly LineRecord[],
  by: (l: LineRecord) => string,
  summary: (of: readonly LineRecord[]) => T,
) {
  const keys = [...new Set(lines.map(by))];
  return Object.fromEntries(keys.map((k) => [k, summary(lines.filter((l) => by(l) === k))]));
}

/** The ten or eleven digits a line says ("my number is 4 1 5, 5 5 5, 0 1 4 2"), if it says a number. */
function numberSaid(line: LineRecord): string | undefined {
  return /\d(?:[ ,]+\d){9,10}/.exec(line.said.join(' '))?.[0].replace(/\D/g, '');
}

/**
 * The number the line's finals hold, joined as the pipeline joins a turn's finals (PendingTurn), found as the NLU
 * finds it.
 */
function numberHeard(line: LineRecord): string {
  const text = line.finals.map((f) => f.text.trim()).join(', ');
  return phoneDigits(findPhone(tokenize(text).map((t) => t.norm))?.value);
}

/** Of lines that say a number, how many the recogniser heard digit for digit. */
function phonesHeard(lines: readonly LineRecord[]) {
  return { lines: lines.length, heard_right: lines.filter((l) => numberHeard(l) === numberSaid(l)).length };
}

export function summarizeLines(lines: readonly LineRecord[]) {
  return {
    ...aggregate(lines),
    phones_by_expecting: groupBy(
      lines.filter((l) => numberSaid(l) !== undefined),
      (l) => l.expecting,
      phonesHeard,
    ),
    by_snr: groupBy(lines, (l) => l.noise, aggregate),
    by_expecting: groupBy(lines, (l) => l.expecting, aggregate),
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
