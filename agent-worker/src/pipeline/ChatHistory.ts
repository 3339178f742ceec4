import { spokenWords } from '@voiceroom/agent-core/nlu';
import type { ChatMessage } from '@voiceroom/agent-core/stages';

export interface ChatHistoryOptions {
  /** Oldest messages are dropped beyond this many, so a long call keeps memory bounded. */
  maxMessages?: number;
  /** Longer messages keep their end (the newest words). */
  maxMessageChars?: number;
}

/** The conversation as the dialog sees it: caller turns and the agent turns as far as the caller heard them. */
export class ChatHistory {
  readonly #messages: ChatMessage[] = [];
  readonly #maxMessages: number;
  readonly #maxMessageChars: number;
  #unheardAsk: string | undefined;

  constructor(options: ChatHistoryOptions = {}) {
    this.#maxMessages = options.maxMessages ?? 50;
    this.#maxMessageChars = options.maxMessageChars ?? 4000;
  }

  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  get totalChars(): number {
    return this.#messages.reduce((sum, m) => sum + m.content.length, 0);
  }

  addUser(text: string): void {
    this.#add({ role: 'user', content: text });
  }

  /**
   * What the agent's latest turn was cut off in before the caller heard its question whole (see reprompt.ts
   * unheardAsk): what the agent is still waiting to have answered, though the history holds only what was heard.
   */
  get unheardAsk(): string | undefined {
    return this.#unheardAsk;
  }

  /**
   * An agent turn as far as the caller heard it, and what of it up to its question went unheard, if any. A turn of which
   * nothing was heard and that asked nothing leaves the question owed before it.
   */
  addAssistant(text: string, unheardAsk?: string): void {
    if (unheardAsk !== undefined || text.trim() !== '') this.#unheardAsk = unheardAsk;
    this.#add({ role: 'assistant', content: text });
  }

  /** A human agent's words to the caller: the business side speaking, so an assistant turn marked as theirs. */
  addHuman(text: string): void {
    this.#add({ role: 'assistant', content: `[human agent] ${text.trim()}`, speaker: 'human' });
  }

  #add(message: ChatMessage): void {
    const content = message.content.trim();
    if (content === '') return;
    this.#messages.push({ ...message, content: content.slice(-this.#maxMessageChars) });
    if (this.#messages.length > this.#maxMessages)
      this.#messages.splice(0, this.#messages.length - this.#maxMessages);
  }
}

/**
 * The words of `text` the caller heard when `playedSamples` of its `totalSamples` went out: speech rate is taken
 * as uniform over the sentence, rounded down to whole words.
 */
export function heardPrefix(text: string, playedSamples: number, totalSamples: number): string {
  if (totalSamples <= 0 || playedSamples <= 0) return '';
  if (playedSamples >= totalSamples) return text;
  const words = spokenWords(text);
  const count = Math.floor((words.length * playedSamples) / totalSamples);
  return words.slice(0, count).join(' ');
}
