/**
 * Scoring of robustness calls: what the agent confirmed (its read-back) and what extraction stored against what the
 * caller meant, and the timing of the call as heard in the page (voice-to-voice, cut-offs, barge-in stop). Pure.
 */
import { checkedPhrase } from '@voiceroom/agent-core/nlu';
import type { AgentConfig } from '@voiceroom/protocol';
import { percentile } from '../voiceScenario.ts';
import { describeLine, type OrderLine } from './conversation.ts';
import type { Heard } from './heard.ts';

/** goodbye: the agent ended the call without placing an order. */
export type Outcome = 'placed' | 'handoff' | 'goodbye' | 'loop' | 'silence' | 'error';

export interface Extracted {
  items: OrderLine[];
  name: string | null;
  address: string | null;
  phone: string | null;
}

export interface CallRecord {
  index: number;
  voice: string;
  noise: string;
  wpm: number;
  outcome: Outcome;
  intended: { items: OrderLine[]; name: string; address: string; phone: string };
  /** The phone number was said in the call (volunteered or asked for). */
  phoneSaid: boolean;
  /** The order in the agent's last read-back, if it read one back. */
  confirmed: OrderLine[] | null;
  extracted: Extracted | null;
  /** Caller utterances the agent started answering before they were over. */
  cutOffs: number;
  /** What the caller was saying when cut off (for finding why). */
  cutOffLines?: string[];
  utterances: number;
  voiceToVoiceMs: number[];
  backchannel?: { stopped: boolean };
  bargeInStopMs?: number;
  transcript: string[];
  /** What the agent's recogniser heard of each caller line: every final, with its confidence and other hypotheses. */
  recognised?: RecognisedLine[];
  /** The agent's per-stage timing of each turn it answered (turn.metrics: from its VAD's end of speech). */
  stages?: StageTimings[];
  error?: string;
}

export interface RecognisedLine {
  said: string;
  finals: Heard[];
}

export interface StageTimings {
  eouMs: number;
  asrFinalMs: number;
  dialogFirstTokenMs: number;
  ttsFirstAudioMs: number;
  voiceToVoiceMs: number;
  interrupted?: boolean;
}

/** Lowercase words only, "St" and "Ave" spelled out. */
export function normalizeText(text: string): string {
  const long: Record<string, string> = { st: 'street', ave: 'avenue', rd: 'road', dr: 'drive', ln: 'lane' };
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => long[w] ?? w)
    .join(' ');
}

export const phoneDigits = (text: string | null): string => (text ?? '').replace(/\D/g, '').slice(-10);

function key(line: OrderLine): string {
  return `${line.name}|${line.size ?? ''}`;
}

function quantities(lines: readonly OrderLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) out.set(key(l), (out.get(key(l)) ?? 0) + l.quantity);
  return out;
}

/** F1 over units (a line of two pizzas is two units): a wrong size or item counts as a miss and an extra. */
export function itemsF1(intended: readonly OrderLine[], got: readonly OrderLine[]): number {
  const want = quantities(intended);
  const have = quantities(got);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  if (total(want) === 0 && total(have) === 0) return 1;
  let matched = 0;
  for (const [k, n] of want) matched += Math.min(n, have.get(k) ?? 0);
  if (matched === 0) return 0;
  const precision = matched / total(have);
  const recall = matched / total(want);
  return (2 * precision * recall) / (precision + recall);
}

export function sameOrder(a: readonly OrderLine[], b: readonly OrderLine[]): boolean {
  const qa = quantities(a);
  const qb = quantities(b);
  return qa.size === qb.size && [...qa].every(([k, n]) => qb.get(k) === n);
}

/** "two large pepperoni pizzas, a coke and an order of chicken wings" as menu lines; undefined if a part is not one. */
function parseLines(body: string, menu: AgentConfig['menu']): OrderLine[] | undefined {
  const parts = body.split(/,\s*|\s+and\s+(?=(?:a|an|\w+)\s)/).map((p) => p.trim().toLowerCase());
  const said = new Map<string, OrderLine>();
  for (const item of menu.items) {
    for (const size of item.sizes ? Object.keys(item.sizes) : [null]) {
      for (let quantity = 1; quantity <= 20; quantity++) {
        const line = { name: item.name, size, quantity };
        said.set(describeLine(line), line);
      }
    }
  }
  const lines = parts.map((p) => said.get(p));
  return lines.every((l) => l !== undefined) ? (lines as OrderLine[]) : undefined;
}

/**
 * The order in a read-back ("Let me read that back: two large pepperoni pizzas and a coke for ..."), each part
 * matched against every menu line the agent could say; undefined when the text is not a read-back or a part is
 * not a menu line.
 */
export function parseReadBack(text: string, menu: AgentConfig['menu']): OrderLine[] | undefined {
  const body = /read that back:\s*(.+?)(?:\s+for\s|, delivered to |\.\s|\.$)/i.exec(text)?.[1];
  return body ? parseLines(body, menu) : undefined;
}

/** The lines an agent acknowledged taking ("Two cokes and a large pepperoni pizza, got it."). */
export function parseAcknowledged(text: string, menu: AgentConfig['menu']): OrderLine[] {
  const body = /(?:^|[.!?]\s+)([^.!?]+), got it\./i.exec(text)?.[1];
  return (body && parseLines(body, menu)) || [];
}

/** The lines an agent's check asks about ("Did you say two cokes?"); undefined when it names no menu lines. */
export function parseChecked(text: string, menu: AgentConfig['menu']): OrderLine[] | undefined {
  const body = checkedPhrase(text);
  return body ? parseLines(body, menu) : undefined;
}

