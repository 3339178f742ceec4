import {
  type AgentConfig,
  DEFAULT_DIALOG_API_KEY_ENV,
  DEFAULT_DIALOG_BASE_URL,
  type ProviderPolicy,
} from '@voiceroom/protocol';
import type {
  ChatMessage,
  Dialog,
  DialogChunk,
  DialogSession,
  DialogTurnInput,
  ToolDefinition,
} from '../stages/types.ts';
import { assertDialogAllowed, DialogError } from './errors.ts';
import { humanRequested } from './handoff.ts';
import { readSseData } from './openai/sse.ts';
import {
  ChatCompletionChunkSchema,
  ToolCallAssembler,
  toWireMessage,
  type WireMessage,
} from './openai/wire.ts';
import { hintMessage, systemPrompt } from './prompt.ts';
import { CONTROL_TOOLS, lookupOrderTool, type OrderLookup, searchMenuTool } from './tools.ts';

export interface OpenAiCompatibleDialogOptions {
  config: AgentConfig;
  /** The operator's allow-lists: the key variable and the base URL must be on them. */
  policy: ProviderPolicy;
  /** Where `config.dialog.apiKeyEnv` is looked up (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Earlier orders for the lookup_order tool; without it the tool is not offered. */
  orders?: OrderLookup;
  /** Model round trips per reply when it keeps calling tools. */
  maxToolRounds?: number;
  /** How long to wait for the response headers. */
  connectTimeoutMs?: number;
}

const DEFAULT_MODEL = 'deepseek-chat';

/**
 * Dialog over any OpenAI-compatible chat-completions endpoint (DeepSeek by default), streamed with server-sent events.
 * Tools: menu search and order lookup run here; end_call and transfer_to_human become pipeline chunks.
 */
export class OpenAiCompatibleDialog implements Dialog {
  readonly name = 'openai';
  readonly #settings: SessionSettings;

  constructor(options: OpenAiCompatibleDialogOptions) {
    const { config } = options;
    // Checked right before a key is read: whoever builds this dialog cannot skip the operator's lists.
    assertDialogAllowed(config, options.policy);
    const keyEnv = config.dialog.apiKeyEnv ?? DEFAULT_DIALOG_API_KEY_ENV;
    const apiKey = (options.env ?? process.env)[keyEnv];
    if (!apiKey) {
      throw new DialogError(
        'dialog_api_key_missing',
        `agent ${config.id} uses dialog provider openai but the environment variable ${keyEnv} is empty: set it to the API key, or set dialog.provider to scripted`,
      );
    }
    const tools = [searchMenuTool(config.menu), ...(options.orders ? [lookupOrderTool(options.orders)] : [])];
    this.#settings = {
      config,
      url: `${(config.dialog.baseUrl ?? DEFAULT_DIALOG_BASE_URL).replace(/\/+$/, '')}/chat/completions`,
      model: config.dialog.model ?? DEFAULT_MODEL,
      apiKey,
      tools: new Map(tools.map((t) => [t.name, t])),
      maxToolRounds: options.maxToolRounds ?? 4,
      connectTimeoutMs: options.connectTimeoutMs ?? 20_000,
    };
  }

  createSession(): DialogSession {
    return new OpenAiDialogSession(this.#settings);
  }

  close(): void {
    // Nothing held between turns: each request opens and ends its own connection.
  }
}

interface SessionSettings {
  config: AgentConfig;
  url: string;
  model: string;
  apiKey: string;
  tools: ReadonlyMap<string, ToolDefinition>;
  maxToolRounds: number;
  connectTimeoutMs: number;
}

interface RoundResult {
  text: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
}

class OpenAiDialogSession implements DialogSession {
  readonly #settings: SessionSettings;
  readonly #usedHints = new Set<string>();
  #closed = false;

  constructor(settings: SessionSettings) {
    this.#settings = settings;
  }

