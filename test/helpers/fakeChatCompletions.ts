import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking OpenAI/DeepSeek's chat-completions wire protocol (POST /chat/completions, bearer key,
 * JSON body, `chat.completion` response, error bodies and Retry-After), scripted step by step so tests can play
 * success, rate limits, server errors, invalid model output, or the server being down.
 */

export type FakeStep =
  /** 200 with this assistant message content (an object is JSON-encoded, a string is sent as is). */
  | { kind: 'reply'; content: unknown }
  /** An error status with an OpenAI-style error body; `retryAfterS` adds a Retry-After header. */
  | { kind: 'error'; status: number; retryAfterS?: number }
  /** 200 whose body is not JSON at all (a broken proxy). */
  | { kind: 'garbage' }
  /** Accept the request and never answer (the client must time out). */
  | { kind: 'hang' };

export interface RecordedRequest {
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string };
    [key: string]: unknown;
  };
}

export interface FakeChatCompletionsOptions {
  /** What to answer when the script is empty (default: a 500, so a forgotten step is visible). */
  fallback?: FakeStep | ((request: RecordedRequest) => FakeStep);
  apiKey?: string;
  /** Listen on this port (to come back on the same address after `stop()`); default ephemeral. */
  port?: number;
}

export class FakeChatCompletions {
  readonly requests: RecordedRequest[] = [];
  readonly #script: FakeStep[] = [];
  readonly #options: FakeChatCompletionsOptions;
  readonly #hanging = new Set<http.ServerResponse>();
  #server: http.Server | undefined;
  #port: number;

  constructor(options: FakeChatCompletionsOptions = {}) {
    this.#options = options;
    this.#port = options.port ?? 0;
  }

  /** Base URL to configure the client with (like https://api.deepseek.com). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** Queues steps answered in order, one per request. */
  script(...steps: FakeStep[]): this {
    this.#script.push(...steps);
    return this;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => void this.#handle(req, res));
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Closes the listener and every open connection: clients now get ECONNREFUSED until `start()` again. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url?.replace(/\/+$/, '') !== '/chat/completions') {
      return send(res, 404, {
        error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' },
      });
    }
    let body: RecordedRequest['body'];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
    }
    const request: RecordedRequest = { authorization: req.headers.authorization, body };
    this.requests.push(request);
    if (this.#options.apiKey && req.headers.authorization !== `Bearer ${this.#options.apiKey}`) {
      return send(res, 401, {
        error: { message: 'Authentication Fails (invalid api key)', type: 'authentication_error' },
      });
    }
    const fallback = this.#options.fallback ?? { kind: 'error', status: 500 };
    const step = this.#script.shift() ?? (typeof fallback === 'function' ? fallback(request) : fallback);
    switch (step.kind) {
      case 'reply':
        return send(res, 200, completion(body.model, step.content));
      case 'error': {
        const headers: Record<string, string> = {};
        if (step.retryAfterS !== undefined) headers['retry-after'] = String(step.retryAfterS);
        const message = step.status === 429 ? 'Rate limit reached' : 'The server had an error';
        return send(res, step.status, { error: { message, type: 'server_error' } }, headers);
      }
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>502 Bad Gateway</html>');
        return;
      case 'hang':
        this.#hanging.add(res);
        res.on('close', () => this.#hanging.delete(res));
        return;
    }
  }
}

function completion(model: string, content: unknown) {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null },
    ],
    usage: {
      prompt_tokens: 100,
      completion_tokens: Math.ceil(text.length / 4),
      total_tokens: 100 + Math.ceil(text.length / 4),
    },
  };
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
