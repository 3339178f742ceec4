/**
 * Extraction accuracy on the hand-written corpus (bench/fixtures/transcripts): the rules extractor always, and the
 * configured LLM extractor too when DEEPSEEK_API_KEY or LLM_MODEL_PATH is set. Prints JSON and writes
 * bench/results/extraction.json.
 *
 * field_accuracy: share of correct customer.name, customer.address and customer.phone over all calls (compared
 * after normalising case, punctuation, street-type abbreviations and phone formatting; null = null counts).
 * items_f1: micro-averaged F1 over (name, size, quantity) tuples.
 * Calls whose id contains "holdout" were written after the rules were tuned on the others; `subsets` scores both apart.
 *
 * `--asr flite|espeak-ng`: the caller lines are first spoken by that voice and recognised by PocketSphinx, as in a
 * real call; writes bench/results/extraction-asr.json with the word error rate.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { wordErrorRate } from '../agent-worker/src/stages/stt/wordErrorRate.ts';
import { synthesizeSpeech, type TestVoice } from '../agent-worker/test/stages/fixtures/speech.ts';
import { defaultAgent, RulesExtractor } from '../server/src/extraction/rules/index.ts';
import {
  type ExtractionResult,
  type Extractor,
  TranscriptFileSchema,
} from '../server/src/extraction/schema.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.join(HERE, 'fixtures', 'transcripts');
const RESULT_FILE = path.join(HERE, 'results', 'extraction.json');
const ASR_RESULT_FILE = path.join(HERE, 'results', 'extraction-asr.json');

interface Expected {
  customer: { name: string | null; address: string | null; phone: string | null };
  items: Array<{ name: string; size: string | null; quantity: number }>;
}

const ABBREVIATIONS: Readonly<Record<string, string>> = {
  st: 'street',
  ave: 'avenue',
  av: 'avenue',
  rd: 'road',
  ln: 'lane',
  dr: 'drive',
  blvd: 'boulevard',
  ct: 'court',
  pl: 'place',
  apartment: 'apt',
  unit: 'apt',
  suite: 'apt',
  no: 'apt',
  pkwy: 'parkway',
  hwy: 'highway',
};

export function normaliseName(value: string | null): string | null {
  if (value === null) return null;
  return (
    value
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, '')
      .replace(/\s+/g, ' ')
      .trim() || null
  );
}

export function normaliseAddress(value: string | null): string | null {
  if (value === null) return null;
  const words = value
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  return words.map((w) => ABBREVIATIONS[w] ?? w).join(' ') || null;
}

export function normalisePhone(value: string | null): string | null {
  if (value === null) return null;
  const digits = value.replace(/\D/g, '');
  return (digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits) || null;
}

export interface Score {
  fieldsCorrect: number;
  fields: number;
  /** 1 per field that was right. */
  byField: { name: number; address: number; phone: number };
  itemsMatched: number;
  itemsPredicted: number;
  itemsExpected: number;
  misses: string[];
}

