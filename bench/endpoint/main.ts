/**
 * End of turn on whole conversations, offline: `npm run bench:endpoint -- [--calls N] [--from I] [--seed S]
 * [--voices a,b] [--snr clean,20] [--bed pads|continuous] [--decode-ms D]`. bench:dialog's conversations (the scripted caller and the
 * pizzeria agent's real dialog), each caller line heard the live way (CallTurns.ts: the agent's VAD, its
 * recogniser per VAD segment, and the TurnStateMachine with the agent's endpointing), so per line: whether the turn
 * ended in one of the caller's pauses (the agent would cut the caller off), and how long after the real end of the
 * speech it ended (the agent side of voice to voice, before dialog, TTS and transport). The dialog hears the whole
 * line either way, so the conversations stay the same whatever the endpointing does. No browser or SFU: seconds
 * per call. Writes bench/results/endpoint.json (every line); the summary on stdout, one line per call on stderr.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { createDialog } from '@voiceroom/agent-core/dialog';
import type { Dialog, Stt, Vad } from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import { listeningFor } from '../../agent-worker/src/pipeline/listeningFor.ts';
import { PocketSphinxStt } from '../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { createVad } from '../../agent-worker/src/stages/vad/createVad.ts';
import { resampleTo16k } from '../../agent-worker/test/stages/fixtures/speech.ts';
import { runBench, writeBenchResult } from '../benchResult.ts';
import { runDialogCall } from '../dialog/dialogCall.ts';
import { type BedMode, callNoiseBed, NOISE_PAD_MS, renderUtterance } from '../robustness/callerAudio.ts';
import { type Conversation, noiseLabel } from '../robustness/conversation.ts';
import { conversationAt, OptionsError, parseOptions, withOptionsErrors } from '../robustness/options.ts';
import { AFTER_LINE_MS, CallTurns } from './CallTurns.ts';
import { type LineRecord, summarizeLines } from './summary.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'endpoint.json');
const progress = (message: string) => process.stderr.write(`[bench:endpoint] ${message}\n`);
/** The recogniser's final after the VAD's end, as measured live (BENCHMARKS.md, issue 13, session 6). */
const DEFAULT_DECODE_MS = 90;
/** How long the caller's microphone carries the room (or silence) while the agent greets, before the first line. */
const GREETING_MS = 2_000;

/** `--decode-ms D` taken out of the command line; the rest is the robustness options. */
function splitDecode(argv: readonly string[]): { decodeMs: number; rest: string[] } {
  const at = argv.indexOf('--decode-ms');
  if (at < 0) return { decodeMs: DEFAULT_DECODE_MS, rest: [...argv] };
  const decodeMs = Number(argv[at + 1]);
  if (!Number.isInteger(decodeMs) || decodeMs < 0 || decodeMs > 2_000)
    throw new OptionsError(`--decode-ms takes an integer 0-2000, got "${argv[at + 1]}"`);
  return { decodeMs, rest: [...argv.slice(0, at), ...argv.slice(at + 2)] };
}

interface Stages {
  config: AgentConfig;
  dialog: Dialog;
  stt: Stt;
  /**
   * The recogniser the partials after the caller's voice are decoded with (CallTurns' peek): its own decoders, so
   * the line's own decoding goes on the very decoders it would without them (a decoder carries its state from one
   * call to the next).
   */
  peekStt: Stt;
  vad: Vad;
  decodeMs: number;
  bed: BedMode;
  /** Where the caller's audio is rendered. */
  dir: string;
}

