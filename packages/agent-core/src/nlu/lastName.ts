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
 * The name held after `heard` (one name found in a turn, `words` the turn's words), where a recogniser loses the last
 * name more often than it hears a caller give half a name. A first name held alone is completed by a word said as the
 * last name ("my last name is Smith", or any one word answering "And your last name?": `askedLast`); said again,
 * however spelled, it is taken as said, not as a last name ("Teresa Theresa"). A whole name held keeps its last name
 * when a first name alone is heard ("no, my name is James" for Tina Black: James Black) and its first name when a
 * last name is said as one ("no, the last name is Garcia"). A whole name heard stands as heard.
 */
export function withLastName(
  held: string | null,
  heard: string,
  words: readonly string[],
  askedLast: boolean,
): string {
  if (held === null || heard.includes(' ')) return heard;
  const saysLast = askedLast || findPhrase(words, 'last name') >= 0;
  const [first, ...last] = held.split(' ');
  if (last.length > 0) {
    if (saysLast) return `${first} ${heard}`;
    return lacksLastName(heard) ? `${heard} ${last.join(' ')}` : heard;
  }
  if (!lacksLastName(held)) return heard;
  const respelled = held.length >= LONG_NAME ? 2 : 1;
  if (editDistance(held.toLowerCase(), heard.toLowerCase(), respelled) <= respelled) return heard;
  return saysLast ? `${held} ${heard}` : heard;
}
