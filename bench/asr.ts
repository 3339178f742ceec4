/**
 * Speech recognition benchmark: `npm run bench:asr`. PocketSphinx with the pizzeria agent's generated language model
 * on in-domain caller lines held out of its corpus (bench/utterances.ts ASR_LINES) said by every local caller voice
 * (the voice list bench:voice uses: flite's and espeak-ng's English voices), against the general en-us model as a
 * baseline, for a few general-vocabulary weights; plus the real human clips (/work/shared/speech/real or
 * SPEECH_DIR), out of domain, reported beside the voices and never in their headline.
 *
 * wer (call): word error rate per voice with one recognition stream per voice, as in a call (the stream's cepstral
 * normalisation adapts to the caller); the headline pools every voice's errors over every voice's words and names
 * the worst voice. cold: a fresh stream per utterance, i.e. every utterance is a call's first, with and without the
 * second decoding pass of a stream's first utterance.
 * rtf: decode time / audio time (audio pushed as fast as it decodes).
 * following_dialog: the default model's WER when each utterance is decoded with the slot model of the question it
 * answers (as the pipeline does after each agent question), the slot judged from the reference text by the NLU.
 * final_latency_ms: endUtterance -> final with audio paced in real time (what a caller waits for), per voice over
 * its first LATENCY_LINES (4) lines on a fresh stream with a new decoder: a call's first utterance (second pass
 * included) apart from later ones, and the first utterances' WER. final_latency_ms_reused_decoder: the same with
 * each voice's call on the decoder the previous voice's call left (as calls in one worker process share them), so
 * its means come adapted from another caller and there is no second pass.
 * ASR_MODELS (comma-separated names, default all; empty for none) bounds the run: over 13 voices the general model
 * alone decodes ~13 minutes of audio. ASR_SKIP=following,cold leaves those sections out. Prints one JSON line and writes bench/results/asr.json. Progress goes to stderr.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { Nlu } from '@voiceroom/agent-core/nlu';
import type { Stt, SttEvent, SttExpectation, SttStream } from '@voiceroom/agent-core/stages';
import { PocketSphinxStt } from '../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { wordErrorRate } from '../agent-worker/src/stages/stt/wordErrorRate.ts';
import { realUtterances, speak16k, type Utterance } from './asrSpeech.ts';
import { finalLatency, type Recognised, werByVoice } from './perVoice.ts';
import { ASR_LINES as UTTERANCES } from './utterances.ts';
import { availableCallerVoices, voiceLabel } from './voiceScenario.ts';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(ROOT, 'results', 'asr.json');
const SPEECH_DIR = process.env.SPEECH_DIR ?? '/work/shared/speech/real';
const LATENCY_LINES = Number(process.env.LATENCY_LINES ?? 4);
const progress = (message: string) => process.stderr.write(`[bench:asr] ${message}\n`);

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
  return { pairs, decodeMs, audioMs };
}

interface Score {
  pairs: Recognised[];
  decodeMs: number;
  audioMs: number;
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

/** Per voice word error rates over every voice, the real clips beside them, and the real-time factor. */
async function scoreAll(
  stt: Stt,
  voices: ReadonlyMap<string, Utterance[]>,
  real: Utterance[],
  mode: 'call' | 'cold',
) {
  const byVoice = new Map<string, Recognised[]>();
  let decodeMs = 0;
  let audioMs = 0;
  for (const [voice, set] of voices) {
    const s = await score(stt, set, mode);
    byVoice.set(voice, s.pairs);
    decodeMs += s.decodeMs;
    audioMs += s.audioMs;
  }
  const realScore = await score(stt, real, mode);
  const misrecognised = [...byVoice].flatMap(([voice, pairs]) =>
    pairs.filter((p) => wordErrorRate([p]) > 0).map((p) => ({ voice, ...p })),
  );
  return {
    ...werByVoice(byVoice),
    real_speech_out_of_domain: {
      wer: round(wordErrorRate(realScore.pairs)),
      clips: real.length,
    },
    rtf: round(decodeMs / audioMs),
    misrecognised,
  };
}

