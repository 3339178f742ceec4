import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for an OpenAI-compatible endpoint (DeepSeek cannot be reached from tests). It speaks the real
 * wire protocol: POST /chat/completions with a JSON body, answered as `text/event-stream` with `data: {chunk}` events
 * (choices[0].delta with content or tool_calls fragments) and `data: [DONE]`. What it proves: our client's HTTP, SSE
 * and tool-call handling against that documented format. What it does not: a real model's behaviour or any
 * provider-specific quirk.
 */
export interface ChatRequest {
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    stream: boolean;
    messages: Array<{ role: string; content: string | null; tool_call_id?: string; tool_calls?: unknown[] }>;
    tools?: Array<{ type: string; function: { name: string } }>;
    [key: string]: unknown;
  };
}

export type Reply =
  | { kind: 'stream'; events: unknown[]; delayMs?: number; done?: boolean }
  | { kind: 'status'; status: number; body: string };

export class FakeChatServer {
  readonly requests: ChatRequest[] = [];
  /** Resolves each time a client goes away before its stream ended. */
  readonly closedEarly: number[] = [];
  readonly #server: Server;
  #respond: (request: ChatRequest, index: number) => Reply;

  private constructor(respond: (request: ChatRequest, index: number) => Reply) {
    this.#respond = respond;
    this.#server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => {
        raw += d;
      });
      req.on('end', async () => {
        const request: ChatRequest = { headers: req.headers, body: JSON.parse(raw) };
        const index = this.requests.push(request) - 1;
        const reply = this.#respond(request, index);
        if (reply.kind === 'status') {
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(': keep-alive\n\n');
        let finished = false;
        res.on('close', () => {
          if (!finished) this.closedEarly.push(index);
        });
        for (const event of reply.events) {
          if (res.destroyed) return;
          res.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
          if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        }
        if (res.destroyed) return;
        if (reply.done !== false) res.write('data: [DONE]\n\n');
        finished = true;
        res.end();
      });
    });
  }

  static async start(respond: (request: ChatRequest, index: number) => Reply): Promise<FakeChatServer> {
    const server = new FakeChatServer(respond);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  set respond(respond: (request: ChatRequest, index: number) => Reply) {
    this.#respond = respond;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Chat-completion chunks as OpenAI-compatible servers send them. */
export const chunk = {
  text: (content: string) => ({
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  }),
  role: () => ({
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
  }),
  toolStart: (index: number, id: string, name: string) => ({
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [
      {
        index: 0,
        delta: { tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] },
        finish_reason: null,
      },
    ],
  }),
  toolArgs: (index: number, fragment: string) => ({
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [
      {
        index: 0,
        delta: { tool_calls: [{ index, function: { arguments: fragment } }] },
        finish_reason: null,
      },
    ],
  }),
  finish: (reason: 'stop' | 'tool_calls') => ({
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: {}, finish_reason: reason }],
  }),
};

/** Text split into word-sized deltas, like a model streams it. */
export function textEvents(text: string): unknown[] {
  return [
    chunk.role(),
    ...(text.match(/\S+\s*/g) ?? []).map((piece) => chunk.text(piece)),
    chunk.finish('stop'),
  ];
}
