import type { AgentConfig } from '@voiceroom/protocol';
import { isGoodbye, negativeSentiment, normWords, type Understanding, wantsHuman } from '../nlu/index.ts';
import type { DialogChunk } from '../stages/types.ts';
import type { Reply } from './scriptedFacts.ts';

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

/** The scripted dialog's handoff for a caller who sounds upset, asks for a person, or says yes to the offer of one. */
export function handoffHeard(u: Understanding, offeredHuman: boolean): Reply | undefined {
  const handoff =
    u.upset >= UPSET_SCORE
      ? HANDOFFS.upset
      : u.wantsHuman || (offeredHuman && u.yes)
        ? HANDOFFS.asked
        : undefined;
  return handoff && { sentences: [handoff.text], handoff: handoff.reason };
}

export function saysGoodbye(userText: string): boolean {
  return isGoodbye(normWords(userText));
}
