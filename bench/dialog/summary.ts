/**
 * bench:dialog's results: task success, field accuracy and items F1 scored with bench:robustness's own functions
 * (score.ts), here on the state the dialog holds at the end rather than on the stored extraction. Pure.
 */
import { type CallRecord, fieldAccuracy, itemsF1, taskSucceeded } from '../robustness/score.ts';
import type { DialogCallRecord, DialogOutcome } from './dialogCall.ts';

const OUTCOMES: readonly DialogOutcome[] = ['placed', 'handoff', 'goodbye', 'loop', 'turn_cap', 'error'];

/** The call as score.ts scores it: a turn cap is a loop there, and what the dialog holds stands for extraction. */
export function asCallRecord(call: DialogCallRecord): CallRecord {
  return {
    index: call.index,
    voice: call.voice,
    noise: call.noise,
    wpm: call.wpm,
    outcome: call.outcome === 'turn_cap' ? 'loop' : call.outcome,
    intended: call.intended,
    phoneSaid: call.phoneSaid,
    confirmed: call.confirmed,
    extracted: call.held,
    cutOffs: 0,
    utterances: call.turns,
    voiceToVoiceMs: [],
    transcript: [],
  };
}

export function callScores(call: DialogCallRecord) {
  const record = asCallRecord(call);
  return {
    task_success: taskSucceeded(record),
    field_accuracy: fieldAccuracy(record),
    items_f1: itemsF1(call.intended.items, call.held?.items ?? []),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

function aggregate(calls: readonly DialogCallRecord[]) {
  const scores = calls.map(callScores);
  return {
    calls: calls.length,
    task_success: round(mean(scores.map((s) => (s.task_success ? 1 : 0)))),
    field_accuracy: round(mean(scores.map((s) => s.field_accuracy))),
    items_f1: round(mean(scores.map((s) => s.items_f1))),
    turns_mean: round(mean(calls.map((c) => c.turns))),
    outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, calls.filter((c) => c.outcome === o).length])),
  };
}

function groupBy(calls: readonly DialogCallRecord[], by: (c: DialogCallRecord) => string) {
  const groups = new Map<string, DialogCallRecord[]>();
  for (const c of calls) groups.set(by(c), [...(groups.get(by(c)) ?? []), c]);
  return Object.fromEntries([...groups].map(([k, v]) => [k, aggregate(v)]));
}

/** The dialog.json body: totals, per voice, per noise condition and every call with its transcript. */
export function summarizeDialogCalls(calls: readonly DialogCallRecord[]) {
  return {
    ...aggregate(calls),
    by_voice: groupBy(calls, (c) => c.voice),
    by_snr: groupBy(calls, (c) => c.noise),
    per_call: calls.map((c) => {
      const s = callScores(c);
      return { ...c, ...s, field_accuracy: round(s.field_accuracy), items_f1: round(s.items_f1) };
    }),
  };
}
