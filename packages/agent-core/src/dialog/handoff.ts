import type { AgentConfig } from '@voiceroom/protocol';
import { isGoodbye, negativeSentiment, normWords, wantsHuman } from '../nlu/index.ts';
import type { DialogChunk } from '../stages/types.ts';

/**
 * Decisions every model-backed provider takes the same way, without asking the model: a caller who asks for a person
 * (the agent's handoff keywords) or sounds upset gets one, and a goodbye ends the call after the reply.
 */
/** What the agent says when it brings in a person, and the reason the console shows. */
export const HANDOFFS = {
  asked: {
    text: 'Of course, let me get a person to help you. One moment please.',
    reason: 'caller asked for a human',
  },
  upset: {
    text: "I'm sorry about this. Let me get a person to help you right away.",
    reason: 'caller sounds upset',
  },
} as const;

/** negativeSentiment score from which the caller is handed to a person. */
export const UPSET_SCORE = 2;

export function humanRequested(userText: string, config: AgentConfig): DialogChunk[] | undefined {
  const heard = normWords(userText);
  const handoff =
    negativeSentiment(heard) >= UPSET_SCORE
      ? HANDOFFS.upset
      : wantsHuman(heard, config.handoff.keywords)
        ? HANDOFFS.asked
        : undefined;
  if (!handoff) return undefined;
  return [
    { type: 'text', text: handoff.text },
    { type: 'handoff', reason: handoff.reason },
  ];
}

export function saysGoodbye(userText: string): boolean {
  return isGoodbye(normWords(userText));
}
