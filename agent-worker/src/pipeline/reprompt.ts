import { spokenWords } from '@voiceroom/agent-core/nlu';
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

/**
 * What a reply was cut off before the caller heard its question: `said` (the reply as the dialog gave it) from the
 * sentence `heard` (what of it played out, a prefix by whole words) stops in, through its last question; undefined
 * when the question was heard whole or the reply asked none. From the cut sentence, not just the question: a read-back
 * cut in its first words must be heard before its "Shall I place the order?" means anything.
 */
export function unheardAsk(said: string, heard: string): string | undefined {
  const question = lastQuestion(said);
  if (question === undefined) return undefined;
  const sentences = said
    .slice(0, said.lastIndexOf(question) + question.length)
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => sentence.trim() !== '');
  let heardWords = spokenWords(heard).length;
  let cut = 0;
  while (cut < sentences.length && spokenWords(sentences[cut] as string).length <= heardWords)
    heardWords -= spokenWords(sentences[cut++] as string).length;
  return cut < sentences.length ? sentences.slice(cut).join(' ').trim() : undefined;
}

/**
 * What the agent says when the caller spoke and no reply came of it: an apology and the question the agent last
 * asked. A reply cut off before its question was heard whole says again what was not heard of it (`unheard`, see
 * unheardAsk); otherwise the question is taken from the history as far as the caller heard it, so it works with any
 * dialog (a reply with no question heard asks the caller to say it again).
 */
export function repromptFor(history: readonly ChatMessage[], unheard?: string): string {
  const last = history.findLast((m) => m.role === 'assistant' && m.speaker !== 'human');
  // a cut re-prompt owes its own question, not a second apology
  const owed = unheard?.startsWith(NOT_CAUGHT) ? unheard.slice(NOT_CAUGHT.length).trim() : unheard;
  return `${NOT_CAUGHT} ${owed || ((last && lastQuestion(last.content)) ?? SAY_AGAIN)}`;
}
