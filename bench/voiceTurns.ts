/**
 * Turns the voice benchmark's recordings (what the caller said and when, the page's audio samples, when the agent
 * started each new reply) into per-turn scores and the summary: overall, per caller voice, and the real recordings
 * apart. The rules themselves are in voiceScoring.ts.
 */
import { wordErrorRate } from '../agent-worker/src/stages/stt/wordErrorRate.ts';
import type { PlannedTurn } from './voicePlan.ts';
import { type AudioSample, packetArrivals, percentile, voiceLabel } from './voiceScenario.ts';
import {
  type BargeInOutcome,
  type FalseInterruptionOutcome,
  firstAudibleOnset,
  scoreBargeIn,
  scoreFalseInterruption,
  summarizeBargeIns,
} from './voiceScoring.ts';

/**
 * A reply-start event is relayed by the server before its audio plays in the page, but the relay can lag a little
 * on a loaded machine: the reply's onset is looked for from this long before the event.
 */
const EVENT_SLACK_MS = 100;

export interface ScoredTurn {
  kind: PlannedTurn['kind'];
  voice: string;
  text: string;
  heard: string;
  /** End of the caller's speech -> the agent's new reply audible in the page. */
  voice_to_voice_ms?: number;
  /** End of the caller's speech -> the first packet of that reply arriving (not back-dated). */
  first_packet_ms?: number;
  barge_in?: BargeInOutcome;
  false_interruption?: FalseInterruptionOutcome;
}

const round = (n: number) => Math.round(n * 10) / 10;
/** Turns that are a sound over the agent rather than something to answer. */
const SOUNDS: ReadonlySet<PlannedTurn['kind']> = new Set(['noise', 'um']);

export function scoreTurns(
  plan: readonly PlannedTurn[],
  said: ReadonlyArray<{ startT: number; endT: number; heard: string }>,
  samples: readonly AudioSample[],
  replyStarts: readonly number[],
): ScoredTurn[] {
  const arrivals = packetArrivals(samples);
  return plan.map((turn, i) => {
    const { startT, endT, heard } = said[i] as { startT: number; endT: number; heard: string };
    const nextStart = said[i + 1]?.startT ?? Number.POSITIVE_INFINITY;
    const scored: ScoredTurn = {
      kind: turn.kind,
      voice: SOUNDS.has(turn.kind)
        ? turn.kind
        : turn.voice.engine === 'real'
          ? 'real'
          : voiceLabel(turn.voice),
      text: turn.text,
      heard,
    };
    const reply = replyStarts.find((t) => t >= startT && t < nextStart);
    const from = reply === undefined ? undefined : Math.max(endT, reply - EVENT_SLACK_MS);
    const onset = from === undefined ? undefined : firstAudibleOnset(samples, from);
    if (from !== undefined && !SOUNDS.has(turn.kind)) {
      if (onset !== undefined && onset < nextStart) scored.voice_to_voice_ms = round(onset - endT);
      const packet = arrivals.find((t) => t >= from && t < nextStart);
      if (packet !== undefined) scored.first_packet_ms = round(packet - endT);
    }
    if (turn.kind === 'barge_in') scored.barge_in = scoreBargeIn(samples, startT, onset ?? nextStart);
    if (SOUNDS.has(turn.kind))
      scored.false_interruption = scoreFalseInterruption(samples, startT, endT, nextStart, reply);
    return scored;
  });
}

function latency(values: number[]) {
  return { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), n: values.length };
}

function conversationFigures(turns: readonly ScoredTurn[]) {
  const answerable = turns.filter((t) => !SOUNDS.has(t.kind));
  const v2v = answerable.flatMap((t) => (t.voice_to_voice_ms === undefined ? [] : [t.voice_to_voice_ms]));
  const packets = answerable.flatMap((t) => (t.first_packet_ms === undefined ? [] : [t.first_packet_ms]));
  return {
    turns: answerable.length,
    voice_to_voice_ms: { ...latency(v2v), unanswered: answerable.length - v2v.length },
    first_packet_ms: latency(packets),
    barge_in_stop_ms: summarizeBargeIns(turns.flatMap((t) => (t.barge_in ? [t.barge_in] : []))),
    wer:
      Math.round(wordErrorRate(answerable.map((t) => ({ reference: t.text, hypothesis: t.heard }))) * 1000) /
      1000,
  };
}

export function summarize(turns: readonly ScoredTurn[]) {
  const synthesized = turns.filter((t) => t.voice !== 'real' && !SOUNDS.has(t.kind));
  const sounds = (kind: PlannedTurn['kind']) => {
    const outcomes = turns.flatMap((t) =>
      t.kind === kind && t.false_interruption ? [t.false_interruption] : [],
    );
    const count = (k: FalseInterruptionOutcome['kind']) => outcomes.filter((o) => o.kind === k).length;
    return {
      n: outcomes.length,
      resumed: count('resumed'),
      taken_as_barge_in: count('taken_as_barge_in'),
      paused_not_resumed: count('paused_not_resumed'),
      talked_through: count('talked_through'),
      agent_not_speaking: count('agent_not_speaking'),
      resume_after_ms: latency(outcomes.flatMap((o) => (o.kind === 'resumed' ? [o.resumeAfterMs] : []))),
    };
  };
  const voices = [...new Set(synthesized.map((t) => t.voice))];
  return {
    headline: {
      ...conversationFigures(synthesized),
      voices: voices.length,
      false_interruptions: { noise_burst: sounds('noise'), um: sounds('um') },
      real_speech: conversationFigures(turns.filter((t) => t.voice === 'real')),
    },
    perVoice: Object.fromEntries(
      voices.map((voice) => [voice, conversationFigures(synthesized.filter((t) => t.voice === voice))]),
    ),
  };
}
