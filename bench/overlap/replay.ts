/**
 * bench:overlap's lines again through the turn-taking machine alone, offline and in a second:
 * `npm run bench:overlap:replay -- [bench/results/overlap.json]`.
 * A run's per_line keeps what the VAD and the recogniser made of each line (speech segments, partials, finals with
 * their n-best, the caller's own voice); those are fed again, on their recorded times, to the TurnStateMachine of
 * this checkout. The recogniser's output is the run's, so a change to the machine's rules compares line by line
 * with the run's verdicts and with no recogniser variation or machine load between them. Approximate: the VAD's
 * start and end are fed when the VAD would report them (minSpeechMs after the first speech frame, its minimum
 * silence after the last) and time ticks every 20 ms. Prints the lines whose verdict differs from the run's and
 * one summary line, with when the stopped barge-ins were cancelled (ms from the line's speech start).
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { TurnStateMachine } from '../../agent-worker/src/pipeline/TurnStateMachine.ts';
import type { TurnInput } from '../../agent-worker/src/pipeline/turnEvents.ts';
import { runBench } from '../benchResult.ts';
import { spread } from '../spread.ts';
import type { HeardLine } from './OverAgentLine.ts';

const TICK_MS = 20;
/** Ticks from before the VAD's padded start of a line to past its tail (ms from the line's speech start). */
const FROM_MS = -1_200;
const TO_MS = 6_000;

type Line = HeardLine & { kind: string; said: string; voice: string; snr: string; expecting: SttExpectation };

interface Timed {
  atMs: number;
  /** Inputs at the same time: the VAD's events first, then transcripts, then the tick (CallerInput's order). */
  order: number;
  input: TurnInput;
}

function inputsOf(line: Line, vad: { minSpeechMs: number; minSilenceMs: number; prefixPaddingMs: number }) {
  const timed: Timed[] = [];
  for (const s of line.speech) {
    const reportedAt = s.startMs + vad.prefixPaddingMs + vad.minSpeechMs;
    timed.push({ atMs: reportedAt, order: 0, input: { type: 'user_speech_start', atMs: s.startMs } });
    if (Number.isFinite(s.endMs))
      timed.push({
        atMs: s.endMs + vad.minSilenceMs,
        order: 0,
        input: { type: 'user_speech_end', atMs: s.endMs },
      });
  }
  for (const p of line.partials)
    timed.push({
      atMs: p.afterMs,
      order: 1,
      input: { type: 'user_transcript', text: p.text, final: false, atMs: p.afterMs },
    });
  for (const f of line.finals) {
    const alternatives = f.alternatives ? { alternatives: f.alternatives } : {};
    const overAgent = f.overAgent ? { overAgent: f.overAgent } : {};
    timed.push({
      atMs: f.afterMs,
      order: 1,
      input: {
        type: 'user_transcript',
        text: f.text,
        final: true,
        atMs: f.afterMs,
        ...alternatives,
        ...overAgent,
      },
    });
  }
  for (let atMs = FROM_MS; atMs <= TO_MS; atMs += TICK_MS) {
    const voice = line.callerVoice.findLast((v) => v.afterMs <= atMs);
    timed.push({
      atMs,
      order: 2,
      input: {
        type: 'tick',
        atMs,
        ...(voice?.startMs !== undefined ? { foregroundStartMs: voice.startMs } : {}),
        ...(voice?.endMs !== undefined ? { foregroundEndMs: voice.endMs } : {}),
      },
    });
  }
  return timed.sort((a, b) => a.atMs - b.atMs || a.order - b.order).map((t) => t.input);
}

async function main(): Promise<void> {
  const file = process.argv[2] ?? 'bench/results/overlap.json';
  const run = JSON.parse(await readFile(file, 'utf8')) as { per_line: Line[] };
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const settings = {
    ...config.turn,
    vadHangoverMs: config.vad.minSilenceMs,
    vadPrefixMs: config.vad.prefixPaddingMs,
  };
  const count = { backchannels: 0, falseStops: 0, bargeIns: 0, missed: 0, missedStopWords: 0, changed: 0 };
  const cancelledAfterMs: number[] = [];
  for (const line of run.per_line) {
    const machine = new TurnStateMachine(settings);
    // the agent has been speaking a reply asking for the line's slot since well before the line
    machine.handle({ type: 'agent_turn_started', atMs: FROM_MS * 2 });
    machine.handle({ type: 'agent_audio_started', atMs: FROM_MS * 2 });
    machine.handle({ type: 'agent_asked', expecting: line.expecting, atMs: FROM_MS * 2 });
    const interrupt = inputsOf(line, config.vad).find((input) =>
      machine.handle(input).some((a) => a.type === 'interrupt'),
    );
    const stopped = interrupt !== undefined;
    if (line.kind === 'backchannel') {
      count.backchannels++;
      if (stopped) count.falseStops++;
    } else {
      count.bargeIns++;
      if (interrupt) cancelledAfterMs.push(interrupt.atMs);
      else {
        count.missed++;
        if (line.kind === 'stop') count.missedStopWords++;
      }
    }
    if (stopped === (line.verdict === 'interrupted')) continue;
    count.changed++;
    const finals = line.finals.map((f) => f.text).join(' | ');
    process.stdout.write(
      `${stopped ? 'now stops' : 'now goes on'}: ${line.kind} "${line.said}" ${line.voice} ${line.snr} ` +
        `${line.expecting}, heard ${finals}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ file, ...count, interrupt_ms: spread(cancelledAfterMs) })}\n`);
}

runBench(main);
