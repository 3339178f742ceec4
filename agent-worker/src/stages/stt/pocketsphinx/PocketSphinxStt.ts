import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { censusNames } from '@voiceroom/agent-core/nlu';
import type { Stt, SttExpectation, SttStream } from '@voiceroom/agent-core/stages';
import { type AgentConfig, CodedError } from '@voiceroom/protocol';
import { createLogger } from '../../../worker/log.ts';
import {
  overAgentGrammar,
  overAgentGrammarWords,
  phoneWordPronunciations,
} from '../grammar/overAgentGrammar.ts';
import { buildSlotGrammars, type GrammarSlot } from '../grammar/slotGrammars.ts';
import { STREET_WORDS } from '../lm/corpusWords.ts';
import { buildDomainLanguageModel } from '../lm/domainLanguageModel.ts';
import { buildPronunciationDictionary } from '../lm/pronunciationDictionary.ts';
import { DecoderPool, type SearchName } from './DecoderPool.ts';
import { loadPocketSphinx, type PocketSphinxLib } from './native.ts';
import { listeningGrammar } from './ParallelGrammar.ts';
import { PocketSphinxStream } from './PocketSphinxStream.ts';
import { type PocketSphinxSearchParameters, searchArgs } from './searchParameters.ts';

const log = createLogger('stt.pocketsphinx');

/** How often a stream gives a partial while the caller speaks, unless configured. */
export const DEFAULT_PARTIAL_INTERVAL_MS = 250;

export const DEFAULT_POCKETSPHINX_MODEL = '/usr/share/pocketsphinx/model/en-us';

/**
 * Phone numbers, addresses and spelled names: on bench:slots (issue 13) the digit grammar took phone answers from 0.12
 * to 0.49 of ten digits exact, the address grammar keeps a house number whole where the address model lets a number
 * word slip ("seventeen" heard "seventy eight"), and the spelling grammar, which hears a listed name's letters whole,
 * took spelled names from 0.545 to 0.655 (seed 2; a free letter grammar had lost to the name model's letters, 0.27 ->
 * 0.09). The yes/no grammar forced "nah thanks" over a right "right".
 */
export const DEFAULT_GRAMMAR_SLOTS: readonly GrammarSlot[] = ['phone', 'address', 'name'];

export interface PocketSphinxSttOptions {
  /** Directory with the acoustic model (`en-us/`), `cmudict-en-us.dict` and `en-us.lm.bin`. */
  modelDir?: string;
  /**
   * The agent whose menu, knowledge and phrases the language model is built from. Without it the general
   * en-us model is used (much less accurate on orders).
   */
  domain?: Pick<AgentConfig, 'menu' | 'knowledge' | 'asr' | 'handoff'>;
  /** Weight of the general vocabulary inside the domain model (see DomainLanguageModelOptions). */
  generalWeight?: number;
  /** Decoder search parameters that differ from DEFAULT_SEARCH_PARAMETERS. */
  search?: Partial<PocketSphinxSearchParameters>;
  partialIntervalMs?: number;
  /** Decode each stream's first utterance a second time once normalisation has adapted (default true). */
  coldStartSecondPass?: boolean;
  /** Where generated model files are cached (keyed by content). */
  cacheDir?: string;
  /**
   * Build a model per slot the dialog asks for (names, addresses, ...) and switch to it while the agent waits for
   * that answer (default true; needs `domain`).
   */
  followDialog?: boolean;
  /**
   * The slots whose answers are also decoded with a grammar on a second decoder while the agent waits for them (see
   * ParallelGrammar and chooseReading; needs `followDialog`); default DEFAULT_GRAMMAR_SLOTS, [] for none. The same
   * decoder decodes speech over the agent with the over-agent grammar (overAgentGrammar.ts); [] turns that off too.
   */
  grammarSlots?: readonly GrammarSlot[];
  /** Hypotheses per final (the best one and up to n-1 `alternatives`); default 5. */
  nbest?: number;
  /**
   * How long a final waits for the grammar decoder's reading once the stream's own is ready (PocketSphinxStream).
   * Default: as long as it takes, right for offline decoding, which feeds audio faster than real time right after
   * the question; a live call bounds it (createStt) so a grammar still loading on a busy machine never holds a reply.
   */
  grammarWaitMs?: number;
  /**
   * Decoders kept loaded between calls (DecoderPool), default 4 (~20 MB each); 0 builds a fresh decoder for every
   * stream (each call's first utterance then starts from the model's default means).
   */
  idleDecoders?: number;
  /**
   * Decoders kept built ahead of the next call, slot models loaded (default 1, at most `idleDecoders`): the first
   * is built before `create` resolves, so a worker takes its first call (or one moved from a dead worker) warm.
   */
  spareDecoders?: number;
  onError?: (error: Error) => void;
}

