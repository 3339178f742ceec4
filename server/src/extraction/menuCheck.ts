import type { AgentConfig } from '@voiceroom/protocol';
import type { ExtractionResult } from './schema.ts';

type Menu = AgentConfig['menu'];
type MenuItem = Menu['items'][number];

function key(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function findItem(menu: Menu, name: string): MenuItem | undefined {
  const wanted = key(name);
  const plural = wanted.replace(/s$/, '');
  return menu.items.find((item) =>
    [item.name, ...item.aliases].some((n) => key(n) === wanted || key(n) === plural),
  );
}

function menuPrice(item: MenuItem, size: string | null): number | null {
  if (item.sizes) {
    const sized = size ? Object.entries(item.sizes).find(([s]) => key(s) === key(size)) : undefined;
    return sized ? sized[1] : null;
  }
  return item.price ?? null;
}

/**
 * Checks a model's extraction against the agent's menu: an item on the menu gets its canonical name and the
 * menu's price, or none when the size is unknown (the transcript, and so anyone speaking in it, cannot set
 * prices), and the menu currency when the model gave none; items not on the menu are kept but lower the confidence. What changed is added to notes.
 */
export function checkAgainstMenu(result: ExtractionResult, menu: Menu): ExtractionResult {
  if (menu.items.length === 0) return result;
  const notes: string[] = [];
  let unknown = 0;
  const items = result.items.map((item) => {
    const match = findItem(menu, item.name);
    if (!match) {
      unknown += 1;
      notes.push(`"${item.name}" is not on the menu`);
      return item;
    }
    const price = menuPrice(match, item.size);
    if (price !== null && item.unit_price !== null && Math.abs(price - item.unit_price) > 0.005) {
      notes.push(`${match.name}: price ${item.unit_price} replaced by the menu price ${price}`);
    }
    if (price === null && item.unit_price !== null) {
      notes.push(
        `${match.name}: ${item.size ? `no menu price for size "${item.size}"` : 'no size given'}, price dropped`,
      );
    }
    return { ...item, name: match.name, unit_price: price };
  });
  const confidence =
    result.items.length === 0
      ? result.confidence
      : result.confidence * (1 - (0.5 * unknown) / result.items.length);
  const allNotes = [result.notes, ...notes].filter((n): n is string => Boolean(n)).join('; ');
  return {
    ...result,
    items,
    currency: result.currency ?? menu.currency,
    confidence: Math.round(confidence * 1000) / 1000,
    notes: allNotes === '' ? null : allNotes.slice(0, 2000),
  };
}
