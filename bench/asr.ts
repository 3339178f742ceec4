/**
 * Speech recognition benchmark: `npm run bench:asr`. PocketSphinx with the pizzeria agent's generated language model
 * on in-domain caller utterances synthesised by flite (kal16, the agent's own voice) and espeak-ng, against the
 * general en-us model as a baseline, for a few general-vocabulary weights; plus the real human clips
 * (/work/shared/speech/real or SPEECH_DIR) to show what the domain model costs out of domain.
 *
 * wer (call): pooled word error rate with one recognition stream per voice, as in a call (the stream's cepstral
 * normalisation adapts to the caller). cold: a fresh stream per utterance, i.e. every utterance is a call's first,
 * with and without the second decoding pass of a stream's first utterance.
 * rtf: decode time / audio time (audio pushed as fast as it decodes).
 * following_dialog: the default model's WER when each utterance is decoded with the slot model of the question it
 * answers (as the pipeline does after each agent question), the slot judged from the reference text by the NLU.
 * final_latency_ms: endUtterance -> final with audio paced in real time (what a caller waits for), for a call's
 * first utterance (second pass included) and for later ones.
 * Prints one JSON line and writes bench/results/asr.json. Progress goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Nlu } from '../agent-worker/src/nlu/index.ts';
import { PocketSphinxStt } from '../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { wordErrorRate } from '../agent-worker/src/stages/stt/wordErrorRate.ts';
import type { Stt, SttEvent, SttExpectation, SttStream } from '../agent-worker/src/stages/types.ts';
import {
  concat,
  parseWav,
  silence,
  synthesizeSpeech,
  type TestVoice,
} from '../agent-worker/test/stages/fixtures/speech.ts';
import { AgentConfigSchema } from '../sdk-js/src/protocol/index.ts';
import { ASR_LINES as UTTERANCES } from './utterances.ts';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(ROOT, 'results', 'asr.json');
const SPEECH_DIR = process.env.SPEECH_DIR ?? '/work/shared/speech/real';
const progress = (message: string) => process.stderr.write(`[bench:asr] ${message}\n`);

interface Utterance {
  reference: string;
  pcm: Int16Array;
}

/** Feeds one utterance (optionally paced like real time) and waits for its final. */
async function recognise(
  stream: SttStream,
  iterator: AsyncIterator<SttEvent>,
  pcm: Int16Array,
  pacedMs = 0,
): Promise<{ text: string; latencyMs: number; decodeMs: number }> {
  const started = performance.now();
  for (let i = 0; i < pcm.length; i += 320) {
    stream.pushAudio(pcm.subarray(i, i + 320));
    if (pacedMs > 0) await new Promise((r) => setTimeout(r, pacedMs));
  }
  stream.endUtterance();
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { text: '', latencyMs: Number.NaN, decodeMs: performance.now() - started };
    if (next.value.type === 'final') {
      return {
        text: next.value.text,
        latencyMs: next.value.latencyMs,
        decodeMs: performance.now() - started,
      };
    }
  }
}

/** Scores a set, with one stream for the whole set (`call`) or a fresh stream per utterance (`cold`). */
async function score(
  stt: Stt,
  set: Utterance[],
  mode: 'call' | 'cold',
  listenFor?: (reference: string) => SttExpectation,
): Promise<Score> {
  const pairs: { reference: string; hypothesis: string }[] = [];
  let decodeMs = 0;
  let audioMs = 0;
  let stream = stt.createStream();
  let iterator = stream[Symbol.asyncIterator]();
  for (const u of set) {
    if (mode === 'cold') {
      stream.close();
      stream = stt.createStream();
      iterator = stream[Symbol.asyncIterator]();
    }
    if (listenFor) stream.expect?.(listenFor(u.reference));
    const r = await recognise(stream, iterator, u.pcm);
    pairs.push({ reference: u.reference, hypothesis: r.text });
    decodeMs += r.decodeMs;
    audioMs += (u.pcm.length / 16_000) * 1000;
  }
  stream.close();
  const wrong = pairs.filter((p) => wordErrorRate([p]) > 0);
  return { wer: round(wordErrorRate(pairs)), rtf: round(decodeMs / audioMs), errors: wrong };
}

interface Score {
  wer: number;
  rtf: number;
  errors: { reference: string; hypothesis: string }[];
}

/** The question an utterance answers, as the agent would have asked it. */
function slotAnswered(nlu: Nlu, reference: string): SttExpectation {
  const u = nlu.understand(reference, 'none');
  if (u.name) return 'name';
  if (u.address) return 'address';
  if (u.phone) return 'phone';
  if ((u.yes || u.no) && u.ops.length === 0) return 'yesno';
  return 'order';
}

