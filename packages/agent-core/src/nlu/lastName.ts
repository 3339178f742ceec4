import { editDistance } from './fuzzy.ts';
import { isSurnameOnly } from './knownNames.ts';
import { findPhrase } from './text.ts';

/** Whether `name` is a first name said without the last name: one word, and none callers have only as a surname. */
export function lacksLastName(name: string): boolean {
  return !name.includes(' ') && !isSurnameOnly(name.toLowerCase());
}

/** Whether the agent's last question (in `agentText`) asks for the last name ("And your last name?"). */
export function asksLastName(agentText: string): boolean {
  const questions = agentText.split(/(?<=[.!?])\s+/).filter((s) => s.includes('?'));
  return /\blast name\b/i.test(questions.at(-1) ?? '');
}

/** From this many letters two changed letters are still the same name said again ("Kathryn", "Katherine"). */
const LONG_NAME = 6;

/**
 * The name held after `heard` (one name found in a turn, `words` the turn's words): a word said as the last name
 * ("my last name is Smith", or any one word answering "And your last name?": `askedLast`) completes a first name
 * held alone; the first name said again, however spelled, is taken as said, not as a last name ("Teresa Theresa");
 * anything else stands as heard (a whole name, a name given afresh).
 */
export function withLastName(
  held: string | null,
  heard: string,
  words: readonly string[],
  askedLast: boolean,
): string {
  if (held === null || !lacksLastName(held) || heard.includes(' ')) return heard;
  const respelled = held.length >= LONG_NAME ? 2 : 1;
  if (editDistance(held.toLowerCase(), heard.toLowerCase(), respelled) <= respelled) return heard;
  return askedLast || findPhrase(words, 'last name') >= 0 ? `${held} ${heard}` : heard;
}
