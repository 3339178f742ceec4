import {
  DialogError,
  hintMessage,
  humanRequested,
  type LocalModelDialogFactory,
  saysGoodbye,
  systemPrompt,
} from '@voiceroom/agent-core/dialog';
import type { Dialog, DialogChunk, DialogSession, DialogTurnInput } from '@voiceroom/agent-core/stages';
import { AsyncEventQueue } from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import type { ChatHistoryItem, LlamaChatSession, LlamaContext, LlamaModel } from 'node-llama-cpp';

export interface LlamaCppDialogOptions {
  config: AgentConfig;
  /** GGUF file; default `config.dialog.model`. */
  modelPath?: string;
  /** CPU threads per generation; keep low on small machines, the voice pipeline needs a core too. */
  threads?: number;
  contextSize?: number;
}

type NodeLlamaCpp = typeof import('node-llama-cpp');

/**
 * Dialog on a local GGUF model through node-llama-cpp: the model is loaded once and shared, each call gets its own
 * context. The history each turn is what the caller actually heard. Handoff requests and goodbyes are decided without
 * the model (see handoff.ts); no tool calling here (the menu and knowledge are in the system prompt).
 */
export class LlamaCppDialog implements Dialog {
  readonly name = 'llama';
  readonly #options: LlamaCppDialogOptions & { modelPath: string };
  #loaded: { module: NodeLlamaCpp; model: LlamaModel } | undefined;

  private constructor(options: LlamaCppDialogOptions & { modelPath: string }) {
    this.#options = options;
  }

  /** Loads node-llama-cpp and the model; fails with `dialog_model_unavailable` saying what to fix. */
  static async create(options: LlamaCppDialogOptions): Promise<LlamaCppDialog> {
    const modelPath = options.modelPath ?? options.config.dialog.model;
    if (!modelPath) {
      throw new DialogError(
        'dialog_model_unavailable',
        `agent ${options.config.id} uses dialog provider llama but dialog.model (the GGUF path) is not set`,
      );
    }
    const dialog = new LlamaCppDialog({ ...options, modelPath });
    let module: NodeLlamaCpp;
    try {
      module = await import('node-llama-cpp');
    } catch (error) {
      throw new DialogError(
        'dialog_model_unavailable',
        'node-llama-cpp is not installed: run `bash scripts/npm-add.sh -w agent-worker node-llama-cpp@3.22.1` or use another dialog provider',
        { cause: error },
      );
    }
    try {
      const llama = await module.getLlama({ gpu: false, build: 'never' });
      dialog.#loaded = { module, model: await llama.loadModel({ modelPath }) };
    } catch (error) {
      throw new DialogError(
        'dialog_model_unavailable',
        `cannot load the GGUF model at ${modelPath}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return dialog;
  }

  createSession(): DialogSession {
    if (!this.#loaded) throw new DialogError('dialog_model_unavailable', 'the model was disposed');
    return new LlamaCppDialogSession(this.#loaded, this.#options);
  }

  /** Unloads the model; sessions still open keep working until they close. */
  async close(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    await loaded?.model.dispose();
  }
}

class LlamaCppDialogSession implements DialogSession {
  readonly #loaded: { module: NodeLlamaCpp; model: LlamaModel };
  readonly #options: LlamaCppDialogOptions;
  readonly #usedHints = new Set<string>();
  #context: Promise<{ context: LlamaContext; chat: LlamaChatSession }> | undefined;
  /** The previous turn's generation: a new turn (after barge-in) waits for it to stop. */
  #pending: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(loaded: { module: NodeLlamaCpp; model: LlamaModel }, options: LlamaCppDialogOptions) {
    this.#loaded = loaded;
    this.#options = options;
  }

  async *respond(input: DialogTurnInput, signal: AbortSignal): AsyncIterable<DialogChunk> {
    if (this.#closed || signal.aborted) return;
    const { config } = this.#options;
    const handoff = humanRequested(input.userText, config);
    if (handoff) {
      yield* handoff;
      return;
    }
    await this.#pending;
    const { chat } = await this.#open();
    if (signal.aborted || this.#closed) return;
    chat.setChatHistory(this.#history(input));

    const queue = new AsyncEventQueue<string>();
    let failure: unknown;
    const generation = chat
      .prompt(input.userText.trim() || '(the caller said nothing audible)', {
        onTextChunk: (text) => queue.push(text),
        signal,
        stopOnAbortSignal: true,
        maxTokens: config.dialog.maxTokens,
        temperature: config.dialog.temperature,
      })
      .catch((error: unknown) => {
        failure = error;
      })
      .finally(() => queue.end());
    this.#pending = generation;
    for await (const text of queue) {
      if (signal.aborted) return;
      if (text !== '') yield { type: 'text', text };
    }
    await generation;
    if (signal.aborted) return;
    if (failure)
      throw new DialogError(
        'dialog_invalid_response',
        `the local model failed: ${(failure as Error).message}`,
        { cause: failure },
      );
    if (saysGoodbye(input.userText)) yield { type: 'end_call' };
  }

  close(): void {
    this.#closed = true;
    const context = this.#context;
    this.#context = undefined;
    void this.#pending.finally(() => context?.then(({ context: c }) => c.dispose())).catch(() => {});
  }

  #open(): Promise<{ context: LlamaContext; chat: LlamaChatSession }> {
    this.#context ??= (async () => {
      const context = await this.#loaded.model.createContext({
        contextSize: this.#options.contextSize ?? 4096,
        threads: this.#options.threads ?? 1,
      });
      const chat = new this.#loaded.module.LlamaChatSession({ contextSequence: context.getSequence() });
      return { context, chat };
    })();
    return this.#context;
  }

  /** The system prompt (with any new coaching hint) and the turns so far, without the new user message. */
  #history(input: DialogTurnInput): ChatHistoryItem[] {
    const hints = input.hints.filter((h) => !this.#usedHints.has(h));
    for (const hint of hints) this.#usedHints.add(hint);
    const system =
      systemPrompt(this.#options.config, { controlTools: false }) +
      (hints.length ? `\n${hintMessage(hints)}` : '');
    const turns = input.history.at(-1)?.role === 'user' ? input.history.slice(0, -1) : input.history;
    const items: ChatHistoryItem[] = [{ type: 'system', text: system }];
    for (const message of turns) {
      if (message.role === 'user') items.push({ type: 'user', text: message.content });
      else if (message.role === 'assistant' && message.content)
        items.push({ type: 'model', response: [message.content] });
    }
    return items;
  }
}

/** createDialog's `localModel` for the agent worker: llama configurations load their GGUF model here. */
export const loadLocalModelDialog: LocalModelDialogFactory = (config, modelPath) =>
  LlamaCppDialog.create({ config, ...(modelPath ? { modelPath } : {}) });
