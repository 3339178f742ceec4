import { providerPolicyFromEnv } from '@voiceroom/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { DialogError, InMemoryOrderLookup, OpenAiCompatibleDialog } from '../../src/dialog/index.ts';
import { searchMenuTool } from '../../src/dialog/tools.ts';
import { pizzeria } from '../nlu/pizzeria.ts';
import { turn } from './collect.ts';
import { type ChatRequest, chunk, FakeChatServer, textEvents } from './fakeChatServer.ts';

const env = { TEST_LLM_API_KEY: 'sk-test-123' };
let server: FakeChatServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function dialogFor(
  baseUrl: string,
  extra: Partial<ConstructorParameters<typeof OpenAiCompatibleDialog>[0]> = {},
) {
  const config = pizzeria();
  config.dialog = {
    ...config.dialog,
    provider: 'openai',
    baseUrl,
    model: 'test-model',
    apiKeyEnv: 'TEST_LLM_API_KEY',
  };
  const policy = providerPolicyFromEnv(
    { PROVIDER_API_KEY_ENVS: 'TEST_LLM_API_KEY', PROVIDER_BASE_URLS: baseUrl },
    '/models',
  );
  return new OpenAiCompatibleDialog({ config, env, policy, ...extra });
}

describe('search_menu tool', () => {
  const tool = searchMenuTool(pizzeria().menu);
  const names = async (query: string) =>
    (
      JSON.parse(await tool.run({ query }, new AbortController().signal)) as {
        items: Array<{ name: string }>;
      }
    ).items.map((i) => i.name);

  it('finds items by name or alias, misspelt or not, and whole categories', async () => {
    expect(await names('margarita')).toEqual(['margherita pizza']);
    expect(await names('what drinks do you have')).toEqual(['coke', 'lemonade']);
    expect(await names('')).toHaveLength(9);
    expect(await names('sushi')).toEqual([]);
  });

  it('rejects arguments of the wrong shape', async () => {
    await expect(tool.run({ query: 42 }, new AbortController().signal)).rejects.toThrow();
  });
});

