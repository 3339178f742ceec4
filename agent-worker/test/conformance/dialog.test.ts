import { OpenAiCompatibleDialog, ScriptedDialog } from '@voiceroom/agent-core/dialog';
import { providerPolicyFromEnv } from '@voiceroom/protocol';
import {
  type ChatRequest,
  chunk,
  FakeChatServer,
  type Reply,
} from '../../../packages/agent-core/test/dialog/fakeChatServer.ts';
import { pizzeria } from '../../../packages/agent-core/test/nlu/pizzeria.ts';
import { describeDialogConformance } from './dialog.conformance.ts';

describeDialogConformance('scripted', async () => ({ dialog: new ScriptedDialog({ config: pizzeria() }) }));

/**
 * A stand-in model on loopback (see FakeChatServer): it repeats the caller's words back and calls end_call on a
 * goodbye, streaming word by word. It checks the provider's plumbing (SSE, tools, abort), not a model's judgement.
 */
function echoModel(request: ChatRequest): Reply {
  const said =
    [...request.body.messages]
      .reverse()
      .find((m) => m.role === 'user')
      ?.content?.trim() ?? '';
  if (said === '')
    return { kind: 'stream', events: words("Sorry, I didn't catch that. What would you like?"), delayMs: 5 };
  if (/\bbye\b/.test(said)) {
    return {
      kind: 'stream',
      events: [
        ...words('Thanks for calling, goodbye!'),
        chunk.toolStart(0, 'end', 'end_call'),
        chunk.toolArgs(0, '{}'),
      ],
    };
  }
  return { kind: 'stream', events: words(`Sure, ${said}. Anything else?`), delayMs: 20 };
}

function words(text: string): unknown[] {
  return (text.match(/\S+\s*/g) ?? []).map((w) => chunk.text(w));
}

describeDialogConformance('openai-compatible (loopback SSE server)', async () => {
  const server = await FakeChatServer.start(echoModel);
  const config = pizzeria();
  config.dialog = {
    ...config.dialog,
    provider: 'openai',
    baseUrl: server.baseUrl,
    model: 'echo',
    apiKeyEnv: 'ECHO_API_KEY',
  };
  return {
    dialog: new OpenAiCompatibleDialog({
      config,
      env: { ECHO_API_KEY: 'k' },
      policy: providerPolicyFromEnv(
        { PROVIDER_API_KEY_ENVS: 'ECHO_API_KEY', PROVIDER_BASE_URLS: server.baseUrl },
        '/models',
      ),
    }),
    teardown: () => server.close(),
  };
});
