import type { ChatMessage } from '@voiceroom/agent-core/stages';

const NOT_CAUGHT = "Sorry, I didn't catch that.";
const SAY_AGAIN = 'Could you say that again?';

/** The last question sentence of `text`, if it asks one. */
function lastQuestion(text: string): string | undefined {
  return text
    .match(/[^.!?]*\?/g)
    ?.at(-1)
    ?.trim();
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The question a reply was cut off before (or while) asking: the last question of `said` (the reply as the dialog
 * gave it) when `heard` (what of it played out, a prefix by whole words) stops short of that question's end.
 */
export function unheardQuestion(said: string, heard: string): string | undefined {
  const question = lastQuestion(said);
  if (question === undefined) return undefined;
  const upToQuestion = said.slice(0, said.lastIndexOf(question) + question.length);
  return wordCount(heard) < wordCount(upToQuestion) ? question : undefined;
}

/**
 * What the agent says when the caller spoke and no reply came of it: an apology and the question the agent last
 * asked. A reply cut off before its question was heard whole asks that question (`unheard`); otherwise it is taken
 * from the history as far as the caller heard it, so it works with any dialog (a reply with no question heard asks
 * the caller to say it again).
 */
export function repromptFor(history: readonly ChatMessage[], unheard?: string): string {
  const last = history.findLast((m) => m.role === 'assistant' && m.speaker !== 'human');
  return `${NOT_CAUGHT} ${unheard ?? (last && lastQuestion(last.content)) ?? SAY_AGAIN}`;
}