async function main(): Promise<void> {
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const voices = new Map<string, Utterance[]>();
  for (const voice of await availableCallerVoices()) {
    progress(`synthesising ${UTTERANCES.length} utterances with ${voiceLabel(voice)}`);
    const set: Utterance[] = [];
    for (const reference of UTTERANCES) set.push({ reference, pcm: await speak16k(reference, voice) });
    voices.set(voiceLabel(voice), set);
  }
  const real = await realUtterances(SPEECH_DIR);

  const models: Record<string, () => Promise<Stt>> = {
    general_en_us: () => PocketSphinxStt.create(),
    domain_w0: () => PocketSphinxStt.create({ domain: config, generalWeight: 0 }),
    domain_w0_05: () => PocketSphinxStt.create({ domain: config, generalWeight: 0.05 }),
    domain_w0_2: () => PocketSphinxStt.create({ domain: config, generalWeight: 0.2 }),
  };
  const results: Record<string, unknown> = {};
  const compact: Record<string, unknown> = {};
  const chosen = (process.env.ASR_MODELS?.split(',') ?? Object.keys(models)).filter((m) => m !== '');
  const skipped = new Set(process.env.ASR_SKIP?.split(',') ?? []);
  for (const name of chosen) {
    const make = models[name];
    if (!make) throw new Error(`ASR_MODELS: no model ${name}; choose from ${Object.keys(models).join(', ')}`);
    const started = performance.now();
    const stt = await make();
    const loadMs = round(performance.now() - started, 1);
    progress(`${name}: loaded in ${loadMs} ms, scoring ${voices.size} voices and ${real.length} real clips`);
    const scored = await scoreAll(stt, voices, real, 'call');
    stt.close();
    results[name] = { load_ms: loadMs, ...scored };
    compact[name] = {
      wer: scored.wer,
      worst: scored.worst_voice,
      real: scored.real_speech_out_of_domain.wer,
      rtf: scored.rtf,
    };
    progress(
      `${name}: WER ${scored.wer} over ${voices.size} voices, real ${scored.real_speech_out_of_domain.wer}`,
    );
  }

  progress('following the dialog: each utterance decoded with the slot model of its question');
  const nlu = new Nlu({ menu: config.menu.items, knowledge: config.knowledge });
  const listenFor = (reference: string) => slotAnswered(nlu, reference);
  const following = await PocketSphinxStt.create({ domain: config });
  const followingByVoice = new Map<string, Recognised[]>();
  for (const [voice, set] of skipped.has('following') ? [] : voices)
    followingByVoice.set(voice, (await score(following, set, 'call', listenFor)).pairs);
  following.close();
  const followingDialog = {
    ...werByVoice(followingByVoice),
    misrecognised: [...followingByVoice].flatMap(([voice, pairs]) =>
      pairs.filter((p) => wordErrorRate([p]) > 0).map((p) => ({ voice, slot: listenFor(p.reference), ...p })),
    ),
  };
  progress(`following the dialog: WER ${followingDialog.wer} over ${voices.size} voices`);

  progress('cold streams (every utterance a first utterance), with and without the second pass');
  const cold: Record<string, unknown> = {};
  for (const secondPass of skipped.has('cold') ? [] : [true, false]) {
    // no decoder reuse: every stream starts from the model's default means, as a process's first call does
    const stt = await PocketSphinxStt.create({
      domain: config,
      coldStartSecondPass: secondPass,
      idleDecoders: 0,
    });
    const { misrecognised: _m, ...scored } = await scoreAll(stt, voices, real, 'cold');
    stt.close();
    cold[secondPass ? 'second_pass' : 'single_pass'] = scored;
  }

  progress(`final latency with audio paced in real time, ${LATENCY_LINES} lines per voice`);
  // fresh: every call builds its decoder (a process's first calls); reused: each voice's call takes the decoder the
  // previous voice's call left (DecoderPool), its means adapted to another caller, so no second pass
  const latency: Record<string, ReturnType<typeof finalLatency> & { first_utterance_wer: number }> = {};
  let perVoiceLatency: Record<string, unknown> = {};
  for (const mode of ['fresh', 'reused'] as const) {
    const stt = await PocketSphinxStt.create({ domain: config, idleDecoders: mode === 'fresh' ? 0 : 4 });
    const latencyByVoice: Record<string, number[]> = {};
    const firstUtterances: Recognised[] = [];
    for (const [voice, set] of voices) {
      const stream = stt.createStream();
      const iterator = stream[Symbol.asyncIterator]();
      const latencies: number[] = [];
      for (const [i, u] of set.slice(0, LATENCY_LINES).entries()) {
        const r = await recognise(stream, iterator, u.pcm, 20);
        latencies.push(r.latencyMs);
        if (i === 0) firstUtterances.push({ reference: u.reference, hypothesis: r.text });
      }
      stream.close();
      latencyByVoice[voice] = latencies;
    }
    stt.close();
    latency[mode] = {
      ...finalLatency(Object.values(latencyByVoice)),
      first_utterance_wer: round(wordErrorRate(firstUtterances)),
    };
    if (mode === 'fresh')
      perVoiceLatency = Object.fromEntries(
        Object.entries(latencyByVoice).map(([voice, l]) => {
          const { calls: _c, ...figures } = finalLatency([l]);
          return [voice, { first_utterance: figures.first_utterance_p50, later_p50: figures.later_p50 }];
        }),
      );
    progress(`final latency (${mode} decoders): ${JSON.stringify(latency[mode])}`);
  }

  const summary = {
    bench: 'asr',
    provider: 'pocketsphinx',
    agent: config.id,
    utterances: UTTERANCES.length,
    voices: voices.size,
    default_model: 'domain_w0_05',
    models: results,
    following_dialog: followingDialog,
    cold,
    final_latency_ms: { ...latency.fresh, per_voice: perVoiceLatency },
    final_latency_ms_reused_decoder: latency.reused,
    machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((l) => round(l, 2)), node: process.version },
    at: new Date().toISOString(),
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
  const { models: _models, cold: _cold, final_latency_ms: freshLatency, ...line } = summary;
  const { per_voice: _pv, ...latencyHeadline } = freshLatency;
  const { misrecognised: _errors, ...followingWer } = followingDialog;
  console.log(
    JSON.stringify({
      ...line,
      following_dialog: followingWer,
      wer_call: compact,
      final_latency_ms: latencyHeadline,
    }),
  );
}

await main();
