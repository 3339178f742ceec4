/**
 * Slot recognition benchmark: `npm run bench:slots -- [--calls N] [--seed S] [--voices a,b] [--snr clean,20]`.
 * The fast offline loop under bench:robustness (no browser, no SFU, no VAD): the robustness generator's conversations
 * (voices, speaking rates, noise) give the caller's answer to each question the agent asks; each answer, synthesized
 * and mixed exactly as the robustness caller's, is fed to the pizzeria agent's PocketSphinx recogniser at 16 kHz
 * with the slot model the pipeline would have active after that question, one stream per conversation (as one call).
 * What it heard is parsed by the agent's NLU and compared with what the caller meant: name exact, address (house
 * number, street and suffix), phone digits, yes, order lines (item, size, quantity), size, a spelled first name.
 *
 * accuracy: after the dialog's n-best rescoring (rescoreHypotheses); accuracy_top1: the recogniser's best alone.
 * name_sounds_alike: names heard exactly or as a name said alike ("jonathon" for Jonathan; CMUdict).
 * confirm_signals: how well the recogniser's confidence and the n-best agreement on the answer tell right answers
 * from wrong ones (share right above and below a threshold): what the dialog can confirm on instead of guessing;
 * house_number: the addresses whose number the dialog would check digit by digit, right and wrong ones
 * (houseNumberDoubt.ts; `npm run bench:slots:doubt -- slots.json` reads a saved run again).
 * final_latency_ms: endUtterance -> final, audio fed in 20 ms frames at SLOTS_SPEED x real time (default 4) but its
 * last 800 ms in real time, so that the decoder has caught up when the caller stops, as in a call; a stream's first
 * utterance (decoded twice, see PocketSphinxStream) apart.
 * cpu_ms_per_audio_s: the process's CPU time (every thread: both decoders when a grammar runs beside the slot
 * model, see ParallelGrammar) per second of the answer's audio, per slot. SLOTS_GRAMMARS: the slots decoded with a
 * grammar beside their slot model (comma-separated: phone,name,yesno; "none" for the slot models alone; default the
 * recogniser's own DEFAULT_GRAMMAR_SLOTS), for comparison on the same code. SLOTS_ONLY: the slots scored
 * (comma-separated slot kinds, default all), for a quicker run on one of them.
 * name_parts: of the whole names said, the share whose first name, last name and both were right, and the share
 * heard as the first name alone (the last name lost).
 * Writes bench/results/slots.json; one summary line on stdout, progress on stderr.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { Nlu } from '@voiceroom/agent-core/nlu';
import type { SttEvent, SttStream } from '@voiceroom/agent-core/stages';
import { GRAMMAR_SLOTS, type GrammarSlot } from '../../agent-worker/src/stages/stt/grammar/slotGrammars.ts';
import {
  DEFAULT_GRAMMAR_SLOTS,
  DEFAULT_POCKETSPHINX_MODEL,
  PocketSphinxStt,
} from '../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { resampleTo16k } from '../../agent-worker/test/stages/fixtures/speech.ts';
import { runBench, writeBenchResult } from '../benchResult.ts';
import { NoiseBed, renderUtterance } from '../robustness/callerAudio.ts';
import { ALL_VOICES, noiseLabel } from '../robustness/conversation.ts';
import { conversationAt, OptionsError, parseOptions, withOptionsErrors } from '../robustness/options.ts';
import { spread } from '../spread.ts';
import { houseNumberDoubt } from './houseNumberDoubt.ts';
import {
  readPronunciations,
  SLOT_KINDS,
  type SlotCase,
  type SlotKind,
  score,
  slotCases,
  soundsAlike,
} from './slotCases.ts';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(ROOT, '..', 'results', 'slots.json');
const SPEED = Number(process.env.SLOTS_SPEED ?? 4);
const FRAME = 320;
const TAIL_MS = 800;
const progress = (message: string) => process.stderr.write(`[bench:slots] ${message}\n`);

interface Outcome {
  conversation: number;
  voice: string;
  snr: string;
  wpm: number;
  slot: SlotKind;
  said: string;
  heard: string;
  alternatives: readonly string[];
  expected: string;
  parsed: string;
  correct: boolean;
  correct_top1: boolean;
  /** The name heard as one said alike (see soundsAlike); name slot only. */
  sounds_alike?: boolean;
  confidence: number;
  agreement: number;
  latency_ms: number;
  /** Recognition CPU (ms, all threads) per second of the answer's audio. */
  cpu_ms_per_audio_s: number;
  first_utterance: boolean;
}

