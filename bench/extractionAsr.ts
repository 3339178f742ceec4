/**
 * Extraction after a voice call: `npm run bench:extraction:asr`. The blind set (the headline) and the tuning set of
 * bench/extraction.ts, every caller line first said by a local caller voice (the voice list bench:voice uses) and
 * recognised by PocketSphinx with the agent's domain language model, one recognition stream per call as in a real
 * call; agent lines stay as written (they are the agent's own text). Then scored by the rules extractor with the
 * agent's read-back trusted (the product default) and without it.
 *
 * Voices: every call is said by VOICES_PER_CALL (default 3) voices in rotation (bench/perVoice.ts `rotation`: call i,
 * counted over the blind then the tuning set, by voices i*k .. i*k+k-1 of the list, wrapping), so every voice says
 * about the same number of calls and the run stays within ~15 minutes; VOICES_PER_CALL=99 says every call in every
 * voice. Per voice figures are therefore over different calls; the headline pools every (call, voice) run of a set.
 * Writes bench/results/extraction-asr.json (and -transcripts.json, what the recogniser heard); prints the JSON.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultAgent } from '@voiceroom/agent-core/agents';
import { PocketSphinxStt } from '../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { RulesExtractor } from '../server/src/extraction/rules/index.ts';
import type { Extractor } from '../server/src/extraction/schema.ts';
import { speak16k } from './asrSpeech.ts';
import { type CorpusCall, evaluate, loadSets } from './extraction.ts';
import { type Recognised, rotation, werByVoice } from './perVoice.ts';
import { availableCallerVoices, type CallerVoice, voiceLabel } from './voiceScenario.ts';

const RESULT_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'extraction-asr.json');
const VOICES_PER_CALL = Number(process.env.VOICES_PER_CALL ?? 3);

interface Heard {
  voice: string;
  call: CorpusCall;
  pairs: Recognised[];
}

/** One call as the pipeline would hear it from `voice`: each caller line synthesized, then recognised. */
async function hear(stt: PocketSphinxStt, call: CorpusCall, voice: CallerVoice): Promise<Heard> {
  const stream = stt.createStream();
  const finals = stream[Symbol.asyncIterator]();
  const pairs: Recognised[] = [];
  const transcript: CorpusCall['transcript'] = [];
  try {
    for (const line of call.transcript) {
      if (line.speaker !== 'customer' || line.text.trim() === '') {
        transcript.push(line);
        continue;
      }
      const pcm = await speak16k(line.text, voice);
      for (let i = 0; i < pcm.length; i += 320) stream.pushAudio(pcm.subarray(i, i + 320));
      stream.endUtterance();
      let text = '';
      for (let next = await finals.next(); !next.done; next = await finals.next()) {
        if (next.value.type === 'final') {
          text = next.value.text;
          break;
        }
      }
      pairs.push({ reference: line.text, hypothesis: text });
      transcript.push({ speaker: 'customer', text });
    }
  } finally {
    stream.close();
  }
  return { voice: voiceLabel(voice), call: { ...call, transcript }, pairs };
}

const headline = (r: Awaited<ReturnType<typeof evaluate>>) => ({
  n: r.n,
  field_accuracy: r.field_accuracy,
  present_fields: r.present_fields,
  null_fields: r.null_fields,
  items_f1: r.items_f1,
});

/** A set's heard calls scored over all voices (pooled) and per voice, with and without read-back. */
async function scoreSet(heard: readonly Heard[], extractors: Record<string, Extractor>) {
  const voices = [...new Set(heard.map((h) => h.voice))];
  const out: Record<string, unknown> = {};
  for (const [mode, extractor] of Object.entries(extractors)) {
    const { failures: _f, ...all } = await evaluate(
      extractor,
      heard.map((h) => h.call),
    );
    const perVoice: Record<string, unknown> = {};
    for (const voice of voices) {
      const calls = heard.filter((h) => h.voice === voice).map((h) => h.call);
      perVoice[voice] = headline(await evaluate(extractor, calls));
    }
    out[mode] = { ...all, per_voice: perVoice };
  }
  return {
    ...out,
    word_error_rate: werByVoice(
      new Map(voices.map((v) => [v, heard.filter((h) => h.voice === v).flatMap((h) => h.pairs)])),
    ),
  };
}

async function main(): Promise<void> {
  const voices = await availableCallerVoices();
  const { blind, tuning } = loadSets();
  const stt = await PocketSphinxStt.create({ domain: defaultAgent() });
  const heard: { blind: Heard[]; tuning: Heard[] } = { blind: [], tuning: [] };
  let index = 0;
  try {
    for (const [set, calls] of [
      ['blind', blind],
      ['tuning', tuning],
    ] as const) {
      for (const call of calls) {
        for (const voice of rotation(index++, voices, VOICES_PER_CALL)) {
          heard[set].push(await hear(stt, call, voice));
          process.stderr.write(`[asr] ${set} ${call.id} ${voiceLabel(voice)}\n`);
        }
      }
    }
  } finally {
    stt.close();
  }
  writeFileSync(
    RESULT_FILE.replace('.json', '-transcripts.json'),
    `${JSON.stringify(
      [...heard.blind, ...heard.tuning].map((h) => ({ voice: h.voice, ...h.call })),
      null,
      1,
    )}\n`,
  );
  const extractors = {
    with_read_back: new RulesExtractor(),
    without_read_back: new RulesExtractor({ trustReadBack: false }),
  };
  const output = {
    headline_set: 'blind',
    blind: await scoreSet(heard.blind, extractors),
    tuning: await scoreSet(heard.tuning, extractors),
    asr: {
      engine: 'pocketsphinx',
      voices: voices.map(voiceLabel),
      voices_per_call: Math.min(VOICES_PER_CALL, voices.length),
      rotation: 'call i (blind then tuning) said by voices i*k .. i*k+k-1 of the list, wrapping',
    },
    machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((l) => Number(l.toFixed(2))) },
    at: new Date().toISOString(),
  };
  writeFileSync(RESULT_FILE, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

await main();
