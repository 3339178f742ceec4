import { ExtractionError } from './errors.ts';
import { GRAMMAR_SYSTEM_PROMPT, parseExtraction, transcriptMessage } from './prompt.ts';
import type { ExtractionResult, Extractor, TranscriptLine } from './schema.ts';

/**
 * Post-call extraction on a local GGUF model through node-llama-cpp, constrained by a JSON-schema grammar so the
 * model can only produce the result's shape; the zod schema still checks the values. node-llama-cpp is an
 * optional dependency loaded on first use: without it (or without the model file) extraction fails with
 * `local_model_unavailable`, which says how to fix it.
 */

export interface LocalLlmExtractorOptions {
  modelPath: string;
  contextSize?: number;
  maxTokens?: number;
  /**
   * CPU threads for inference (default 1): extraction is background work and must not starve the real-time media
   * and voice pipeline; more threads than free cores makes llama.cpp's spinning threads dramatically slower.
   */
  threads?: number;
  validationRetries?: number;
}

const nullableString = (maxLength: number) =>
  ({ oneOf: [{ type: 'string', maxLength }, { type: 'null' }] }) as const;

/** The grammar's schema: the subset node-llama-cpp's GBNF converter understands, bounded so output stays short. */
export const LOCAL_GRAMMAR_SCHEMA = {
  type: 'object',
  properties: {
    customer: {
      type: 'object',
      properties: {
        name: nullableString(80),
        address: nullableString(160),
        phone: nullableString(24),
        email: nullableString(80),
      },
    },
    items: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 60 },
          size: nullableString(20),
          quantity: { type: 'integer', minimum: 1, maximum: 1000 },
          unit_price: { oneOf: [{ type: 'number' }, { type: 'null' }] },
        },
      },
    },
    currency: { oneOf: [{ type: 'string', minLength: 3, maxLength: 3 }, { type: 'null' }] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    notes: nullableString(200),
  },
} as const;

/** The parts of node-llama-cpp this module uses (typed here: the package is optional). */
interface LlamaModule {
  getLlama(options: { gpu: false; build: 'never' }): Promise<Llama>;
  LlamaChatSession: new (options: { contextSequence: unknown; systemPrompt: string }) => ChatSession;
}
interface Llama {
  loadModel(options: { modelPath: string }): Promise<LlamaModel>;
  createGrammarForJsonSchema(schema: unknown): Promise<unknown>;
}
interface LlamaModel {
  createContext(options: { contextSize: number; threads?: number }): Promise<LlamaContext>;
}
interface LlamaContext {
  getSequence(): unknown;
  dispose(): Promise<void>;
}
interface ChatSession {
  prompt(
    text: string,
    options: { grammar: unknown; maxTokens: number; signal: AbortSignal },
  ): Promise<string>;
}

interface Loaded {
  module: LlamaModule;
  model: LlamaModel;
  grammar: unknown;
}

export class LocalLlmExtractor implements Extractor {
  readonly source = 'local' as const;
  readonly #options: Required<LocalLlmExtractorOptions>;
  #loading: Promise<Loaded> | undefined;

  constructor(options: LocalLlmExtractorOptions) {
    this.#options = { contextSize: 8192, maxTokens: 3072, threads: 1, validationRetries: 1, ...options };
  }

  async extract(transcript: readonly TranscriptLine[], signal: AbortSignal): Promise<ExtractionResult> {
    const { module, model, grammar } = await this.#load();
    const context = await model.createContext({
      contextSize: this.#options.contextSize,
      threads: this.#options.threads,
    });
    try {
      const session = new module.LlamaChatSession({
        contextSequence: context.getSequence(),
        systemPrompt: GRAMMAR_SYSTEM_PROMPT,
      });
      let prompt = `Transcript:\n${transcriptMessage(transcript)}`;
      let lastError = '';
      for (let round = 0; round <= this.#options.validationRetries; round++) {
        const answer = await session.prompt(prompt, { grammar, maxTokens: this.#options.maxTokens, signal });
        const parsed = parseExtraction(answer);
        if (parsed.ok) return parsed.value;
        lastError = parsed.error;
        prompt = `Your answer was rejected: ${parsed.error}. Reply again with only the corrected JSON object.`;
      }
      throw new ExtractionError('invalid_output', `the local model's output stayed invalid: ${lastError}`, {
        retryable: true,
      });
    } finally {
      await context.dispose();
    }
  }

  /** Loads the library and the model once; a failed load is retried on the next job. */
  #load(): Promise<Loaded> {
    this.#loading ??= this.#loadOnce().catch((error: unknown) => {
      this.#loading = undefined;
      throw error;
    });
    return this.#loading;
  }

  async #loadOnce(): Promise<Loaded> {
    const specifier = 'node-llama-cpp';
    let module: LlamaModule;
    try {
      module = (await import(specifier)) as LlamaModule;
    } catch (error) {
      throw new ExtractionError(
        'local_model_unavailable',
        'LLM_MODEL_PATH is set but node-llama-cpp is not installed: run `bash scripts/npm-add.sh -w server node-llama-cpp@3.22.1` or unset LLM_MODEL_PATH',
        { retryable: false, cause: error },
      );
    }
    try {
      const llama = await module.getLlama({ gpu: false, build: 'never' });
      const model = await llama.loadModel({ modelPath: this.#options.modelPath });
      const grammar = await llama.createGrammarForJsonSchema(LOCAL_GRAMMAR_SCHEMA);
      return { module, model, grammar };
    } catch (error) {
      throw new ExtractionError(
        'local_model_unavailable',
        `cannot load the GGUF model at ${this.#options.modelPath} (${(error as Error).message}); check LLM_MODEL_PATH`,
        { retryable: false, cause: error },
      );
    }
  }
}
