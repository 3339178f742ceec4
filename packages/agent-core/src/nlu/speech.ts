import { numberToWords } from './numbers.ts';
import type { OrderLine } from './order.ts';

/** Order lines as the agent says them: "two large pepperoni pizzas", "a coke". */
export function describeLine(line: OrderLine): string {
  // "an order of chicken wings", "two orders of chicken wings"
  if (/s$/.test(line.name)) {
    const size = line.size ? `${line.size} ` : '';
    return line.quantity === 1
      ? `an order of ${size}${line.name}`
      : `${numberToWords(line.quantity)} orders of ${size}${line.name}`;
  }
  const name = line.quantity === 1 ? line.name : pluralize(line.name);
  const size = line.size ? `${line.size} ` : '';
  const count =
    line.quantity === 1 ? (/^[aeiou]/i.test(size || name) ? 'an' : 'a') : numberToWords(line.quantity);
  return `${count} ${size}${name}`;
}

export function describeLines(lines: readonly OrderLine[]): string {
  const parts = lines.map(describeLine);
  if (parts.length <= 1) return parts[0] ?? 'nothing yet';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function pluralize(name: string): string {
  const words = name.split(' ');
  const last = words.at(-1) ?? '';
  if (/s$/.test(last)) return name;
  const plural = /(ch|sh|x|z)$/.test(last)
    ? `${last}es`
    : /[^aeiou]y$/.test(last)
      ? `${last.slice(0, -1)}ies`
      : `${last}s`;
  return [...words.slice(0, -1), plural].join(' ');
}
