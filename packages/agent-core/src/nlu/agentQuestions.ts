import type { Expectation } from './understand.ts';

/** The agent checks what it heard: "Did you say six caesar salads?" */
const CHECK = /\bdid you (?:say|mean)\b([^?]*)/i;

/**
 * What an agent's check question ("Did you say six caesar salads?") asks the caller to confirm: the words after
 * "did you say" or "did you mean" up to the question mark, or to the end of `text` for a human agent's words as
 * recognised (no punctuation). Undefined when `text` asks no such check.
 */
export function checkedPhrase(text: string): string | undefined {
  return CHECK.exec(text)?.[1]?.trim();
}

/** What an agent's (or human agent's) sentence asks the caller for, judged from its last question. */
export function expectationFromAgent(text: string): Expectation {
  const lower = text.toLowerCase();
  const lastQuestion =
    lower
      .split(/(?<=[.!?])\s+/)
      .filter((s) => s.trim())
      .at(-1) ?? lower;
  if (checkedPhrase(lastQuestion) !== undefined) return 'check';
  if (/\b(would you like me to|do you want me to)\b/.test(lastQuestion)) return 'yesno';
  if (/\b(size|small|medium|large)\b/.test(lastQuestion) && /\b(what|which)\b/.test(lastQuestion))
    return 'size';
  if (/\bname\b/.test(lastQuestion)) return 'name';
  // "What's the house number on Oak Street?" asks for the address, not a phone number
  if (/\b(address|deliver(ed)? to|where (should|do|can|shall)|house number|street)\b/.test(lastQuestion))
    return 'address';
  if (/\b(phone|number to reach|callback number|contact number|number)\b/.test(lastQuestion)) return 'phone';
  if (
    /\b(confirm|is that (right|correct)|shall i place|should i place|does that sound|sound right|all correct|that correct)\b/.test(
      lastQuestion,
    )
  )
    return 'confirm';
  if (/\b(anything else|what (can|would|else)|order|get for you|like to)\b/.test(lastQuestion))
    return 'order';
  return 'none';
}
