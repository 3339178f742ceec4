import type { SessionResume } from '@voiceroom/protocol';
import type { CallEventBus } from '../CallEventBus.ts';
import { ConversationRecord } from './ConversationRecord.ts';

export interface AgentRecoveryOptions {
  bus: CallEventBus;
  /** Agents lost per call that are replaced before the call is given up (default 3). */
  maxRedispatchesPerCall?: number;
}

/**
 * The gateway's policy for calls that lose their agent (worker crash or silence): how often one call may get a
 * replacement, and what a replacement is told so it resumes the call instead of starting over (see
 * ConversationRecord). Per room; forgotten when the room closes.
 */
export class AgentRecovery {
  readonly #bus: CallEventBus;
  readonly #limit: number;
  readonly #conversations: ConversationRecord;
  /** Rooms whose lost agent had joined the call: the next agent there resumes the conversation. */
  readonly #resuming = new Set<string>();
  readonly #lost = new Map<string, number>();
  readonly #unsubscribe: () => void;

  constructor(options: AgentRecoveryOptions) {
    this.#bus = options.bus;
    this.#limit = options.maxRedispatchesPerCall ?? 3;
    this.#conversations = new ConversationRecord(options.bus);
    this.#unsubscribe = options.bus.on('room.closed', ({ roomId }) => {
      this.#resuming.delete(roomId);
      this.#lost.delete(roomId);
    });
  }

  get limit(): number {
    return this.#limit;
  }

  /**
   * An agent is being dispatched into `roomId`: the resume it must carry when the call already lost an agent that had
   * joined it, else undefined (a fresh agent greets).
   */
  dispatching(roomId: string): SessionResume | undefined {
    const resume = this.#resuming.has(roomId) ? this.#conversations.resume(roomId) : undefined;
    this.#conversations.agentDispatched(roomId);
    return resume;
  }

  /**
   * The agent of `roomId` was lost (`joined`: it had joined the call). The reply the caller was hearing is published
   * as a final segment, cut where it stopped. Returns how many agents the call has lost and whether another one may
   * be dispatched.
   */
  agentLost(roomId: string, joined: boolean): { count: number; replace: boolean } {
    for (const cut of this.#conversations.cutAgentLines(roomId))
      this.#bus.emit('transcript', { roomId, ...cut, speaker: 'agent', final: true, interrupted: true });
    const count = (this.#lost.get(roomId) ?? 0) + 1;
    this.#lost.set(roomId, count);
    if (joined) this.#resuming.add(roomId);
    return { count, replace: count <= this.#limit };
  }

  close(): void {
    this.#unsubscribe();
    this.#conversations.close();
    this.#resuming.clear();
    this.#lost.clear();
  }
}