export function scoreCall(result: ExtractionResult, expected: Expected): Score {
  const misses: string[] = [];
  const fields: Array<[string, (v: string | null) => string | null, string | null, string | null]> = [
    ['name', normaliseName, result.customer.name, expected.customer.name],
    ['address', normaliseAddress, result.customer.address, expected.customer.address],
    ['phone', normalisePhone, result.customer.phone, expected.customer.phone],
  ];
  let fieldsCorrect = 0;
  const byField = { name: 0, address: 0, phone: 0 };
  for (const [field, normalise, got, want] of fields) {
    if (normalise(got) === normalise(want)) {
      fieldsCorrect++;
      byField[field as keyof typeof byField]++;
    } else {
      misses.push(`${field}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
  }
  const key = (i: { name: string; size: string | null; quantity: number }) =>
    `${i.name.toLowerCase()}|${i.size?.toLowerCase() ?? ''}|${i.quantity}`;
  const remaining = expected.items.map(key);
  let itemsMatched = 0;
  for (const item of result.items) {
    const at = remaining.indexOf(key(item));
    if (at >= 0) {
      remaining.splice(at, 1);
      itemsMatched++;
    } else {
      misses.push(`extra item ${key(item)}`);
    }
  }
  for (const missing of remaining) misses.push(`missing item ${missing}`);
  return {
    fieldsCorrect,
    fields: 3,
    byField,
    itemsMatched,
    itemsPredicted: result.items.length,
    itemsExpected: expected.items.length,
    misses,
  };
}

interface CorpusCall {
  id: string;
  transcript: ReturnType<typeof TranscriptFileSchema.parse>;
  expected: Expected;
}

export function loadCorpus(dir = CORPUS): CorpusCall[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
    .sort()
    .map((file) => {
      const id = file.replace(/\.json$/, '');
      return {
        id,
        transcript: TranscriptFileSchema.parse(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))),
        expected: JSON.parse(readFileSync(path.join(dir, `${id}.expected.json`), 'utf8')) as Expected,
      };
    });
}

export async function evaluate(extractor: Extractor, calls: readonly CorpusCall[]) {
  const totals = { fieldsCorrect: 0, fields: 0, itemsMatched: 0, itemsPredicted: 0, itemsExpected: 0 };
  const byField = { name: 0, address: 0, phone: 0 };
  const failures: Record<string, string[]> = {};
  const started = performance.now();
  for (const [n, call] of calls.entries()) {
    const result = await extractor.extract(call.transcript, AbortSignal.timeout(120_000));
    const score = scoreCall(result, call.expected);
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += score[k];
    for (const k of Object.keys(byField) as Array<keyof typeof byField>) byField[k] += score.byField[k];
    if (score.misses.length > 0) failures[call.id] = score.misses;
    process.stderr.write(
      `[${extractor.source}] ${n + 1}/${calls.length} ${call.id}${score.misses.length ? ` (${score.misses.length} misses)` : ''}\n`,
    );
  }
  const precision = totals.itemsPredicted === 0 ? 0 : totals.itemsMatched / totals.itemsPredicted;
  const recall = totals.itemsExpected === 0 ? 0 : totals.itemsMatched / totals.itemsExpected;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: calls.length,
    source: extractor.source,
    field_accuracy: round(totals.fields === 0 ? 0 : totals.fieldsCorrect / totals.fields),
    field_accuracy_by_field: {
      name: round(byField.name / Math.max(1, calls.length)),
      address: round(byField.address / Math.max(1, calls.length)),
      phone: round(byField.phone / Math.max(1, calls.length)),
    },
    items_f1: round(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
    items_precision: round(precision),
    items_recall: round(recall),
    ms_per_call: round((performance.now() - started) / Math.max(1, calls.length)),
    failures,
  };
}

/**
 * The corpus as the voice pipeline would hear it: every caller line spoken by a local TTS voice and recognised by
 * PocketSphinx with the agent's domain language model. Agent lines stay as written (they are the agent's own text).
 */
async function throughAsr(
  calls: readonly CorpusCall[],
  voice: TestVoice,
): Promise<{ calls: CorpusCall[]; wer: number }> {
  const { PocketSphinxStt } = await import('../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts');
  const stt = await PocketSphinxStt.create({ domain: defaultAgent() });
  const stream = stt.createStream();
  const finals = stream[Symbol.asyncIterator]();
  const pairs: Array<{ reference: string; hypothesis: string }> = [];
  const heard: CorpusCall[] = [];
  try {
    for (const [n, call] of calls.entries()) {
      const transcript: CorpusCall['transcript'] = [];
      for (const line of call.transcript) {
        if (line.speaker !== 'customer' || line.text.trim() === '') {
          transcript.push(line);
          continue;
        }
        const pcm = await synthesizeSpeech(line.text, voice);
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
      heard.push({ ...call, transcript });
      process.stderr.write(`[asr ${voice}] ${n + 1}/${calls.length} ${call.id}\n`);
    }
  } finally {
    stream.close();
    stt.close();
  }
  return { calls: heard, wer: Math.round(wordErrorRate(pairs) * 1000) / 1000 };
}

/** The configured LLM extractor (H6's factory), when a key or model path is set; undefined otherwise. */
async function llmExtractor(): Promise<Extractor | undefined> {
  if (!process.env.DEEPSEEK_API_KEY && !process.env.LLM_MODEL_PATH) return undefined;
  const { createExtractor } = await import('../server/src/extraction/factory.ts');
  const provide = createExtractor({
    deepseekBaseUrl: (process.env.DEEPSEEK_BASE_URL ?? 'https://api.deepseek.com').replace(/\/+$/, ''),
    deepseekModel: process.env.DEEPSEEK_MODEL ?? 'deepseek-chat',
    ...(process.env.DEEPSEEK_API_KEY ? { deepseekApiKey: process.env.DEEPSEEK_API_KEY } : {}),
    ...(process.env.LLM_MODEL_PATH ? { localModelPath: process.env.LLM_MODEL_PATH } : {}),
    maxAttempts: 1,
  });
  return provide(undefined);
}

/** Scores on the whole corpus, plus apart on the held-out calls (written after the rules were tuned on the others). */
async function evaluateWithHoldout(extractor: Extractor, calls: readonly CorpusCall[]) {
  const all = await evaluate(extractor, calls);
  const holdout = calls.filter((c) => c.id.includes('holdout'));
  if (holdout.length === 0) return all;
  const { failures: _f1, ...tuned } = await evaluate(
    extractor,
    calls.filter((c) => !c.id.includes('holdout')),
  );
  const { failures: _f2, ...held } = await evaluate(extractor, holdout);
  return { ...all, subsets: { tuning: tuned, holdout: held } };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { asr: { type: 'string' } } });
  const calls = loadCorpus();
  if (values.asr !== undefined) {
    if (values.asr !== 'flite' && values.asr !== 'espeak-ng')
      throw new Error('--asr takes flite or espeak-ng');
    // Caller speech through TTS and ASR first: what extraction sees after a real voice call.
    const heard = await throughAsr(calls, values.asr);
    // What the recogniser heard, kept for looking into misses.
    writeFileSync(
      ASR_RESULT_FILE.replace('.json', '-transcripts.json'),
      `${JSON.stringify(heard.calls, null, 1)}\n`,
    );
    const { failures, ...rules } = await evaluateWithHoldout(new RulesExtractor(), heard.calls);
    // The corpus's agent lines are a perfect agent's: its read-backs are right. Without them, caller turns alone.
    const { failures: _, ...callerTurnsOnly } = await evaluateWithHoldout(
      new RulesExtractor({ trustReadBack: false }),
      heard.calls,
    );
    const output = {
      ...rules,
      asr: { engine: 'pocketsphinx', voice: values.asr, word_error_rate: heard.wer },
      without_read_back: callerTurnsOnly,
      failures,
    };
    writeFileSync(ASR_RESULT_FILE, `${JSON.stringify(output, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    const rules = await evaluateWithHoldout(new RulesExtractor(), calls);
    const llm = await llmExtractor();
    const output = { ...rules, ...(llm ? { llm: await evaluateWithHoldout(llm, calls) } : {}) };
    writeFileSync(RESULT_FILE, `${JSON.stringify(output, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  }
}