/** One conversation between the scripted caller and the agent: each caller line as the end of turn judged it. */
async function playCall(conversation: Conversation, stages: Stages): Promise<LineRecord[]> {
  const { config, dir } = stages;
  const bed = callNoiseBed(conversation, dir, stages.bed);
  // a continuous bed goes on through the silence after each line, into the next line's (a clean call has none)
  const continuous = stages.bed === 'continuous' && conversation.noise.kind !== 'clean';
  const roomAfterMs = continuous ? AFTER_LINE_MS : 0;
  const recognition = stages.stt.createStream();
  const detection = stages.vad.createStream();
  const settings = {
    ...config.turn,
    vadHangoverMs: config.vad.minSilenceMs,
    vadPrefixMs: config.vad.prefixPaddingMs,
  };
  const peek = stages.peekStt.createStream();
  const turns = new CallTurns(detection, recognition, settings, stages.decodeMs, peek);
  const greeting = await bed.mix(new Int16Array((GREETING_MS - 2 * NOISE_PAD_MS) * 48));
  turns.hearGreeting(await resampleTo16k(greeting.pcm, 48_000));
  const session = stages.dialog.createSession();
  const lines: LineRecord[] = [];
  try {
    await runDialogCall(conversation, {
      session,
      greeting: config.greeting,
      menu: config.menu,
      hear: async (utterance, agentReply) => {
        const { voice, wpm } = conversation;
        const audio = await renderUtterance(utterance, voice, wpm, bed, dir, roomAfterMs);
        const expecting = listeningFor(agentReply);
        const pcm = await resampleTo16k(audio.pcm, 48_000);
        const line = await turns.play({ pcm, piecesMs: audio.piecesMs, roomAfterMs }, expecting);
        lines.push({
          call: conversation.index,
          voice: conversation.voice.name,
          noise: noiseLabel(conversation.noise),
          expecting,
          said: utterance.segments,
          pausesMs: utterance.pausesMs,
          ...line,
        });
        // what the dialog hears: the whole line, as TurnTaker gives it the finals of one turn
        const scores = line.finals.map((f) => f.confidence);
        return {
          text: line.finals.map((f) => f.text.trim()).join(', '),
          alternatives: line.finals.length === 1 ? (line.finals[0]?.alternatives ?? []) : [],
          confidence: scores.length === 0 ? 0 : Math.min(...scores),
        };
      },
    });
  } finally {
    session.close();
    recognition.close();
    peek.close();
    detection.close();
  }
  return lines;
}

async function main(): Promise<void> {
  const { decodeMs, rest } = splitDecode(process.argv.slice(2));
  const options = parseOptions(['--calls', '12', ...rest]);
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const stages: Stages = {
    config,
    dialog: await createDialog(config),
    // Live, audio comes in real time and a partial every 250 ms of it, the last one about the whole segment (what
    // judgedText reads); fed faster than real time, partials are asked for on every frame to keep that last one.
    stt: await PocketSphinxStt.create({ domain: config, partialIntervalMs: 0 }),
    peekStt: await PocketSphinxStt.create({ domain: config, partialIntervalMs: 0 }),
    vad: await createVad(config.vad, { fallback: false }),
    decodeMs,
    bed: options.bed,
    dir: await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-endpoint-')),
  };
  const lines: LineRecord[] = [];
  const started = performance.now();
  try {
    for (let index = options.from; index < options.from + options.calls; index++) {
      const conversation = conversationAt(options, config, index);
      const played = await playCall(conversation, stages);
      lines.push(...played);
      progress(
        `${index + 1}/${options.from + options.calls} ${conversation.voice.name} ${noiseLabel(conversation.noise)}: ` +
          `${played.length} lines, ${played.filter((l) => l.ends.some((e) => e.afterSpeechMs < 0)).length} cut ` +
          `(${Math.round((performance.now() - started) / 1000)} s)`,
      );
    }
  } finally {
    stages.stt.close();
    stages.peekStt.close();
    stages.vad.close();
    await rm(stages.dir, { recursive: true, force: true });
  }
  await writeBenchResult(
    RESULTS,
    {
      seed: options.seed,
      from: options.from,
      bed: options.bed,
      decode_ms: decodeMs,
      ...summarizeLines(lines),
    },
    ['by_expecting', 'cuts', 'per_line'],
  );
}

runBench(() => withOptionsErrors('bench:endpoint', main));
