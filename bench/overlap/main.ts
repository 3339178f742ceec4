/**
 * Speech over the agent, offline: `npm run bench:overlap -- [--calls N] [--seed S] [--voices a,b] [--snr clean,20]
 * [--expect phone,yesno,open] [--parallel K]`.
 * Each conversation of bench:robustness's set (its voice, speaking rate and noise) is one caller: after its address
 * answer (said to the listening agent, so the recogniser adapts as in a call), it says each backchannel
 * (conversation.ts BACKCHANNELS), each stop word and two real barge-ins (the conversation's barge-in correction and
 * its first order line) over an agent reply that asks for each `--expect` slot (the recogniser's slot model while that
 * reply plays). The audio goes in real time through the agent's own CallerInput (Silero VAD, the pizzeria agent's
 * PocketSphinx stream) and TurnTaker: per line, the VAD's speech segments, partials, finals (with what the
 * over-agent grammar heard and judgeOverAgent's verdict) and what the agent did: talked on, paused and resumed, or was interrupted (and how long after the line's
 * speech began it paused and was interrupted). K callers run at once (default 6), each paced in real time.
 *
 * backchannel_false_stop_rate: backchannels that interrupted the agent; missed_barge_in_rate: stop words and real
 * barge-ins that did not; stop_ms: line start -> output paused (what the caller hears), interrupt_ms: -> the turn
 * cancelled. Causes of false stops: a stop word heard, the VAD splitting the line, other words on a line longer than
 * the backchannel limit, or other. Writes bench/results/overlap.json; one summary line on stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { SttExpectation } from '@voiceroom/agent-core/stages';
import { classifyOverlap } from '../../agent-worker/src/pipeline/overlap.ts';
import { DEFAULT_BACKCHANNEL_MAX_MS } from '../../agent-worker/src/pipeline/turnEvents.ts';
import { SLOTS } from '../../agent-worker/src/stages/stt/lm/slotCorpus.ts';
import { PocketSphinxStt } from '../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { createVad } from '../../agent-worker/src/stages/vad/createVad.ts';
import { resampleTo16k } from '../../agent-worker/test/stages/fixtures/speech.ts';
import { runBench, writeBenchResult } from '../benchResult.ts';
import { NoiseBed, renderUtterance } from '../robustness/callerAudio.ts';
import { ALL_VOICES, BACKCHANNELS, type Conversation, noiseLabel } from '../robustness/conversation.ts';
import { conversationAt, OptionsError, parseOptions, withOptionsErrors } from '../robustness/options.ts';
import { spread } from '../spread.ts';
import { type HeardLine, OverAgentCaller } from './OverAgentLine.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'overlap.json');
const STOP_WORDS = ['wait', 'no', 'stop'];
const EXPECTATIONS: readonly SttExpectation[] = [...SLOTS, 'open'];
const progress = (message: string) => process.stderr.write(`[bench:overlap] ${message}\n`);

type LineKind = 'backchannel' | 'stop' | 'barge';

interface Outcome extends HeardLine {
  conversation: number;
  voice: string;
  snr: string;
  expecting: SttExpectation;
  kind: LineKind;
  said: string;
  cause?: string;
}

/** Our own flags (--expect, --parallel) apart from bench:robustness's. */
function ownOptions(argv: readonly string[]) {
  const rest: string[] = [];
  let expect: SttExpectation[] = ['phone', 'yesno', 'open'];
  let parallel = 6;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i] as string, argv[i + 1] ?? ''];
    if (flag === '--expect') {
      expect = value.split(',') as SttExpectation[];
      const unknown = expect.find((e) => !EXPECTATIONS.includes(e));
      if (unknown)
        throw new OptionsError(`--expect: unknown slot "${unknown}": use ${EXPECTATIONS.join(', ')}`);
    } else if (flag === '--parallel') {
      parallel = Number(value);
      if (!Number.isInteger(parallel) || parallel < 1)
        throw new OptionsError(`--parallel takes an integer >= 1, got "${value}"`);
    } else rest.push(flag, value);
  }
  return { expect, parallel, rest };
}

function linesOf(c: Conversation): { kind: LineKind; text: string }[] {
  const firstOrder = c.moves.find((m) => m.kind === 'add')?.text.segments.join(' ');
  return [
    ...BACKCHANNELS.map((text) => ({ kind: 'backchannel' as const, text })),
    ...STOP_WORDS.map((text) => ({ kind: 'stop' as const, text })),
    { kind: 'barge' as const, text: c.bargeIn.text.segments.join(' ') },
    ...(firstOrder ? [{ kind: 'barge' as const, text: firstOrder }] : []),
  ];
}

/**
 * Why a backchannel stopped the agent: a stop word heard in it, the VAD splitting it in two, partial words that
 * decided before a final that was a backchannel after all, or speech past the backchannel limit (`limitMs`, start
 * to end as the VAD reports it) with other words.
 */
function causeOf(o: HeardLine, limitMs: number): string {
  const verdicts = [...o.partials.map((p) => classifyOverlap(p.text)), ...o.finals.map((f) => f.overlap)];
  if (verdicts.includes('stop')) return 'stop_word_heard';
  if (o.speech.length > 1) return 'vad_split';
  if (o.finals.every((f) => f.overlap !== 'speech')) return 'partial_words_before_final';
  const first = o.speech[0];
  if (first && first.endMs - first.startMs >= limitMs) return 'long_speech_with_words';
  return 'other';
}

/** What the line was heard as: the finals, each with its over-agent grammar's phrase in brackets ('...': other speech). */
function heardAs(o: Outcome): string {
  const finals = o.finals.map((f) => (f.overAgent ? `${f.text} [${f.overAgent.phrase || '...'}]` : f.text));
  return `${o.said} -> ${finals.join(' | ')}`;
}

