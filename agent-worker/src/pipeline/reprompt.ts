import type { ChatMessage } from '@voiceroom/agent-core/stages';

const NOT_CAUGHT = "Sorry, I didn't catch that.";
const SAY_AGAIN = 'Could you say that again?';

/**
 * What the agent says when the caller spoke and no reply came of it: an apology and the question the agent last
 * asked, as far as the caller heard it (a reply broken off before its question asks them to say it again). Taken
 * from the history, so it works with any dialog.
 */
export function repromptFor(history: readonly ChatMessage[]): string {
  const last = history.findLast((m) => m.role === 'assistant' && m.speaker !== 'human');
  const question = last?.content
    .match(/[^.!?]*\?/g)
    ?.at(-1)
    ?.trim();
  return `${NOT_CAUGHT} ${question ?? SAY_AGAIN}`;
}
