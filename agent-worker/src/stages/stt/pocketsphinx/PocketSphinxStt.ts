import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentConfig } from '@voiceroom/sdk/protocol';
import { createLogger } from '../../../worker/log.ts';
import type { Stt, SttStream } from '../../types.ts';
import { buildDomainLanguageModel } from '../lm/domainLanguageModel.ts';
import { loadPocketSphinx, type PocketSphinxLib } from './native.ts';
import { PocketSphinxStream } from './PocketSphinxStream.ts';

const log = createLogger('stt.pocketsphinx');

export const DEFAULT_POCKETSPHINX_MODEL = '/usr/share/pocketsphinx/model/en-us';

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
  partialIntervalMs?: number;
  /** Decode each stream's first utterance a second time once normalisation has adapted (default true). */
  coldStartSecondPass?: boolean;
  /** Where generated model files are cached (keyed by content). */
  cacheDir?: string;
  onError?: (error: Error) => void;
}

export interface PocketSphinxModelInfo {
  languageModel: string;
  dictionary: string;
  vocabularySize: number;
  guessedWords: string[];
}

/** CMU PocketSphinx through libpocketsphinx3, with a language model generated from the agent's configuration. */
export class PocketSphinxStt implements Stt {
  readonly #lib: PocketSphinxLib;
  readonly #args: Record<string, string>;
  readonly #model: PocketSphinxModelInfo;
  readonly #partialIntervalMs: number;
  readonly #coldStartSecondPass: boolean;
  readonly #onError: (error: Error) => void;

  static async create(options: PocketSphinxSttOptions = {}): Promise<PocketSphinxStt> {
    const modelDir = options.modelDir ?? DEFAULT_POCKETSPHINX_MODEL;
    const required = ['en-us/mdef', 'en-us/means', 'cmudict-en-us.dict', 'en-us.lm.bin'];
    const missing = required.filter((f) => !existsSync(join(modelDir, f)));
    if (missing.length > 0) {
      throw Object.assign(
        new Error(
          `pocketsphinx model files missing in ${modelDir}: ${missing.join(', ')}; ` +
            'install them with `apt-get install pocketsphinx-en-us`',
        ),
        { code: 'STT_MODEL_MISSING' },
      );
    }
    const lib = loadPocketSphinx();
    const cmudict = join(modelDir, 'cmudict-en-us.dict');
    let model: PocketSphinxModelInfo = {
      languageModel: join(modelDir, 'en-us.lm.bin'),
      dictionary: cmudict,
      vocabularySize: 0,
      guessedWords: [],
    };
    if (options.domain) {
      const lm = await buildDomainLanguageModel(options.domain, {
        cmudictPath: cmudict,
        generalWeight: options.generalWeight ?? 0.05,
      });
      const key = createHash('sha256').update(lm.arpa).update(lm.dictionary).digest('hex').slice(0, 16);
      const dir = join(options.cacheDir ?? join(tmpdir(), 'voiceroom-asr'), key);
      await mkdir(dir, { recursive: true });
      model = {
        languageModel: join(dir, 'domain.arpa'),
        dictionary: join(dir, 'domain.dict'),
        vocabularySize: lm.vocabularySize,
        guessedWords: lm.guessed,
      };
      // Written aside and renamed, so that a decoder starting in another process never reads half a file.
      await writeAtomically(model.languageModel, lm.arpa);
      await writeAtomically(model.dictionary, lm.dictionary);
    }
    const args = {
      '-hmm': join(modelDir, 'en-us'),
      '-lm': model.languageModel,
      '-dict': model.dictionary,
      '-logfn': '/dev/null',
    };
    return new PocketSphinxStt(lib, args, model, options);
  }

  private constructor(
    lib: PocketSphinxLib,
    args: Record<string, string>,
    model: PocketSphinxModelInfo,
    options: PocketSphinxSttOptions,
  ) {
    this.#lib = lib;
    this.#args = args;
    this.#model = model;
    this.#partialIntervalMs = options.partialIntervalMs ?? 250;
    this.#coldStartSecondPass = options.coldStartSecondPass ?? true;
    this.#onError = options.onError ?? ((error) => log.error({ err: error }, 'recognition failed'));
  }

  get name(): string {
    return 'pocketsphinx';
  }

  get model(): PocketSphinxModelInfo {
    return this.#model;
  }

  createStream(): SttStream {
    return new PocketSphinxStream({
      lib: this.#lib,
      decoderArgs: this.#args,
      partialIntervalMs: this.#partialIntervalMs,
      coldStartSecondPass: this.#coldStartSecondPass,
      onError: this.#onError,
    });
  }

  close(): void {
    // Decoders belong to their streams; nothing shared to free.
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
