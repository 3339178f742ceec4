import type { AgentConfig } from '@voiceroom/sdk/protocol';
import { buildArpa } from './arpa.ts';
import { buildDomainCorpus } from './domainCorpus.ts';
import { GENERAL_WORDS } from './generalWords.ts';
import { buildPronunciationDictionary } from './pronunciationDictionary.ts';

export interface DomainLanguageModel {
  arpa: string;
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
}

/** The agent's own trigram model and the matching pronunciation dictionary. */
export async function buildDomainLanguageModel(
  config: Pick<AgentConfig, 'menu' | 'knowledge' | 'asr' | 'handoff'>,
  options: DomainLanguageModelOptions,
): Promise<DomainLanguageModel> {
  const corpus = buildDomainCorpus(config);
  const general = options.generalWeight > 0 ? GENERAL_WORDS : new Map<string, number>();
  const vocabulary = new Set([...corpus.flat(), ...general.keys()]);
  const dict = await buildPronunciationDictionary(vocabulary, options.cmudictPath);
  const missing = new Set(dict.missing);
  // A sentence with an unpronounceable word would teach n-grams that cannot be decoded: drop the sentence.
  const usable = missing.size > 0 ? corpus.filter((words) => !words.some((w) => missing.has(w))) : corpus;
  const usableGeneral = new Map([...general].filter(([w]) => !missing.has(w)));
  const arpa = buildArpa(usable, { order: 3, general: usableGeneral, generalWeight: options.generalWeight });
  return {
    arpa,
    dictionary: dict.text,
    vocabularySize: vocabulary.size - missing.size,
    sentences: usable.length,
    guessed: dict.guessed,
    missing: dict.missing,
  };
}
