/**
 * Where the VAD ends the caller's lines, per noise condition: `npm run bench:vad -- [--calls N] [--from I]
 * [--seed S] [--voices a,b] [--snr clean,20] [--tail-ms T] [--denoise]`. The robustness conversations' order lines, "that's
 * all" and "yes", rendered as the robustness caller renders them, go at 16 kHz through the pizzeria agent's Silero
 * VAD without and with the foreground gate. Per line: how long after the speech really ended the VAD puts its end
 * (`lag_ms`; the agent learns of it minSilenceMs later), and whether it cut the line into more speech segments
 * than the caller said it in pieces (`split_lines`: softer words split off). `--tail-ms`: the noise
 * goes on that long after the line, as a room's does (the robustness call stops it 300 ms after the speech); a line
 * the VAD never ends before the noise does counts its lag up to there. `--denoise`: both VADs again on the lines
 * through the agent's noise suppressor (one per call, as the live path runs it; its delay counts in the lag). No browser, Opus or SFU: seconds per call.
 * Writes bench/results/vad-ends.json.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { VadEvent, VadStream } from '@voiceroom/agent-core/stages';
import { NoiseSuppressor } from '../agent-worker/src/audio/NoiseSuppressor.ts';
import { SileroVad } from '../agent-worker/src/stages/vad/SileroVad.ts';
import { resampleTo16k } from '../agent-worker/test/stages/fixtures/speech.ts';
import { runBench, writeBenchResult } from './benchResult.ts';
import { denoisedLine } from './denoisedLine.ts';
import { callNoiseBed, renderUtterance } from './robustness/callerAudio.ts';
import { noiseLabel } from './robustness/conversation.ts';
import {
  conversationAt,
  OptionsError,
  parseOptions,
  takeSwitch,
  withOptionsErrors,
} from './robustness/options.ts';
import { percentile } from './voiceScenario.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'vad-ends.json');
const progress = (message: string) => process.stderr.write(`[bench:vad] ${message}\n`);
const CHUNK_SAMPLES = 320;
/** Silence after the audio, so that a VAD still in speech at its end ends it. */
const CLOSING_SILENCE_SAMPLES = 16_000;

interface LineResult {
  call: number;
  noise: string;
  voice: string;
  text: string;
  /** The pieces the caller says it in (pauses of 300-900 ms between them): as many speech segments as the VAD should make. */
  pieces: number;
  /**
   * Per VAD variant: the lag after the real end of speech of the end of the segment the caller's speech ended in,
   * the segments it cut the caller's speech into, and the segments of background alone after it (turns without
   * the caller).
   */
  variants: Record<string, { lagMs: number | null; segments: number; backgroundSegments: number }>;
}

/** `--tail-ms T` taken out of the command line; the rest is the robustness options. */
function splitTail(argv: readonly string[]): { tailMs: number; rest: string[] } {
  const at = argv.indexOf('--tail-ms');
  if (at < 0) return { tailMs: 0, rest: [...argv] };
  const tailMs = Number(argv[at + 1]);
  if (!Number.isInteger(tailMs) || tailMs < 0 || tailMs > 10_000)
    throw new OptionsError(`--tail-ms takes an integer 0-10000, got "${argv[at + 1]}"`);
  return { tailMs, rest: [...argv.slice(0, at), ...argv.slice(at + 2)] };
}

function detect(stream: VadStream, pcm: Int16Array): VadEvent[] {
  const events: VadEvent[] = [];
  for (let i = 0; i < pcm.length; i += CHUNK_SAMPLES)
    events.push(...stream.push(pcm.subarray(i, i + CHUNK_SAMPLES)));
  events.push(...stream.push(new Int16Array(CLOSING_SILENCE_SAMPLES)));
  return events;
}

/** The VAD's speech segments (an end past the audio is put at its end: the noise stopped there). */
function speechSegments(
  events: readonly VadEvent[],
  audioEndMs: number,
): { startMs: number; endMs: number }[] {
  const segments: { startMs: number; endMs: number }[] = [];
  for (const e of events)
    if (e.type === 'speech_start') segments.push({ startMs: e.atMs, endMs: audioEndMs });
    else {
      const open = segments.at(-1);
      if (open) open.endMs = Math.min(e.atMs, audioEndMs);
    }
  return segments;
}

