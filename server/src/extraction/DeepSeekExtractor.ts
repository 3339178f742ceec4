import { z } from 'zod';
import { ExtractionError } from './errors.ts';
import { parseExtraction, SYSTEM_PROMPT, transcriptMessage } from './prompt.ts';
import type { ExtractionResult, Extractor, TranscriptLine } from './schema.ts';

export interface DeepSeekExtractorOptions {
  /** e.g. https://api.deepseek.com (the client appends /chat/completions). */
  baseUrl: string;
  model: string;
  apiKey: string;
  /** Per HTTP request. */
  timeoutMs?: number;
  /** How many times invalid output is sent back to the model with the validation error, within one attempt. */
  validationRetries?: number;
  maxTokens?: number;
}

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

const CompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
});

/**
 * Post-call extraction through DeepSeek's chat-completions API (OpenAI-compatible) in JSON mode. Transport failures
 * throw a retryable ExtractionError (with Retry-After when the server sent one) for the job queue to back off;
 * output that fails the schema is sent back to the model with the validation error, a few times, before the
 * attempt fails with `invalid_output`.
 */
export class DeepSeekExtractor implements Extractor {
  readonly source = 'deepseek' as const;
  readonly #options: Required<DeepSeekExtractorOptions>;

  constructor(options: DeepSeekExtractorOptions) {
    this.#options = { timeoutMs: 60_000, validationRetries: 2, maxTokens: 2048, ...options };
  }

  async extract(transcript: readonly TranscriptLine[], signal: AbortSignal): Promise<ExtractionResult> {
    const messages: Message[] = [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: transcriptMessage(transcript) },
    ];
    let lastError = '';
    for (let round = 0; round <= this.#options.validationRetries; round++) {
      const content = await this.#complete(messages, signal);
      const parsed = parseExtraction(content);
      if (parsed.ok) return parsed.value;
      lastError = parsed.error;
      messages.push(
        { role: 'assistant', content: content.slice(0, 8000) },
        {
          role: 'user',
          content: `Your answer was rejected: ${parsed.error}. Reply again with only the corrected JSON object.`,
        },
      );
    }
    throw new ExtractionError(
      'invalid_output',
      `the model's output stayed invalid after ${this.#options.validationRetries + 1} tries: ${lastError}`,
      { retryable: true },
    );
  }

  async #complete(messages: Message[], signal: AbortSignal): Promise<string> {
    const url = `${this.#options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#options.apiKey}` },
        body: JSON.stringify({
          model: this.#options.model,
          messages,
          response_format: { type: 'json_object' },
          temperature: 0,
          max_tokens: this.#options.maxTokens,
          stream: false,
        }),
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      if (timeout.aborted) {
        throw new ExtractionError(
          'provider_timeout',
          `no answer from ${url} within ${this.#options.timeoutMs} ms`,
          {
            retryable: true,
          },
        );
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new ExtractionError('provider_unreachable', `cannot reach ${url} (${cause})`, {
        retryable: true,
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw httpError(url, response, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ExtractionError('provider_error', `${url} answered 200 with a body that is not JSON`, {
        retryable: true,
      });
    }
    const completion = CompletionSchema.safeParse(json);
    if (!completion.success) {
      throw new ExtractionError('provider_error', `${url} answered without choices[0].message.content`, {
        retryable: true,
      });
    }
    return completion.data.choices[0]?.message.content ?? '';
  }
}

function httpError(url: string, response: Response, body: string): ExtractionError {
  const detail = body.slice(0, 300);
  const status = response.status;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return new ExtractionError('provider_rate_limited', `${url} rate-limited the request (429): ${detail}`, {
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500 || status === 408) {
    return new ExtractionError('provider_error', `${url} failed with ${status}: ${detail}`, {
      retryable: true,
    });
  }
  // 400/401/402/403/422: retrying the same request cannot help; fix the key, model or balance.
  return new ExtractionError(
    'provider_rejected',
    `${url} rejected the request with ${status}: ${detail}. Check DEEPSEEK_API_KEY, DEEPSEEK_MODEL and the account.`,
    { retryable: false },
  );
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 600_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.min(date - Date.now(), 600_000));
}
