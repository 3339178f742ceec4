import { findPhrase } from './text.ts';

/** The verbs a caller changes the order with ("add a coke", "change the pizza to large", "take off the salad"). */
const ORDER_VERBS = [
  'add',
  'change',
  'make',
  'switch',
  'swap',
  'replace',
  'remove',
  'cancel',
  'drop',
  'take off',
  'take out',
];

/** Words a clause of its own says before its verb ("... and change", "no, make it", "can you add", "also add"). */
const CLAUSE_OPENERS = new Set([
  'and',
  'also',
  'plus',
  'then',
  'but',
  'no',
  'oh',
  'actually',
  'please',
  'you',
]);

/**
 * Whether the turn says in a clause of its own that it changes the order: an order verb that starts the turn or
 * follows a word clauses start with ("no the address is 823 oak street and change the pizza to large"). A verb inside
 * another detail ("no the address is eight hundred twenty make it three colas") is most likely part of it misheard.
 */
export function namesOrderChange(words: readonly string[]): boolean {
  return ORDER_VERBS.some((verb) => {
    for (let at = findPhrase(words, verb); at >= 0; at = findPhrase(words, verb, at + 1))
      if (at === 0 || CLAUSE_OPENERS.has(words[at - 1] ?? '')) return true;
    return false;
  });
}