describe('OpenAiCompatibleDialog', () => {
  it('streams the reply as it arrives and sends the agent prompt, history and key', async () => {
    server = await FakeChatServer.start(() => ({
      kind: 'stream',
      events: textEvents('Two large pepperoni pizzas, got it. Anything else?'),
    }));
    const session = dialogFor(server.baseUrl).createSession();
    const history = [{ role: 'assistant' as const, content: 'Hi, what can I get you?' }];
    const { chunks, text } = await turn(session, 'two large pepperoni pizzas', { history });

    expect(text).toBe('Two large pepperoni pizzas, got it. Anything else?');
    expect(chunks.length).toBeGreaterThan(3);
    const request = server.requests[0] as ChatRequest;
    expect(request.headers.authorization).toBe('Bearer sk-test-123');
    expect(request.body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 256 });
    const system = request.body.messages[0]?.content ?? '';
    expect(system).toContain("Luigi's Pizzeria");
    expect(system).toContain(
      'pepperoni pizza (also called pepperoni): small 9.50, medium 12.50, large 15.50',
    );
    expect(system).toContain('we deliver within five miles');
    expect(request.body.messages.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['assistant', 'Hi, what can I get you?'],
      ['user', 'two large pepperoni pizzas'],
    ]);
    expect(request.body.tools?.map((t) => t.function.name)).toEqual([
      'search_menu',
      'end_call',
      'transfer_to_human',
    ]);
  });

  it('assembles streamed tool-call fragments, runs the menu tool and sends its result back', async () => {
    server = await FakeChatServer.start((_request, index) =>
      index === 0
        ? {
            kind: 'stream',
            events: [
              chunk.role(),
              chunk.toolStart(0, 'call_menu', 'search_menu'),
              chunk.toolArgs(0, '{"que'),
              chunk.toolArgs(0, 'ry": "hawai'),
              chunk.toolArgs(0, 'ian"}'),
              chunk.finish('tool_calls'),
            ],
          }
        : { kind: 'stream', events: textEvents('A large hawaiian is sixteen dollars.') },
    );
    const { text } = await turn(dialogFor(server.baseUrl).createSession(), 'how much is a large hawaiian');

    expect(text).toBe('A large hawaiian is sixteen dollars.');
    expect(server.requests).toHaveLength(2);
    const followUp = server.requests[1]?.body.messages ?? [];
    const assistant = followUp.at(-2);
    expect(assistant).toMatchObject({
      role: 'assistant',
      tool_calls: [
        {
          id: 'call_menu',
          type: 'function',
          function: { name: 'search_menu', arguments: '{"query": "hawaiian"}' },
        },
      ],
    });
    const toolMessage = followUp.at(-1);
    expect(toolMessage?.role).toBe('tool');
    expect(toolMessage?.tool_call_id).toBe('call_menu');
    expect(JSON.parse(toolMessage?.content ?? '')).toEqual({
      currency: 'USD',
      items: [{ name: 'hawaiian pizza', category: 'pizza', sizes: { small: 10, medium: 13, large: 16 } }],
    });
  });

  it('looks up an earlier order through the injected order store', async () => {
    const orders = new InMemoryOrderLookup([
      {
        id: 'A17',
        status: 'out for delivery',
        customerName: 'Maria',
        items: [{ name: 'coke', size: null, quantity: 2 }],
        total: 5,
        placedAt: '2026-11-21T12:00:00Z',
        phone: '555-123-4567',
      },
    ]);
    server = await FakeChatServer.start((_r, index) =>
      index === 0
        ? {
            kind: 'stream',
            events: [
              chunk.toolStart(0, 'c1', 'lookup_order'),
              chunk.toolArgs(0, '{"phone":"5551234567"}'),
              chunk.finish('tool_calls'),
            ],
          }
        : { kind: 'stream', events: textEvents('Your order is out for delivery.') },
    );
    const { text } = await turn(dialogFor(server.baseUrl, { orders }).createSession(), 'where is my order');
    expect(text).toBe('Your order is out for delivery.');
    expect(JSON.parse(server.requests[1]?.body.messages.at(-1)?.content ?? '')).toMatchObject({
      id: 'A17',
      status: 'out for delivery',
    });
  });

  it('turns the end_call tool into an end_call chunk after the goodbye', async () => {
    server = await FakeChatServer.start(() => ({
      kind: 'stream',
      events: [
        chunk.text('Thanks for calling, goodbye!'),
        chunk.toolStart(0, 'c9', 'end_call'),
        chunk.toolArgs(0, '{}'),
        chunk.finish('tool_calls'),
      ],
    }));
    const { chunks } = await turn(dialogFor(server.baseUrl).createSession(), 'that is all, bye');
    expect(chunks.map((c) => c.type)).toEqual(['text', 'end_call']);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a bad tool call back to the model instead of failing the turn', async () => {
    server = await FakeChatServer.start((_r, index) =>
      index === 0
        ? {
            kind: 'stream',
            events: [
              chunk.toolStart(0, 'c1', 'search_menu'),
              chunk.toolArgs(0, '{not json'),
              chunk.finish('tool_calls'),
            ],
          }
        : { kind: 'stream', events: textEvents('Sorry, what was that?') },
    );
    const { text } = await turn(dialogFor(server.baseUrl).createSession(), 'menu');
    expect(text).toBe('Sorry, what was that?');
    expect(server.requests[1]?.body.messages.at(-1)?.content).toMatch(
      /^error: the arguments were not valid JSON/,
    );
  });

  it('passes a co-pilot hint to the model once', async () => {
    server = await FakeChatServer.start(() => ({ kind: 'stream', events: textEvents('Sure.') }));
    const session = dialogFor(server.baseUrl).createSession();
    await turn(session, 'a coke', { hints: ['offer free garlic bread'] });
    await turn(session, 'and a lemonade', { hints: ['offer free garlic bread'] });
    const hintOf = (r: ChatRequest | undefined) =>
      r?.body.messages.filter((m) => m.role === 'system' && m.content?.includes('Coaching'));
    expect(hintOf(server.requests[0])?.[0]?.content).toContain('offer free garlic bread');
    expect(hintOf(server.requests[1])).toEqual([]);
  });

  it('stops streaming and closes the HTTP request when aborted', async () => {
    server = await FakeChatServer.start(() => ({
      kind: 'stream',
      events: Array.from({ length: 50 }, (_, i) => chunk.text(`word${i} `)),
      delayMs: 40,
    }));
    const session = dialogFor(server.baseUrl).createSession();
    const controller = new AbortController();
    const received: string[] = [];
    const started = performance.now();
    for await (const c of session.respond(
      { history: [], userText: 'tell me everything', hints: [] },
      controller.signal,
    )) {
      if (c.type === 'text') received.push(c.text);
      if (received.length === 3) controller.abort();
    }
    expect(performance.now() - started).toBeLessThan(1000);
    expect(received).toHaveLength(3);
    await expect.poll(() => server?.closedEarly).toEqual([0]);
  });

  it('hands off to a human on the agent handoff keywords without asking the model', async () => {
    server = await FakeChatServer.start(() => ({ kind: 'stream', events: textEvents('unused') }));
    const { chunks } = await turn(dialogFor(server.baseUrl).createSession(), 'can i talk to a manager');
    expect(chunks.at(-1)).toEqual({ type: 'handoff', reason: 'caller asked for a human' });
    expect(server.requests).toHaveLength(0);
  });

  it('fails with a clear code on HTTP errors, rate limits, broken chunks and unreachable endpoints', async () => {
    server = await FakeChatServer.start((_r, index) =>
      index === 0
        ? { kind: 'status', status: 401, body: '{"error":{"message":"bad key"}}' }
        : index === 1
          ? { kind: 'status', status: 429, body: '{"error":{"message":"slow down"}}' }
          : { kind: 'stream', events: ['{"choices": "nope"}'] },
    );
    const session = dialogFor(server.baseUrl).createSession();
    await expect(turn(session, 'hi')).rejects.toMatchObject({ code: 'dialog_http_error', status: 401 });
    await expect(turn(session, 'hi')).rejects.toMatchObject({ code: 'dialog_rate_limited', status: 429 });
    await expect(turn(session, 'hi')).rejects.toMatchObject({ code: 'dialog_invalid_response' });
    const closedUrl = server.baseUrl;
    await server.close();
    server = undefined;
    await expect(turn(dialogFor(closedUrl).createSession(), 'hi')).rejects.toMatchObject({
      code: 'dialog_unreachable',
    });
  });

  it('refuses to start without its API key, naming the variable', () => {
    const config = pizzeria();
    config.dialog = { ...config.dialog, provider: 'openai', apiKeyEnv: 'MISSING_API_KEY' };
    const policy = providerPolicyFromEnv({ PROVIDER_API_KEY_ENVS: 'MISSING_API_KEY' }, '/models');
    expect(() => new OpenAiCompatibleDialog({ config, env: {}, policy })).toThrow(DialogError);
    expect(() => new OpenAiCompatibleDialog({ config, env: {}, policy })).toThrow(/MISSING_API_KEY/);
  });

  it('never reads a key variable or calls an endpoint the operator did not allow', () => {
    const config = pizzeria();
    const env = { JWT_SECRET: 'secret', TEST_LLM_API_KEY: 'k' };
    const policy = providerPolicyFromEnv({ PROVIDER_API_KEY_ENVS: 'TEST_LLM_API_KEY' }, '/models');
    config.dialog = { ...config.dialog, provider: 'openai', apiKeyEnv: 'JWT_SECRET' };
    expect(() => new OpenAiCompatibleDialog({ config, env, policy })).toThrow(
      expect.objectContaining({ code: 'dialog_provider_not_allowed' }),
    );
    config.dialog = { ...config.dialog, apiKeyEnv: 'TEST_LLM_API_KEY', baseUrl: 'http://127.0.0.1:9/v1' };
    expect(() => new OpenAiCompatibleDialog({ config, env, policy })).toThrow(
      expect.objectContaining({ code: 'dialog_provider_not_allowed' }),
    );
  });
});
