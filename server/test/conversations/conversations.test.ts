import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { createDialog } from '@voiceroom/agent-core/dialog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../src/auth/TokenService.ts';
import { TextConversations } from '../../src/conversations/TextConversations.ts';
import { createConversationsRouter } from '../../src/http/routes/conversations.ts';
import { errorCode, type Harness, JWT, startHarness } from '../http/harness.ts';

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);
const conversations = new TextConversations({
  agentConfigs: { get: async (id) => (id === pizzeria.id ? pizzeria : undefined) },
  createDialog: (config) => createDialog(config),
});

let h: Harness;
let agentToken: string;
let supervisorToken: string;

beforeAll(async () => {
  h = await startHarness({
    routers: [createConversationsRouter({ tokens: new TokenService(JWT), conversations })],
  });
  agentToken = (await h.login('agent@voiceroom.local')).accessToken;
  supervisorToken = (await h.login('supervisor@voiceroom.local')).accessToken;
});
afterAll(async () => {
  conversations.close();
  await h?.close();
});

async function say(conversationId: string, text: string, token = agentToken) {
  return h.request('POST', `/api/conversations/${conversationId}/messages`, { body: { text }, token });
}

describe('text conversations with an agent', () => {
  it('greets, takes an order by text and names the item in the reply', async () => {
    const started = await h.request('POST', '/api/agent-configs/pizzeria/conversations', {
      token: agentToken,
    });
    expect(started.status).toBe(201);
    const { conversationId, reply: greeting } = (await started.json()) as {
      conversationId: string;
      reply: string;
    };
    expect(greeting).toBe(pizzeria.greeting);

    const res = await say(conversationId, "I'd like two large pepperoni pizzas");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reply: string; ended: boolean };
    expect(body.reply.toLowerCase()).toContain('pepperoni');
    expect(body.ended).toBe(false);
  });

  it('refuses anonymous callers, unknown agents, empty text and other users’ conversations', async () => {
    expect((await h.request('POST', '/api/agent-configs/pizzeria/conversations')).status).toBe(401);
    const unknown = await h.request('POST', '/api/agent-configs/nope/conversations', { token: agentToken });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('agent_not_found');

    const started = await h.request('POST', '/api/agent-configs/pizzeria/conversations', {
      token: agentToken,
    });
    const { conversationId } = (await started.json()) as { conversationId: string };
    const empty = await say(conversationId, '   ');
    expect(empty.status).toBe(400);
    const foreign = await say(conversationId, 'hello', supervisorToken);
    expect(foreign.status).toBe(404);
    expect(await errorCode(foreign)).toBe('conversation_not_found');

    expect(
      (await h.request('DELETE', `/api/conversations/${conversationId}`, { token: agentToken })).status,
    ).toBe(204);
    expect((await say(conversationId, 'hello')).status).toBe(404);
  });
});

describe('TextConversations', () => {
  it('expires idle conversations and caps how many are kept', async () => {
    let now = 0;
    const store = new TextConversations({
      agentConfigs: { get: async () => pizzeria },
      createDialog: (config) => createDialog(config),
      maxConversations: 2,
      idleTtlMs: 1000,
      now: () => now,
    });
    const first = await store.start('pizzeria', 'u1');
    await store.start('pizzeria', 'u1');
    await store.start('pizzeria', 'u1');
    expect(store.size).toBe(2);
    await expect(store.send(first.conversationId, 'u1', 'hello')).rejects.toMatchObject({
      code: 'conversation_not_found',
    });
    now = 5000;
    await store.start('pizzeria', 'u1');
    expect(store.size).toBe(1);
    store.close();
  });

  it('reports a failing dialog provider as agent_dialog_failed, not an internal error', async () => {
    const unreachable = 'http://127.0.0.1:9';
    const config = {
      ...pizzeria,
      dialog: {
        ...pizzeria.dialog,
        provider: 'openai' as const,
        baseUrl: unreachable,
        apiKeyEnv: 'TEST_API_KEY',
      },
    };
    const env = { TEST_API_KEY: 'k', PROVIDER_API_KEY_ENVS: 'TEST_API_KEY', PROVIDER_BASE_URLS: unreachable };
    const store = new TextConversations({
      agentConfigs: { get: async () => config },
      createDialog: (c) => createDialog(c, { env }),
    });
    const { conversationId } = await store.start('pizzeria', 'u1');
    await expect(store.send(conversationId, 'u1', 'hello')).rejects.toMatchObject({
      code: 'agent_dialog_failed',
      message: expect.stringContaining('dialog_unreachable'),
    });
    store.close();
  });

  it('close() closes the dialogs it loaded, once each', async () => {
    let closed = 0;
    const store = new TextConversations({
      agentConfigs: { get: async () => pizzeria },
      createDialog: async (config) => {
        const dialog = await createDialog(config);
        return { name: dialog.name, createSession: () => dialog.createSession(), close: () => void closed++ };
      },
    });
    await store.start('pizzeria', 'u1');
    await store.start('pizzeria', 'u2');
    store.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(1);
  });
});
