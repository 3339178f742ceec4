/**
 * bench:dialog's results: task success, field accuracy and items F1 scored with bench:robustness's own functions
 * (score.ts) on what post-call extraction stores from the transcript, as bench:robustness scores them, and field
 * accuracy on the state the dialog holds at the end beside it (where a field is lost: the dialog or extraction).
 * Without an extraction (tests), the held state stands for it. Pure.
 */
import { type CallRecord, fieldAccuracy, fieldChecks, itemsF1, taskSucceeded } from '../robustness/score.ts';
import type { DialogCallRecord, DialogOutcome } from './dialogCall.ts';

const OUTCOMES: readonly DialogOutcome[] = ['placed', 'handoff', 'goodbye', 'loop', 'turn_cap', 'error'];

/** The call as score.ts scores it (a turn cap is a loop there), with `extracted` as its stored extraction. */
export function asCallRecord(call: DialogCallRecord, extracted = call.extracted ?? call.held): CallRecord {
  return {
    index: call.index,
    voice: call.voice,
    noise: call.noise,
    wpm: call.wpm,
    outcome: call.outcome === 'turn_cap' ? 'loop' : call.outcome,
    intended: call.intended,
    phoneSaid: call.phoneSaid,
    confirmed: call.confirmed,
    extracted,
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
    fields: fieldChecks(record),
    held_field_accuracy: fieldAccuracy(asCallRecord(call, call.held)),
    items_f1: itemsF1(call.intended.items, record.extracted?.items ?? []),
  };
}

/** Per field, the share of calls whose extraction holds it right (phone: over the calls where it was said). */
function fieldShares(scores: readonly ReturnType<typeof callScores>[]) {
  const share = (field: 'name' | 'address' | 'phone') => {
    const checked = scores.flatMap((s) => (s.fields[field] === undefined ? [] : [s.fields[field] ? 1 : 0]));
    return { right: round(mean(checked)), n: checked.length };
  };
  return { name: share('name'), address: share('address'), phone: share('phone') };
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
    held_field_accuracy: round(mean(scores.map((s) => s.held_field_accuracy))),
    fields: fieldShares(scores),
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
      return {
        ...c,
        ...s,
        field_accuracy: round(s.field_accuracy),
        held_field_accuracy: round(s.held_field_accuracy),
        items_f1: round(s.items_f1),
      };
    }),
  };
}