function rate(of: readonly Outcome[], hit: (o: Outcome) => boolean) {
  return { rate: Number((of.filter(hit).length / Math.max(1, of.length)).toFixed(3)), n: of.length };
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

async function main(): Promise<void> {
  const own = ownOptions(process.argv.slice(2));
  const options = parseOptions(['--calls', String(ALL_VOICES.length * 5), ...own.rest]);
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const stt = await PocketSphinxStt.create({ domain: config, idleDecoders: own.parallel });
  const vad = await createVad(config.vad);
  const settings = {
    ...config.turn,
    vadHangoverMs: config.vad.minSilenceMs,
    vadPrefixMs: config.vad.prefixPaddingMs,
  };
  const limitMs = DEFAULT_BACKCHANNEL_MAX_MS + settings.vadPrefixMs;
  const dir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-overlap-'));
  const outcomes: Outcome[] = [];
  let next = 0;
  const runCaller = async (index: number) => {
    const c = conversationAt(options, config, options.from + index);
    const bed = new NoiseBed(c.noise, dir, ALL_VOICES.filter((v) => v.name !== c.voice.name).slice(0, 3));
    const render = async (text: string) => {
      const audio = await renderUtterance({ segments: [text], pausesMs: [] }, c.voice, c.wpm, bed, dir);
      return { pcm: await resampleTo16k(audio.pcm, 48_000), speechStartMs: audio.speechStartMs };
    };
    const caller = new OverAgentCaller(
      vad.createStream(),
      stt.createStream(),
      config.vad.prefixPaddingMs,
      settings,
    );
    try {
      await caller.answer((await render(`it's ${c.address}`)).pcm, 'address');
      for (const expecting of own.expect)
        for (const line of linesOf(c)) {
          const audio = await render(line.text);
          const heard = await caller.sayOver(audio.pcm, audio.speechStartMs, expecting);
          const outcome: Outcome = {
            conversation: c.index,
            voice: `${c.voice.engine}:${c.voice.name}`,
            snr: noiseLabel(c.noise),
            expecting,
            kind: line.kind,
            said: line.text,
            ...heard,
          };
          if (line.kind === 'backchannel' && heard.verdict === 'interrupted')
            outcome.cause = causeOf(heard, limitMs);
          outcomes.push(outcome);
        }
    } finally {
      caller.close();
    }
    const mine = outcomes.filter((o) => o.conversation === c.index);
    progress(
      `${c.index} ${c.voice.name} ${noiseLabel(c.noise)}: backchannels stopped ` +
        `${mine.filter((o) => o.kind === 'backchannel' && o.verdict === 'interrupted').length}/` +
        `${mine.filter((o) => o.kind === 'backchannel').length}, barge-ins missed ` +
        `${mine.filter((o) => o.kind !== 'backchannel' && o.verdict !== 'interrupted').length}/` +
        `${mine.filter((o) => o.kind !== 'backchannel').length}`,
    );
  };
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: Math.min(own.parallel, options.calls) }, async () => {
        while (next < options.calls) await runCaller(next++);
      }),
    );
  } finally {
    stt.close();
    await rm(dir, { recursive: true, force: true });
  }
  const backchannels = outcomes.filter((o) => o.kind === 'backchannel');
  const bargeIns = outcomes.filter((o) => o.kind !== 'backchannel');
  const stopped = (o: Outcome) => o.verdict === 'interrupted';
  const byKey = (of: readonly Outcome[], key: (o: Outcome) => string, hit: (o: Outcome) => boolean) =>
    Object.fromEntries(
      [...new Set(of.map(key))].map((k) => [
        k,
        rate(
          of.filter((o) => key(o) === k),
          hit,
        ),
      ]),
    );
  const stoppedBarges = bargeIns.filter(stopped);
  await writeBenchResult(
    RESULTS,
    {
      seed: options.seed,
      callers: options.calls,
      expecting: own.expect,
      wall_s: Math.round((performance.now() - started) / 1000),
      backchannel_false_stop_rate: rate(backchannels, stopped),
      backchannel_false_stops_by_expectation: byKey(backchannels, (o) => o.expecting, stopped),
      backchannel_false_stops_by_word: byKey(backchannels, (o) => o.said, stopped),
      backchannel_false_stop_causes: countBy(backchannels.filter(stopped), (o) => o.cause ?? ''),
      backchannel_verdicts: countBy(backchannels, (o) => o.verdict),
      missed_barge_in_rate: rate(bargeIns, (o) => !stopped(o)),
      missed_by_kind: byKey(
        bargeIns,
        (o) => o.kind,
        (o) => !stopped(o),
      ),
      stop_ms: spread(bargeIns.flatMap((o) => (o.pausedAfterMs === undefined ? [] : [o.pausedAfterMs]))),
      interrupt_ms: spread(stoppedBarges.map((o) => o.interruptedAfterMs ?? Number.NaN)),
      interrupt_ms_stop_words: spread(
        stoppedBarges.filter((o) => o.kind === 'stop').map((o) => o.interruptedAfterMs ?? Number.NaN),
      ),
      backchannel_heard_as: countBy(backchannels, heardAs),
      stop_words_heard_as: countBy(
        bargeIns.filter((o) => o.kind === 'stop'),
        heardAs,
      ),
      per_line: outcomes,
    },
    ['per_line', 'backchannel_heard_as', 'stop_words_heard_as'],
  );
}

runBench(() => withOptionsErrors('bench:overlap', main));
