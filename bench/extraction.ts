/**
 * Extraction accuracy on the hand-written corpus (bench/fixtures/transcripts): the rules extractor always, and the
 * configured LLM extractor too when DEEPSEEK_API_KEY or LLM_MODEL_PATH is set. Prints JSON and writes
 * bench/results/extraction.json.
 *
 * Three sets, each scored apart: `blind` (bench/fixtures/blind, frozen before any extractor ran on it: the
 * headline), `tuning` (bench/fixtures/transcripts 01-32, the rules were developed on them) and `tuned_late` (33-42,
 * scored blind once, then tuned on). Each with the agent's read-back trusted (the product default) and without it
 * (`without_read_back`: the caller's own words only).
 *
 * field_accuracy: share of correct customer.name, customer.address and customer.phone over all calls (compared
 * after normalising case, punctuation, street-type abbreviations and phone formatting); split into
 * `present_fields` (the caller gave it: the extractor must find it) and `null_fields` (the caller did not: the
 * extractor must leave it empty), since an extractor that returns nothing is right on every null field.
 * items_f1: micro-averaged F1 over (name, size, quantity) tuples.
 *
 * bench/extractionAsr.ts scores the same sets after every caller line went through a local voice and PocketSphinx.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RulesExtractor } from '../server/src/extraction/rules/index.ts';
import {
  type ExtractionResult,
  type Extractor,
  TranscriptFileSchema,
} from '../server/src/extraction/schema.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.join(HERE, 'fixtures', 'transcripts');
const BLIND = path.join(HERE, 'fixtures', 'blind');
const RESULT_FILE = path.join(HERE, 'results', 'extraction.json');

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
  /** Fields the caller gave (expected non-null), and how many of them came out right. */
  present: number;
  presentCorrect: number;
  /** Fields the caller did not give (expected null), and how many were left empty. */
  nulls: number;
  nullsCorrect: number;
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
  const split = { present: 0, presentCorrect: 0, nulls: 0, nullsCorrect: 0 };
  for (const [field, normalise, got, want] of fields) {
    const right = normalise(got) === normalise(want);
    if (normalise(want) === null) {
      split.nulls++;
      if (right) split.nullsCorrect++;
    } else {
      split.present++;
      if (right) split.presentCorrect++;
    }
    if (right) {
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
    ...split,
    itemsMatched,
    itemsPredicted: result.items.length,
    itemsExpected: expected.items.length,
    misses,
  };
}

export interface CorpusCall {
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
  const totals = {
    fieldsCorrect: 0,
    fields: 0,
    present: 0,
    presentCorrect: 0,
    nulls: 0,
    nullsCorrect: 0,
    itemsMatched: 0,
    itemsPredicted: 0,
    itemsExpected: 0,
  };
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
    present_fields: {
      n: totals.present,
      accuracy: round(totals.present === 0 ? Number.NaN : totals.presentCorrect / totals.present),
    },
    null_fields: {
      n: totals.nulls,
      accuracy: round(totals.nulls === 0 ? Number.NaN : totals.nullsCorrect / totals.nulls),
    },
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

interface Sets {
  blind: CorpusCall[];
  tuning: CorpusCall[];
  tuned_late: CorpusCall[];
}

export function loadSets(): Sets {
  const corpus = loadCorpus();
  return {
    blind: loadCorpus(BLIND),
    tuning: corpus.filter((c) => !c.id.includes('tuned-late')),
    tuned_late: corpus.filter((c) => c.id.includes('tuned-late')),
  };
}

/** Every set scored with `extractor`; the blind set's figures first, as the headline. */
async function evaluateSets(extractor: Extractor, sets: Sets) {
  const { failures, ...blind } = await evaluate(extractor, sets.blind);
  const { failures: _t, ...tuning } = await evaluate(extractor, sets.tuning);
  const { failures: _l, ...tunedLate } = await evaluate(extractor, sets.tuned_late);
  return { ...blind, headline_set: 'blind', tuning, tuned_late: tunedLate, blind_failures: failures };
}

/** The rules extractor as shipped (read-back trusted) and on the caller's words alone. */
async function evaluateRules(sets: Sets) {
  const { blind_failures, ...withReadBack } = await evaluateSets(new RulesExtractor(), sets);
  const { blind_failures: _f, ...without } = await evaluateSets(
    new RulesExtractor({ trustReadBack: false }),
    sets,
  );
  return { ...withReadBack, without_read_back: without, blind_failures };
}

if (import.meta.main) {
  const sets = loadSets();
  const rules = await evaluateRules(sets);
  const llm = await llmExtractor();
  const output = { ...rules, ...(llm ? { llm: await evaluateSets(llm, sets) } : {}) };
  writeFileSync(RESULT_FILE, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}
