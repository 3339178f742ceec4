import { randomUUID } from 'node:crypto';
import { DialogError } from '@voiceroom/agent-core/dialog';
import type { ChatMessage, Dialog, DialogSession } from '@voiceroom/agent-core/stages';
import { type AgentConfig, CodedError } from '@voiceroom/protocol';

export type ConversationErrorCode =
  | 'agent_not_found'
  | 'conversation_not_found'
  | 'conversation_busy'
  | 'conversation_ended'
  | 'agent_dialog_failed';

export class ConversationError extends CodedError<ConversationErrorCode> {
  constructor(code: ConversationErrorCode, message: string) {
    super(code, message);
    this.name = 'ConversationError';
  }
}

export interface AgentReply {
  conversationId: string;
  reply: string;
  /** Set when the agent asked for a human. */
  handoff: string | null;
  /** True once the agent ended the conversation (after its goodbye). */
  ended: boolean;
}

export interface TextConversationsOptions {
  agentConfigs: { get(id: string): Promise<AgentConfig | undefined> };
  createDialog: (config: AgentConfig) => Promise<Dialog>;
  /** Oldest idle conversations are dropped beyond this many. */
  maxConversations?: number;
  idleTtlMs?: number;
  /** Longest an agent may take for one reply. */
  replyTimeoutMs?: number;
  now?: () => number;
}

interface Conversation {
  id: string;
  ownerId: string;
  session: DialogSession;
  history: ChatMessage[];
  busy: boolean;
  ended: boolean;
  lastUsedAt: number;
}

/**
 * Text-only conversations with an agent's dialog (the same policy or LLM the voice pipeline uses), for testing an
 * agent without audio. Conversations live in memory, belong to the user who started them, and expire when idle.
 */
export class TextConversations {
  readonly #options: Required<Omit<TextConversationsOptions, 'agentConfigs' | 'createDialog'>> &
    Pick<TextConversationsOptions, 'agentConfigs' | 'createDialog'>;
  readonly #conversations = new Map<string, Conversation>();
  readonly #dialogs = new Map<string, Promise<Dialog>>();

  constructor(options: TextConversationsOptions) {
    this.#options = {
      maxConversations: 500,
      idleTtlMs: 15 * 60_000,
      replyTimeoutMs: 30_000,
      now: Date.now,
      ...options,
    };
  }

  get size(): number {
    return this.#conversations.size;
  }

  /** Starts a conversation; the reply is the agent's greeting. */
  async start(agentId: string, ownerId: string): Promise<AgentReply> {
    const config = await this.#options.agentConfigs.get(agentId);
    if (!config) throw new ConversationError('agent_not_found', `No agent configuration '${agentId}'.`);
    const dialog = await this.#dialogFor(config);
    this.#evict();
    const conversation: Conversation = {
      id: randomUUID(),
      ownerId,
      session: dialog.createSession(),
      history: [{ role: 'assistant', content: config.greeting }],
      busy: false,
      ended: false,
      lastUsedAt: this.#options.now(),
    };
    this.#conversations.set(conversation.id, conversation);
    return { conversationId: conversation.id, reply: config.greeting, handoff: null, ended: false };
  }

  /** Sends the caller's text and returns the agent's whole reply. One message at a time per conversation. */
  async send(conversationId: string, ownerId: string, text: string): Promise<AgentReply> {
    const conversation = this.#owned(conversationId, ownerId);
    if (conversation.ended) {
      throw new ConversationError(
        'conversation_ended',
        'The agent ended this conversation; start a new one.',
      );
    }
    if (conversation.busy) {
      throw new ConversationError('conversation_busy', 'The agent is still answering the previous message.');
    }
    conversation.busy = true;
    conversation.lastUsedAt = this.#options.now();
    conversation.history.push({ role: 'user', content: text });
    let reply = '';
    let handoff: string | null = null;
    try {
      const signal = AbortSignal.timeout(this.#options.replyTimeoutMs);
      const chunks = conversation.session.respond(
        { history: conversation.history, userText: text, hints: [] },
        signal,
      );
      for await (const chunk of chunks) {
        if (chunk.type === 'text') reply += chunk.text;
        else if (chunk.type === 'handoff') handoff = chunk.reason;
        else conversation.ended = true;
      }
    } catch (error) {
      if (!(error instanceof DialogError)) throw error;
      conversation.history.pop();
      throw new ConversationError(
        'agent_dialog_failed',
        `The agent's dialog provider failed (${error.code}); send the message again, or ask an admin to check the agent's dialog settings.`,
      );
    } finally {
      conversation.busy = false;
    }
    reply = reply.trim();
    conversation.history.push({ role: 'assistant', content: reply });
    return { conversationId, reply, handoff, ended: conversation.ended };
  }

  end(conversationId: string, ownerId: string): void {
    const conversation = this.#owned(conversationId, ownerId);
    this.#drop(conversation);
  }

  /** Ends every conversation and closes the dialogs loaded for them (a GGUF model is unloaded). */
  close(): void {
    for (const conversation of [...this.#conversations.values()]) this.#drop(conversation);
    for (const dialog of this.#dialogs.values()) {
      dialog
        .then((d) => d.close())
        .catch(() => {
          // a dialog that failed to load has nothing to close
        });
    }
    this.#dialogs.clear();
  }

  #owned(conversationId: string, ownerId: string): Conversation {
    const conversation = this.#conversations.get(conversationId);
    // Someone else's conversation is reported as missing, not forbidden: ids are not to be probed.
    if (!conversation || conversation.ownerId !== ownerId) {
      throw new ConversationError(
        'conversation_not_found',
        `No conversation '${conversationId}' (or it expired).`,
      );
    }
    return conversation;
  }

  #dialogFor(config: AgentConfig): Promise<Dialog> {
    // One dialog per agent configuration version: a model is loaded once and shared by its conversations.
    const key = JSON.stringify(config);
    let dialog = this.#dialogs.get(key);
    if (!dialog) {
      dialog = this.#options.createDialog(config);
      dialog.catch(() => this.#dialogs.delete(key));
      this.#dialogs.set(key, dialog);
    }
    return dialog;
  }

  #evict(): void {
    const now = this.#options.now();
    for (const conversation of [...this.#conversations.values()]) {
      if (now - conversation.lastUsedAt > this.#options.idleTtlMs) this.#drop(conversation);
    }
    const byAge = [...this.#conversations.values()].sort((a, b) => a.lastUsedAt - b.lastUsedAt);
    while (byAge.length >= this.#options.maxConversations) {
      const oldest = byAge.shift();
      if (oldest) this.#drop(oldest);
    }
  }

  #drop(conversation: Conversation): void {
    this.#conversations.delete(conversation.id);
    conversation.session.close();
  }
}
