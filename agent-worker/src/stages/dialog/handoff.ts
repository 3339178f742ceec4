import type { AgentConfig } from '@voiceroom/sdk/protocol';
import { isGoodbye, negativeSentiment, tokenize, wantsHuman } from '../../nlu/index.ts';
import type { DialogChunk } from '../types.ts';

/**
 * Decisions every model-backed provider takes the same way, without asking the model: a caller who asks for a person
 * (the agent's handoff keywords) or sounds upset gets one, and a goodbye ends the call after the reply.
 */
export function humanRequested(userText: string, config: AgentConfig): DialogChunk[] | undefined {
  const heard = words(userText);
  if (negativeSentiment(heard) >= 2) {
    return [
      { type: 'text', text: "I'm sorry about this. Let me get a person to help you right away." },
      { type: 'handoff', reason: 'caller sounds upset' },
    ];
  }
  if (!wantsHuman(heard, config.handoff.keywords)) return undefined;
  return [
    { type: 'text', text: 'Of course, let me get a person to help you. One moment please.' },
    { type: 'handoff', reason: 'caller asked for a human' },
  ];
}

export function saysGoodbye(userText: string): boolean {
  return isGoodbye(words(userText));
}

function words(text: string): string[] {
  return tokenize(text).map((t) => t.norm);
}