/** Placed (or handed off) with the read-back equal to what the caller meant. */
export function taskSucceeded(call: CallRecord): boolean {
  return (
    (call.outcome === 'placed' || call.outcome === 'handoff') &&
    call.confirmed !== null &&
    sameOrder(call.confirmed, call.intended.items)
  );
}

/** Whether the stored extraction holds each field as the caller meant it (phone only when it was said). */
export function fieldChecks(call: CallRecord): { name: boolean; address: boolean; phone?: boolean } {
  const e = call.extracted;
  return {
    name: normalizeText(e?.name ?? '') === normalizeText(call.intended.name),
    address: normalizeText(e?.address ?? '') === normalizeText(call.intended.address),
    ...(call.phoneSaid ? { phone: phoneDigits(e?.phone ?? null) === call.intended.phone } : {}),
  };
}

/** Name, address and (when said) phone in the stored extraction: the share right. */
export function fieldAccuracy(call: CallRecord): number {
  const checks = Object.values(fieldChecks(call));
  return checks.filter(Boolean).length / checks.length;
}

/**
 * Page-clock timing of one caller utterance against the agent's packet arrival times: the agent "cut it off" when
 * its packets arrived while the utterance was still playing (after a margin for the previous reply's tail); v2v is
 * from the end of the utterance to the agent's next packet.
 */
export function utteranceTiming(
  span: { startT: number; endT: number },
  packets: readonly number[],
  tailMarginMs = 300,
): { cutOff: boolean; voiceToVoiceMs?: number } {
  const cutOff = packets.some((t) => t > span.startT + tailMarginMs && t < span.endT);
  const next = packets.find((t) => t > span.endT);
  return { cutOff, ...(next !== undefined && !cutOff ? { voiceToVoiceMs: next - span.endT } : {}) };
}

/** Barge-in stop time: from the caller's start to the agent's last packet before a gap of `gapMs` (its stop). */
export function bargeInStopMs(startT: number, packets: readonly number[], gapMs = 120): number {
  let last = startT;
  for (const t of packets) {
    if (t <= startT) continue;
    if (t - last > gapMs) break;
    last = t;
  }
  return last - startT;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
const pct = (values: number[], p: number) => (values.length === 0 ? null : round(percentile(values, p), 1));

/** Medians of the agent's own per-stage timings, counted from its VAD's end of speech. */
function stageMedians(stages: readonly StageTimings[]) {
  const keys = ['eouMs', 'asrFinalMs', 'dialogFirstTokenMs', 'ttsFirstAudioMs', 'voiceToVoiceMs'] as const;
  return {
    n: stages.length,
    ...Object.fromEntries(
      keys.map((k) => [
        k,
        pct(
          stages.map((s) => s[k]),
          50,
        ),
      ]),
    ),
  };
}

function aggregate(calls: readonly CallRecord[]) {
  const backchannels = calls.flatMap((c) => (c.backchannel ? [c.backchannel.stopped] : []));
  const stops = calls.flatMap((c) => (c.bargeInStopMs === undefined ? [] : [c.bargeInStopMs]));
  const v2v = calls.flatMap((c) => c.voiceToVoiceMs);
  const utterances = calls.reduce((n, c) => n + c.utterances, 0);
  const r = (v: number | null) => (v === null ? null : round(v));
  return {
    calls: calls.length,
    task_success: r(mean(calls.map((c) => (taskSucceeded(c) ? 1 : 0)))),
    field_accuracy: r(mean(calls.map(fieldAccuracy))),
    items_f1: r(mean(calls.map((c) => itemsF1(c.intended.items, c.extracted?.items ?? [])))),
    false_cutoff_rate: utterances === 0 ? null : round(calls.reduce((n, c) => n + c.cutOffs, 0) / utterances),
    v2v_ms: { p50: pct(v2v, 50), p95: pct(v2v, 95), n: v2v.length },
    backchannel_false_stop_rate: r(mean(backchannels.map((s) => (s ? 1 : 0)))),
    backchannels: backchannels.length,
    barge_in_stop_ms: { p50: pct(stops, 50), p95: pct(stops, 95), n: stops.length },
    agent_stages_ms: stageMedians(calls.flatMap((c) => c.stages ?? [])),
    outcomes: Object.fromEntries(
      ['placed', 'handoff', 'goodbye', 'loop', 'silence', 'error'].map((o) => [
        o,
        calls.filter((c) => c.outcome === o).length,
      ]),
    ),
  };
}

function groupBy(calls: readonly CallRecord[], by: (c: CallRecord) => string) {
  const groups = new Map<string, CallRecord[]>();
  for (const c of calls) groups.set(by(c), [...(groups.get(by(c)) ?? []), c]);
  return Object.fromEntries([...groups].map(([k, v]) => [k, aggregate(v)]));
}

/** The robustness.json body: totals, per voice, per noise condition and every call. */
export function summarize(calls: readonly CallRecord[]) {
  return {
    ...aggregate(calls),
    by_voice: groupBy(calls, (c) => c.voice),
    by_snr: groupBy(calls, (c) => c.noise),
    per_call: calls.map((c) => ({
      ...c,
      task_success: taskSucceeded(c),
      field_accuracy: round(fieldAccuracy(c)),
      items_f1: round(itemsF1(c.intended.items, c.extracted?.items ?? [])),
    })),
  };
}