function round(x: number, digits = 3): number {
  return Number(x.toFixed(digits));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function realSpeech(): Promise<Utterance[]> {
  const tsv = readFileSync(path.join(SPEECH_DIR, 'TRANSCRIPTS.tsv'), 'utf8').split('\n').slice(1);
  const files = new Set(await readdir(SPEECH_DIR));
  const out: Utterance[] = [];
  for (const line of tsv) {
    const [file, transcript] = line.split('\t');
    if (!file || !transcript || !files.has(file) || transcript.includes('[')) continue;
    const wav = parseWav(readFileSync(path.join(SPEECH_DIR, file)));
    if (wav.sampleRate === 16_000) out.push({ reference: transcript, pcm: wav.samples });
  }
  return out;
}

async function main(): Promise<void> {
  const config = AgentConfigSchema.parse(
    parse(readFileSync(path.join(ROOT, '..', 'agent-worker', 'agents', 'pizzeria.yaml'), 'utf8')),
  );
  const sets: Record<TestVoice, Utterance[]> = { flite: [], 'espeak-ng': [] };
  for (const voice of ['flite', 'espeak-ng'] as const) {
    progress(`synthesising ${UTTERANCES.length} utterances with ${voice}`);
    for (const reference of UTTERANCES) {
      sets[voice].push({
        reference,
        pcm: concat(silence(200), await synthesizeSpeech(reference, voice), silence(300)),
      });
    }
  }
  const real = await realSpeech().catch(() => []);

  const models: Record<string, () => Promise<Stt>> = {
    general_en_us: () => PocketSphinxStt.create(),
    domain_w0: () => PocketSphinxStt.create({ domain: config, generalWeight: 0 }),
    domain_w0_05: () => PocketSphinxStt.create({ domain: config, generalWeight: 0.05 }),
    domain_w0_2: () => PocketSphinxStt.create({ domain: config, generalWeight: 0.2 }),
  };
  const results: Record<string, unknown> = {};
  const compact: Record<string, unknown> = {};
  for (const [name, make] of Object.entries(models)) {
    const started = performance.now();
    const stt = await make();
    const loadMs = round(performance.now() - started, 1);
    progress(`${name}: loaded in ${loadMs} ms, scoring`);
    const flite = await score(stt, sets.flite, 'call');
    const espeak = await score(stt, sets['espeak-ng'], 'call');
    const realScore = real.length > 0 ? await score(stt, real, 'call') : undefined;
    results[name] = {
      load_ms: loadMs,
      flite_kal16: { wer: flite.wer, rtf: flite.rtf },
      espeak_ng: { wer: espeak.wer, rtf: espeak.rtf },
      real_speech_out_of_domain: realScore
        ? { wer: realScore.wer, rtf: realScore.rtf, clips: real.length }
        : null,
      misrecognised: [
        ...flite.errors.map((e) => ({ voice: 'flite', ...e })),
        ...espeak.errors.map((e) => ({ voice: 'espeak-ng', ...e })),
      ],
    };
    compact[name] = { flite: flite.wer, espeak: espeak.wer, real: realScore?.wer ?? null, rtf: espeak.rtf };
    progress(
      `${name}: WER flite ${flite.wer}, espeak-ng ${espeak.wer}${realScore ? `, real ${realScore.wer}` : ''}`,
    );
  }

  progress('following the dialog: each utterance decoded with the slot model of its question');
  const nlu = new Nlu({ menu: config.menu.items, knowledge: config.knowledge });
  const listenFor = (reference: string) => slotAnswered(nlu, reference);
  const following = await PocketSphinxStt.create({ domain: config });
  const followingFlite = await score(following, sets.flite, 'call', listenFor);
  const followingEspeak = await score(following, sets['espeak-ng'], 'call', listenFor);
  const followingDialog = {
    flite_kal16: followingFlite.wer,
    espeak_ng: followingEspeak.wer,
    misrecognised: [
      ...followingFlite.errors.map((e) => ({ voice: 'flite', slot: listenFor(e.reference), ...e })),
      ...followingEspeak.errors.map((e) => ({ voice: 'espeak-ng', slot: listenFor(e.reference), ...e })),
    ],
  };
  progress(`following the dialog: WER flite ${followingFlite.wer}, espeak-ng ${followingEspeak.wer}`);

  progress('cold streams (every utterance a first utterance), with and without the second pass');
  const cold: Record<string, unknown> = {};
  for (const secondPass of [true, false]) {
    const stt = await PocketSphinxStt.create({ domain: config, coldStartSecondPass: secondPass });
    const flite = await score(stt, sets.flite, 'cold');
    const espeak = await score(stt, sets['espeak-ng'], 'cold');
    cold[secondPass ? 'second_pass' : 'single_pass'] = {
      flite_kal16: flite.wer,
      espeak_ng: espeak.wer,
      rtf_espeak: espeak.rtf,
    };
  }

  progress('final latency with audio paced in real time');
  const stt = await PocketSphinxStt.create({ domain: config });
  const stream = stt.createStream();
  const iterator = stream[Symbol.asyncIterator]();
  const latencies: number[] = [];
  for (const u of sets.flite.slice(0, 8))
    latencies.push((await recognise(stream, iterator, u.pcm, 20)).latencyMs);
  stream.close();
  const [firstLatency, ...laterLatencies] = latencies;

  const summary = {
    bench: 'asr',
    provider: 'pocketsphinx',
    agent: config.id,
    utterances: UTTERANCES.length,
    default_model: 'domain_w0_05',
    models: results,
    following_dialog: followingDialog,
    cold,
    final_latency_ms: {
      first_utterance: round(firstLatency ?? Number.NaN, 1),
      later_p50: round(percentile(laterLatencies, 50), 1),
      later_max: round(Math.max(...laterLatencies), 1),
    },
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    at: new Date().toISOString(),
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
  const { models: _models, ...line } = summary;
  const { misrecognised: _errors, ...followingWer } = followingDialog;
  console.log(JSON.stringify({ ...line, following_dialog: followingWer, wer_call: compact }));
}

await main();
