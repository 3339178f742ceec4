/**
 * The peer's LLM slot: our scripted dialog (agent-core ScriptedDialog, the policy our worker runs for the pizzeria
 * agent) behind @livekit/agents' LLM interface, so both agents answer the same words with the same rules. One
 * dialog session per call (it keeps the order's state); the history it gets is the framework's chat context.
 */
import { randomUUID } from 'node:crypto';
import { type APIConnectOptions, DEFAULT_API_CONNECT_OPTIONS, llm } from '@livekit/agents';
import type { ChatMessage, Dialog, DialogSession } from '@voiceroom/agent-core/stages';

/** The framework's chat context as our dialog's history: user and assistant text, oldest first. */
function historyOf(chatCtx: llm.ChatContext): ChatMessage[] {
  return chatCtx.items.flatMap((item): ChatMessage[] => {
    if (item.type !== 'message' || (item.role !== 'user' && item.role !== 'assistant')) return [];
    const content = item.textContent ?? '';
    return content ? [{ role: item.role, content }] : [];
  });
}

export class ScriptedPeerLlm extends llm.LLM {
  readonly #session: DialogSession;

  constructor(dialog: Dialog) {
    super();
    this.#session = dialog.createSession();
  }

  label(): string {
    return 'voiceroom.ScriptedDialog';
  }

  chat({
    chatCtx,
    connOptions,
  }: {
    chatCtx: llm.ChatContext;
    connOptions?: APIConnectOptions;
  }): llm.LLMStream {
    return new ScriptedLlmStream(this, this.#session, {
      chatCtx,
      connOptions: connOptions ?? DEFAULT_API_CONNECT_OPTIONS,
    });
  }

  override async aclose(): Promise<void> {
    this.#session.close();
  }
}

class ScriptedLlmStream extends llm.LLMStream {
  readonly #session: DialogSession;

  constructor(
    owner: llm.LLM,
    session: DialogSession,
    options: { chatCtx: llm.ChatContext; connOptions: APIConnectOptions },
  ) {
    super(owner, options);
    this.#session = session;
  }

  protected async run(): Promise<void> {
    const history = historyOf(this.chatCtx);
    const last = history.at(-1);
    if (last?.role !== 'user') return;
    const id = randomUUID();
    const reply = this.#session.respond(
      { history, userText: last.content, hints: [] },
      this.abortController.signal,
    );
    for await (const chunk of reply) {
      if (chunk.type === 'text') this.queue.put({ id, delta: { role: 'assistant', content: chunk.text } });
    }
  }
}
