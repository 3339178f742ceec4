import { numberToWords } from '@voiceroom/agent-core/nlu';

/**
 * The ways a caller or the agent says a price such as 15.5 ("fifteen fifty", "fifteen dollars fifty", ...), as
 * word sequences for the language model. Numbers are spelled by the NLU's numberToWords (hyphens become spaces).
 */
export function spokenPriceVariants(price: number): string[] {
  const dollars = Math.floor(price);
  const cents = Math.round((price - dollars) * 100);
  const d = spell(dollars);
  if (cents === 0) return [`${d} dollars`, d];
  const c = spell(cents);
  return [`${d} ${c}`, `${d} dollars ${c}`, `${d} dollars and ${c} cents`];
}

export function spell(n: number): string {
  return numberToWords(n).replaceAll('-', ' ');
}