/** The slots an environment variable lists (comma-separated; "none" for none), `fallback` when unset. */
function slotsSetting<T extends string>(
  variable: string,
  allowed: readonly T[],
  fallback: readonly T[],
): readonly T[] {
  const setting = process.env[variable];
  if (setting === undefined) return fallback;
  if (setting === 'none') return [];
  const slots = setting.split(',').filter(Boolean);
  for (const slot of slots)
    if (!(allowed as readonly string[]).includes(slot))
      throw new OptionsError(`${variable}: no slot "${slot}" (${allowed.join(', ')} or none)`);
  return slots as T[];
}

/** Of whole names said ("first last"), the share with the first name, the last name and both right, and the first name alone. */
function nameParts(names: readonly Outcome[]) {
  const whole = names.filter((o) => o.expected.split(' ').length === 2);
  const share = (right: (want: string[], got: string[]) => boolean) =>
    Number(
      (
        whole.filter((o) => right(o.expected.split(' '), o.parsed.split(' '))).length /
        Math.max(1, whole.length)
      ).toFixed(3),
    );
  return {
    n: whole.length,
    whole: share((want, got) => want.join(' ') === got.join(' ')),
    first: share((want, got) => got[0] === want[0]),
    last: share((want, got) => got.length > 1 && got.at(-1) === want[1]),
    first_alone: share((want, got) => got.length === 1 && got[0] === want[0]),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Feeds `pcm` in 20 ms frames, SPEED x real time but its last TAIL_MS in real time (so the decoder has caught up
 * when the caller stops, as in a call, whatever the machine's load), then ends the utterance.
 */
async function recognise(stream: SttStream, events: AsyncIterator<SttEvent>, pcm: Int16Array) {
  const tailFrom = pcm.length - (TAIL_MS / 1000) * 16_000;
  for (let i = 0; i < pcm.length; i += FRAME) {
    stream.pushAudio(pcm.subarray(i, i + FRAME));
    await sleep(i >= tailFrom ? 20 : 20 / SPEED);
  }
  stream.endUtterance();
  for (let r = await events.next(); !r.done; r = await events.next())
    if (r.value.type === 'final') return r.value;
  throw new Error('the recognition stream ended without a final');
}

function ratio(outcomes: readonly Outcome[], key: 'correct' | 'correct_top1'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const slot of SLOT_KINDS) {
    const of = outcomes.filter((o) => o.slot === slot);
    if (of.length > 0) out[slot] = Number((of.filter((o) => o[key]).length / of.length).toFixed(3));
  }
  const all = outcomes.filter((o) => o[key]).length / Math.max(1, outcomes.length);
  out.all = Number(all.toFixed(3));
  return out;
}

/**
 * Whether a signal tells right answers from wrong ones: the share of right answers among those at or above
 * `threshold` and among those below, and how many fall below (what a dialog confirming below it would confirm).
 */
function separates(outcomes: readonly Outcome[], signal: 'confidence' | 'agreement', threshold: number) {
  const share = (of: Outcome[]) =>
    Number((of.filter((o) => o.correct).length / Math.max(1, of.length)).toFixed(3));
  const above = outcomes.filter((o) => o[signal] >= threshold);
  const below = outcomes.filter((o) => o[signal] < threshold);
  return { threshold, right_above: share(above), right_below: share(below), below: below.length };
}

function grouped(outcomes: readonly Outcome[], by: 'voice' | 'snr') {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) groups.set(o[by], [...(groups.get(o[by]) ?? []), o]);
  return Object.fromEntries([...groups].map(([key, of]) => [key, ratio(of, 'correct')]));
}

async function main(): Promise<void> {
  const options = parseOptions(['--calls', String(ALL_VOICES.length * 5), ...process.argv.slice(2)]);
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const nlu = new Nlu({ menu: config.menu.items, knowledge: config.knowledge });
  const pronunciations = readPronunciations(
    await readFile(path.join(DEFAULT_POCKETSPHINX_MODEL, 'cmudict-en-us.dict'), 'utf8'),
  );
  const started = performance.now();
  const grammars = slotsSetting<GrammarSlot>('SLOTS_GRAMMARS', GRAMMAR_SLOTS, DEFAULT_GRAMMAR_SLOTS);
  const only = slotsSetting('SLOTS_ONLY', SLOT_KINDS, SLOT_KINDS);
  const stt = await PocketSphinxStt.create({ domain: config, grammarSlots: grammars });
  progress(
    `recogniser ready in ${Math.round(performance.now() - started)} ms; ${options.calls} conversations`,
  );
  const dir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-slots-'));
  const outcomes: Outcome[] = [];
  try {
    for (let index = 0; index < options.calls; index++) {
      const conversation = conversationAt(options, config, index);
      const bed = new NoiseBed(
        conversation.noise,
        dir,
        ALL_VOICES.filter((v) => v.name !== conversation.voice.name).slice(0, 4),
      );
      const cases = slotCases(conversation).filter((c) => only.includes(c.slot));
      const audio = await Promise.all(
        cases.map(async (c: SlotCase) => {
          const rendered = await renderUtterance(c.utterance, conversation.voice, conversation.wpm, bed, dir);
          return resampleTo16k(rendered.pcm, 48_000);
        }),
      );
      const stream = stt.createStream();
      const events = stream[Symbol.asyncIterator]();
      for (const [i, c] of cases.entries()) {
        stream.expect?.(c.listenFor);
        const pcm = audio[i] as Int16Array;
        const cpuBefore = process.cpuUsage();
        const final = await recognise(stream, events, pcm);
        const cpu = process.cpuUsage(cpuBefore);
        if (final.type !== 'final') continue;
        const scored = score(nlu, c, { text: final.text, alternatives: final.alternatives ?? [] });
        outcomes.push({
          conversation: index,
          voice: `${conversation.voice.engine}:${conversation.voice.name}`,
          snr: noiseLabel(conversation.noise),
          wpm: conversation.wpm,
          slot: c.slot,
          said: c.utterance.segments.join(' '),
          alternatives: final.alternatives ?? [],
          expected: c.expected,
          confidence: Number(final.confidence.toFixed(3)),
          latency_ms: Number(final.latencyMs.toFixed(1)),
          cpu_ms_per_audio_s: Number(((cpu.user + cpu.system) / 1000 / (pcm.length / 16_000)).toFixed(1)),
          first_utterance: i === 0,
          ...scored,
          ...(c.slot === 'name'
            ? { sounds_alike: soundsAlike(c.expected, scored.parsed, pronunciations) }
            : {}),
        });
      }
      stream.close();
      const mine = outcomes.filter((o) => o.conversation === index);
      progress(
        `${index + 1}/${options.calls} ${conversation.voice.name} ${noiseLabel(conversation.noise)}: ` +
          `${mine.filter((o) => o.correct).length}/${mine.length} slots`,
      );
    }
  } finally {
    stt.close();
    await rm(dir, { recursive: true, force: true });
  }
  const names = outcomes.filter((o) => o.slot === 'name');
  const latency = (of: Outcome[]) => spread(of.map((o) => o.latency_ms));
  await writeBenchResult(
    RESULTS,
    {
      conversations: options.calls,
      seed: options.seed,
      grammars,
      cases: outcomes.length,
      speed: SPEED,
      accuracy: ratio(outcomes, 'correct'),
      accuracy_top1: ratio(outcomes, 'correct_top1'),
      name_parts: nameParts(names),
      name_sounds_alike: Number(
        (names.filter((o) => o.sounds_alike).length / Math.max(1, names.length)).toFixed(3),
      ),
      final_latency_ms: {
        later: latency(outcomes.filter((o) => !o.first_utterance)),
        first_utterance: latency(outcomes.filter((o) => o.first_utterance)),
        later_by_slot: Object.fromEntries(
          SLOT_KINDS.map((slot) => [
            slot,
            latency(outcomes.filter((o) => !o.first_utterance && o.slot === slot)),
          ]),
        ),
      },
      cpu_ms_per_audio_s: Object.fromEntries(
        SLOT_KINDS.map((slot) => [
          slot,
          spread(outcomes.filter((o) => o.slot === slot).map((o) => o.cpu_ms_per_audio_s)),
        ]),
      ),
      confirm_signals: {
        confidence: separates(outcomes, 'confidence', 0.1),
        agreement: separates(outcomes, 'agreement', 0.6),
        house_number: houseNumberDoubt(nlu, outcomes),
      },
      by_voice: grouped(outcomes, 'voice'),
      by_snr: grouped(outcomes, 'snr'),
      per_case: outcomes,
    },
    ['per_case', 'by_voice', 'by_snr'],
  );
}

runBench(() => withOptionsErrors('bench:slots', main));