/** Where `vad` ends the caller's speech in `line` (16 kHz), which really ended at `speechEndMs`. */
function lineEnd(vad: SileroVad, line: Int16Array, speechEndMs: number): LineResult['variants'][string] {
  const segments = speechSegments(detect(vad.createStream(), line), line.length / 16);
  const callers = segments.filter((s) => s.startMs < speechEndMs);
  const end = callers.at(-1)?.endMs;
  return {
    lagMs: end === undefined ? null : Math.round(end - speechEndMs),
    segments: callers.length,
    backgroundSegments: segments.length - callers.length,
  };
}

function summarize(lines: readonly LineResult[], variants: readonly string[]) {
  const byVariant = (group: readonly LineResult[]) =>
    Object.fromEntries(
      variants.map((v) => {
        const lags = group.flatMap((l) => (l.variants[v]?.lagMs == null ? [] : [l.variants[v].lagMs]));
        const split = group.filter((l) => (l.variants[v]?.segments ?? 0) > l.pieces);
        const pct = (p: number) => (lags.length === 0 ? null : Math.round(percentile(lags, p)));
        const background = group.reduce((n, l) => n + (l.variants[v]?.backgroundSegments ?? 0), 0);
        return [
          v,
          {
            n: group.length,
            lag_ms: { p50: pct(50), p90: pct(90), max: pct(100) },
            split_lines: split.length,
            background_segments: background,
          },
        ];
      }),
    );
  const noises = [...new Set(lines.map((l) => l.noise))];
  return {
    ...byVariant(lines),
    by_snr: Object.fromEntries(noises.map((n) => [n, byVariant(lines.filter((l) => l.noise === n))])),
  };
}

async function main(): Promise<void> {
  const denoise = takeSwitch(process.argv.slice(2), '--denoise');
  const { tailMs, rest } = splitTail(denoise.rest);
  const options = parseOptions(['--calls', '12', ...rest]);
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const timing = { ...config.vad };
  const vads = { ungated: new SileroVad(timing), gated: new SileroVad(timing, { foregroundGate: true }) };
  const dir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-vad-'));
  const lines: LineResult[] = [];
  try {
    for (let index = options.from; index < options.from + options.calls; index++) {
      const conversation = conversationAt(options, config, index);
      const bed = callNoiseBed(conversation, dir);
      const suppressor = denoise.on ? await NoiseSuppressor.create() : undefined;
      const said = [...conversation.moves.map((m) => m.text), conversation.done, conversation.yes];
      for (const utterance of said) {
        const audio = await renderUtterance(
          utterance,
          conversation.voice,
          conversation.wpm,
          bed,
          dir,
          tailMs,
        );
        const pcm = await resampleTo16k(audio.pcm, 48_000);
        const heard = suppressor ? { '': pcm, denoised_: denoisedLine(suppressor, pcm) } : { '': pcm };
        const variants: LineResult['variants'] = {};
        for (const [prefix, line] of Object.entries(heard))
          for (const [name, vad] of Object.entries(vads))
            variants[`${prefix}${name}`] = lineEnd(vad, line, audio.speechEndMs);
        lines.push({
          call: index,
          noise: noiseLabel(conversation.noise),
          voice: conversation.voice.name,
          text: utterance.segments.join(' ... '),
          pieces: utterance.segments.length,
          variants,
        });
      }
      progress(
        `${index + 1}/${options.from + options.calls} ${conversation.voice.name} ${noiseLabel(conversation.noise)}`,
      );
      suppressor?.close();
    }
  } finally {
    for (const vad of Object.values(vads)) vad.close();
    await rm(dir, { recursive: true, force: true });
  }
  await writeBenchResult(
    RESULTS,
    {
      seed: options.seed,
      from: options.from,
      tail_ms: tailMs,
      vad: timing,
      ...summarize(lines, Object.keys(lines[0]?.variants ?? vads)),
      lines,
    },
    ['lines'],
  );
}

runBench(() => withOptionsErrors('bench:vad', main));
