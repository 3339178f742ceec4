import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AgentConfig } from '@voiceroom/protocol';
import { buildArpa } from './arpa.ts';
import { STREET_WORDS } from './corpusWords.ts';
import { buildDomainCorpus } from './domainCorpus.ts';
import { GENERAL_WORDS } from './generalWords.ts';
import { buildPronunciationDictionary } from './pronunciationDictionary.ts';
import { buildSlotCorpora, SLOTS, type Slot, tokenCount } from './slotCorpus.ts';

export interface DomainLanguageModel {
  arpa: string;
  /** One model per slot the agent asks for (see slotCorpus.ts), when asked for with `slots`. */
  slotArpas: Partial<Record<Slot, string>>;
  /** Covers the domain model and every slot model (a decoder has one dictionary for all its searches). */
  dictionary: string;
  vocabularySize: number;
  sentences: number;
  /** Words pronounced by espeak-ng (not in CMUdict). */
  guessed: string[];
  /** Words dropped because nothing could pronounce them. */
  missing: string[];
}

export interface DomainLanguageModelOptions {
  cmudictPath: string;
  /** Weight of the general vocabulary (0 = domain only). Higher keeps more out-of-domain words, lowers domain WER. */
  generalWeight: number;
  /** Also build the slot models (the domain corpus with the slot's answers weighted up). */
  slots?: boolean;
  /** Share of a slot model's training tokens that are the slot's own answers (default SLOT_SHARES). */
  slotShare?: number;
}

/** The agent's own trigram model (and its slot models) and the matching pronunciation dictionary. */
export async function buildDomainLanguageModel(
  config: Pick<AgentConfig, 'menu' | 'knowledge' | 'asr' | 'handoff'>,
  options: DomainLanguageModelOptions,
): Promise<DomainLanguageModel> {
  const corpus = buildDomainCorpus(config);
  const slotCorpora: Partial<Record<Slot, string[][]>> = options.slots ? buildSlotCorpora(config) : {};
  const general = options.generalWeight > 0 ? GENERAL_WORDS : new Map<string, number>();
  const vocabulary = new Set([
    ...corpus.flat(),
    ...general.keys(),
    ...Object.values(slotCorpora).flatMap((sentences) => sentences.flat()),
  ]);
  await yieldToEventLoop();
  const dict = await buildPronunciationDictionary(vocabulary, options.cmudictPath, STREET_WORDS);
  const missing = new Set(dict.missing);
  // A sentence with an unpronounceable word would teach n-grams that cannot be decoded: drop the sentence.
  const usable = (sentences: string[][]) =>
    missing.size > 0 ? sentences.filter((words) => !words.some((w) => missing.has(w))) : sentences;
  const domain = usable(corpus);
  const usableGeneral = new Map([...general].filter(([w]) => !missing.has(w)));
  const arpaOf = (sentences: Iterable<readonly string[]>) =>
    buildArpa(sentences, { order: 3, general: usableGeneral, generalWeight: options.generalWeight });
  // Each model takes 0.1-0.35 s of CPU (several times that on a starved machine): the event loop gets a turn between
  // them, so a worker building an agent's models mid-call keeps its heartbeats and its calls' audio going.
  const slotArpas: Partial<Record<Slot, string>> = {};
  for (const slot of SLOTS) {
    const answers = slotCorpora[slot];
    if (!answers) continue;
    await yieldToEventLoop();
    slotArpas[slot] = arpaOf(blend(domain, usable(answers), options.slotShare ?? SLOT_SHARES[slot]));
  }
  await yieldToEventLoop();
  return {
    arpa: arpaOf(domain),
    slotArpas,
    dictionary: dict.text,
    vocabularySize: vocabulary.size - missing.size,
    sentences: domain.length,
    guessed: dict.guessed,
    missing: dict.missing,
  };
}

/**
 * How much of each slot model is the slot's own answers (the rest is the domain corpus, for off-script answers).
 * Higher where the answers are words the domain corpus is full of lookalikes for (digits against quantities and
 * prices, names against menu words); measured with `npm run bench:slots`.
 */
export const SLOT_SHARES: Readonly<Record<Slot, number>> = {
  order: 0.3,
  size: 0.3,
  name: 0.5,
  address: 0.5,
  phone: 0.7,
  yesno: 0.6,
};

/**
 * The domain corpus with `answers` repeated until they make up about `share` of the tokens: interpolating the
 * counts, so that the slot's answers are likely and everything the domain model knows still comes through.
 */
function* blend(domain: string[][], answers: string[][], share: number): Generator<string[]> {
  yield* domain;
  const answerTokens = tokenCount(answers);
  if (answerTokens === 0) return;
  const times = Math.max(1, Math.round(((share / (1 - share)) * tokenCount(domain)) / answerTokens));
  for (let i = 0; i < times; i++) yield* answers;
}