export interface PocketSphinxModelInfo {
  languageModel: string;
  dictionary: string;
  vocabularySize: number;
  guessedWords: string[];
  /** Model file per slot search. */
  slotModels: Partial<Record<SttExpectation, string>>;
  /**
   * Grammar file per grammar slot and the over-agent one, their dictionary, and each slot grammar's words (none
   * without `grammarSlots`).
   */
  grammars?: {
    files: Partial<Record<SearchName, string>>;
    dictionary: string;
    words: Partial<Record<SttExpectation, ReadonlySet<string>>>;
  };
}

/** CMU PocketSphinx through libpocketsphinx3, with a language model generated from the agent's configuration. */
export class PocketSphinxStt implements Stt {
  readonly #decoders: DecoderPool;
  readonly #grammarDecoders: DecoderPool | undefined;
  readonly #model: PocketSphinxModelInfo;
  readonly #partialIntervalMs: number;
  readonly #coldStartSecondPass: boolean;
  readonly #nbest: number;
  readonly #grammarWaitMs: number;
  readonly #onError: (error: Error) => void;

  static async create(options: PocketSphinxSttOptions = {}): Promise<PocketSphinxStt> {
    const modelDir = options.modelDir ?? DEFAULT_POCKETSPHINX_MODEL;
    const required = ['en-us/mdef', 'en-us/means', 'cmudict-en-us.dict', 'en-us.lm.bin'];
    const missing = required.filter((f) => !existsSync(join(modelDir, f)));
    if (missing.length > 0) {
      throw new CodedError(
        'stt_model_missing',
        `pocketsphinx model files missing in ${modelDir}: ${missing.join(', ')}; ` +
          'install them with `apt-get install pocketsphinx-en-us`',
      );
    }
    const lib = loadPocketSphinx();
    const cmudict = join(modelDir, 'cmudict-en-us.dict');
    let model: PocketSphinxModelInfo = {
      languageModel: join(modelDir, 'en-us.lm.bin'),
      dictionary: cmudict,
      vocabularySize: 0,
      guessedWords: [],
      slotModels: {},
    };
    if (options.domain) {
      const lm = await buildDomainLanguageModel(options.domain, {
        cmudictPath: cmudict,
        generalWeight: options.generalWeight ?? 0.05,
        slots: options.followDialog ?? true,
      });
      const hash = createHash('sha256').update(lm.arpa).update(lm.dictionary);
      for (const arpa of Object.values(lm.slotArpas)) hash.update(arpa);
      const dir = join(options.cacheDir ?? join(tmpdir(), 'voiceroom-asr'), hash.digest('hex').slice(0, 16));
      await mkdir(dir, { recursive: true });
      model = {
        languageModel: join(dir, 'domain.arpa'),
        dictionary: join(dir, 'domain.dict'),
        vocabularySize: lm.vocabularySize,
        guessedWords: lm.guessed,
        slotModels: {},
      };
      // Written aside and renamed, so that a decoder starting in another process never reads half a file.
      await writeAtomically(model.languageModel, lm.arpa);
      await writeAtomically(model.dictionary, lm.dictionary);
      for (const [slot, arpa] of Object.entries(lm.slotArpas) as [SttExpectation, string][]) {
        const path = join(dir, `slot-${slot}.arpa`);
        await writeAtomically(path, arpa);
        model.slotModels[slot] = path;
      }
      const grammarSlots = options.grammarSlots ?? DEFAULT_GRAMMAR_SLOTS;
      if ((options.followDialog ?? true) && grammarSlots.length > 0)
        model.grammars = await writeSlotGrammars(dir, cmudict, grammarSlots);
    }
    const args = {
      '-hmm': join(modelDir, 'en-us'),
      '-lm': model.languageModel,
      '-dict': model.dictionary,
      '-logfn': '/dev/null',
      ...searchArgs(options.search),
    };
    const stt = new PocketSphinxStt(lib, args, model, options);
    await Promise.all([stt.#decoders.prepare(), stt.#grammarDecoders?.prepare()]);
    return stt;
  }

  private constructor(
    lib: PocketSphinxLib,
    args: Record<string, string>,
    model: PocketSphinxModelInfo,
    options: PocketSphinxSttOptions,
  ) {
    this.#model = model;
    this.#partialIntervalMs = options.partialIntervalMs ?? DEFAULT_PARTIAL_INTERVAL_MS;
    this.#coldStartSecondPass = options.coldStartSecondPass ?? true;
    this.#nbest = options.nbest ?? 5;
    this.#grammarWaitMs = options.grammarWaitMs ?? Number.POSITIVE_INFINITY;
    this.#onError = options.onError ?? ((error) => log.error({ err: error }, 'recognition failed'));
    this.#decoders = new DecoderPool({
      lib,
      decoderArgs: args,
      maxIdle: options.idleDecoders ?? 4,
      spares: options.spareDecoders ?? 1,
      slotModels: model.slotModels,
      onError: this.#onError,
    });
    const grammars = model.grammars;
    const firstGrammar = grammars?.files.open;
    if (grammars && firstGrammar) {
      // the same acoustic model and search settings, a grammar instead of the n-gram model
      const { '-lm': _lm, ...acoustic } = args;
      this.#grammarDecoders = new DecoderPool({
        lib,
        decoderArgs: { ...acoustic, '-dict': grammars.dictionary, '-fsg': firstGrammar },
        maxIdle: options.idleDecoders ?? 4,
        spares: options.spareDecoders ?? 1,
        slotModels: grammars.files,
        searchKind: 'grammar',
        // what pocketsphinx builds over a slot's grammar is per decoder (the spelling grammar's ~19 MB): only while
        // the call waits for that slot
        onDemand: Object.keys(grammars.words) as SearchName[],
        onError: this.#onError,
      });
    }
  }

  get name(): string {
    return 'pocketsphinx';
  }

  get followsDialog(): boolean {
    return Object.keys(this.#model.slotModels).length > 0;
  }

  get model(): PocketSphinxModelInfo {
    return this.#model;
  }

  createStream(): SttStream {
    return new PocketSphinxStream({
      decoders: this.#decoders,
      partialIntervalMs: this.#partialIntervalMs,
      coldStartSecondPass: this.#coldStartSecondPass,
      slotModels: this.#model.slotModels,
      nbest: this.#nbest,
      ...(this.#grammarDecoders && this.#model.grammars
        ? {
            grammars: {
              decoders: this.#grammarDecoders,
              words: this.#model.grammars.words,
              waitMs: this.#grammarWaitMs,
            },
          }
        : {}),
      onError: this.#onError,
    });
  }

  /** Decoders built so far and idle now (reuse shows as fewer built than calls). */
  get decoders(): { created: number; idle: number } {
    return { created: this.#decoders.created, idle: this.#decoders.idle };
  }

  /** Frees the idle decoders; streams still open free theirs when they close. */
  close(): void {
    this.#decoders.close();
    this.#grammarDecoders?.close();
  }
}

/** The slot grammars (slotGrammars.ts) and their pronunciation dictionary, written into `dir`. */
async function writeSlotGrammars(
  modelDir: string,
  cmudict: string,
  slots: readonly GrammarSlot[],
): Promise<PocketSphinxModelInfo['grammars']> {
  // the spelling grammar is made of the census names: read them only when that grammar is asked for
  const names = slots.includes('name') ? censusNames() : { first: [], last: [] };
  const { grammars, words } = buildSlotGrammars({ spelledNames: [names.first, names.last] });
  const overAgent = overAgentGrammar();
  const allWords = [...slots.flatMap((slot) => words[slot]), ...overAgentGrammarWords(overAgent), 'um'];
  const dictionaryText =
    (await buildPronunciationDictionary(allWords, cmudict, STREET_WORDS)).text + phoneWordPronunciations();
  const texts = new Map<string, string>([
    ['grammar-listen.fsg', listeningGrammar()],
    ['grammar-over-agent.fsg', overAgent.toText('over_agent')],
  ]);
  for (const slot of slots) texts.set(`grammar-${slot}.fsg`, grammars[slot]);
  // The models' folder is shared by every process built on the same language models; grammars that differ (another
  // slot set, another checkout) get a folder of their own so that no process reads another's grammar.
  const hash = createHash('sha256').update(dictionaryText);
  for (const [name, text] of texts) hash.update(name).update(text);
  const dir = join(modelDir, `grammars-${hash.digest('hex').slice(0, 16)}`);
  await mkdir(dir, { recursive: true });
  const dictionary = join(dir, 'grammars.dict');
  await writeAtomically(dictionary, dictionaryText);
  for (const [name, text] of texts) await writeAtomically(join(dir, name), text);
  const files: Partial<Record<SearchName, string>> = {};
  const slotWords: Partial<Record<SttExpectation, ReadonlySet<string>>> = {};
  for (const slot of slots) {
    files[slot] = join(dir, `grammar-${slot}.fsg`);
    slotWords[slot] = new Set(words[slot]);
  }
  files.open = join(dir, 'grammar-listen.fsg');
  files.over_agent = join(dir, 'grammar-over-agent.fsg');
  return { files, dictionary, words: slotWords };
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