  async *respond(input: DialogTurnInput, signal: AbortSignal): AsyncIterable<DialogChunk> {
    if (this.#closed || signal.aborted) return;
    const { config } = this.#settings;
    const handoff = humanRequested(input.userText, config);
    if (handoff) {
      yield* handoff;
      return;
    }
    const messages = this.#messages(input);
    const control: DialogChunk[] = [];
    let spoken = '';
    for (let round = 0; round <= this.#settings.maxToolRounds; round++) {
      const result: RoundResult = { text: '', toolCalls: [] };
      for await (const text of this.#stream(messages, round < this.#settings.maxToolRounds, signal, result)) {
        yield { type: 'text', text };
      }
      if (signal.aborted) return;
      spoken += result.text;
      if (result.toolCalls.length === 0) break;
      messages.push(toWireMessage({ role: 'assistant', content: result.text, toolCalls: result.toolCalls }));
      for (const call of result.toolCalls) {
        const output = await this.#runTool(call, control, signal);
        if (signal.aborted) return;
        messages.push({ role: 'tool', tool_call_id: call.id, content: output });
      }
      // Only control tools and something already said: no need to ask the model again.
      if (spoken.trim() !== '' && result.toolCalls.every((c) => c.name in CONTROL_TOOLS)) break;
    }
    yield* control;
  }

  close(): void {
    this.#closed = true;
  }

  #messages(input: DialogTurnInput): WireMessage[] {
    const messages: WireMessage[] = [{ role: 'system', content: systemPrompt(this.#settings.config) }];
    const history: readonly ChatMessage[] =
      input.history.at(-1)?.role === 'user'
        ? input.history
        : [...input.history, { role: 'user', content: input.userText }];
    for (const message of history) if (message.role !== 'system') messages.push(toWireMessage(message));
    const hints = input.hints.filter((h) => !this.#usedHints.has(h));
    for (const hint of hints) this.#usedHints.add(hint);
    if (hints.length > 0) messages.push({ role: 'system', content: hintMessage(hints) });
    return messages;
  }

  async #runTool(
    call: RoundResult['toolCalls'][number],
    control: DialogChunk[],
    signal: AbortSignal,
  ): Promise<string> {
    let args: unknown;
    try {
      args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    } catch {
      return `error: the arguments were not valid JSON: ${call.arguments.slice(0, 200)}`;
    }
    if (call.name === 'end_call') {
      control.push({ type: 'end_call' });
      return 'ok: the call will end after your reply';
    }
    if (call.name === 'transfer_to_human') {
      const reason =
        typeof (args as { reason?: unknown }).reason === 'string' ? (args as { reason: string }).reason : '';
      control.push({ type: 'handoff', reason: reason.slice(0, 200) || 'the model asked for a human' });
      return 'ok: a human agent is being called';
    }
    const tool = this.#settings.tools.get(call.name);
    if (!tool) return `error: there is no tool named ${call.name}`;
    try {
      return await tool.run(args, signal);
    } catch (error) {
      return `error: ${(error as Error).message.slice(0, 500)}`;
    }
  }

  /** One model round trip: yields text deltas as they arrive and collects tool calls into `result`. */
  async *#stream(
    messages: WireMessage[],
    allowTools: boolean,
    signal: AbortSignal,
    result: RoundResult,
  ): AsyncGenerator<string> {
    const response = await this.#post(messages, allowTools, signal);
    if (!response?.body) return;
    const assembler = new ToolCallAssembler();
    try {
      for await (const data of readSseData(response.body, signal)) {
        if (data === '[DONE]') break;
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch (error) {
          throw new DialogError(
            'dialog_invalid_response',
            `the model endpoint sent an event that is not JSON: ${data.slice(0, 200)}`,
            { cause: error },
          );
        }
        const chunk = ChatCompletionChunkSchema.safeParse(json);
        if (!chunk.success) {
          throw new DialogError(
            'dialog_invalid_response',
            `the model endpoint sent an unexpected chunk: ${chunk.error.message.slice(0, 300)}`,
          );
        }
        const delta = chunk.data.choices[0]?.delta;
        if (delta?.tool_calls) assembler.add(delta.tool_calls);
        if (delta?.content) {
          result.text += delta.content;
          yield delta.content;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof DialogError) throw error;
      throw new DialogError('dialog_unreachable', `the model stream broke off: ${(error as Error).message}`, {
        cause: error,
      });
    }
    result.toolCalls = assembler.calls;
  }

  async #post(
    messages: WireMessage[],
    allowTools: boolean,
    signal: AbortSignal,
  ): Promise<Response | undefined> {
    const { config, model, url, apiKey, tools, connectTimeoutMs } = this.#settings;
    const toolSpecs = [
      ...[...tools.values()].map((t) => ({
        name: t.name,
        description: t.description,
        parameters: t.parameters,
      })),
      ...Object.entries(CONTROL_TOOLS).map(([name, t]) => ({ name, ...t })),
    ];
    const body = {
      model,
      messages,
      stream: true,
      temperature: config.dialog.temperature,
      max_tokens: config.dialog.maxTokens,
      ...(allowTools
        ? { tools: toolSpecs.map((f) => ({ type: 'function', function: f })), tool_choice: 'auto' }
        : {}),
    };
    const connect = new AbortController();
    const timer = setTimeout(() => connect.abort(), connectTimeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${apiKey}`,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, connect.signal]),
      });
      if (!response.ok) {
        const detail = (await response.text().catch(() => '')).slice(0, 300);
        const code = response.status === 429 ? 'dialog_rate_limited' : 'dialog_http_error';
        throw new DialogError(code, `the model endpoint ${url} answered ${response.status}: ${detail}`, {
          status: response.status,
        });
      }
      return response;
    } catch (error) {
      if (signal.aborted) return undefined;
      if (error instanceof DialogError) throw error;
      if (connect.signal.aborted) {
        throw new DialogError(
          'dialog_timeout',
          `the model endpoint ${url} did not answer within ${connectTimeoutMs} ms`,
        );
      }
      throw new DialogError(
        'dialog_unreachable',
        `cannot reach the model endpoint ${url}: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
