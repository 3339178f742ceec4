import type { AgentConfig } from '@voiceroom/protocol';

/**
 * What callers say to change an order already given: take an item off, change its count, its size or swap it for
 * another. Without these the model knows orders but hardly any corrections, and the recogniser turns a correction
 * into the order sentence that sounds nearest ("take off the coke" into "i'll have a coke", "make that one" into
 * "make that want a"). Built from the menu with many verbs and openers, not from any one way of saying it; each
 * item is paired with its neighbours on the menu only (the full cross product would flood the model).
 */
export function* changeSentences(config: Pick<AgentConfig, 'menu'>): Generator<string> {
  const items = config.menu.items;
  const sizes = [...new Set(items.flatMap((i) => Object.keys(i.sizes ?? {})))];
  const forms = items.flatMap((i) => [i.name, ...i.aliases]);
  let n = 0;
  const opener = () => CHANGE_OPENERS[n++ % CHANGE_OPENERS.length];
  for (const [i, form] of forms.entries()) {
    const other = forms[(i + 1) % forms.length] as string;
    const further = forms[(i + 4) % forms.length] as string;
    for (const removal of REMOVALS) yield `${opener()} ${removal.replace('{x}', form)}`;
    for (const [k, quantity] of CHANGE_QUANTITIES.entries()) {
      const template = QUANTITY_CHANGES[(i + k) % QUANTITY_CHANGES.length] as string;
      yield `${opener()} ${template.replace('{q}', quantity).replace('{x}', plural(form, quantity))}`;
    }
    for (const [k, template] of SWAPS.entries())
      yield `${opener()} ${template.replace('{x}', form).replace('{y}', k % 2 === 0 ? other : further)}`;
    for (const [k, size] of sizes.entries()) {
      const template = SIZE_CHANGES[(i + k) % SIZE_CHANGES.length] as string;
      yield `${opener()} ${template.replace('{x}', form).replace('{s}', size)}`;
    }
  }
  for (const quantity of CHANGE_QUANTITIES)
    for (const bare of BARE_CHANGES) yield bare.replace('{q}', quantity);
  for (const size of sizes) for (const bare of BARE_CHANGES) yield bare.replace('{q}', `a ${size}`);
}

/** Counts a correction sets: mostly small ones, as orders have. */
const CHANGE_QUANTITIES = ['one', 'two', 'three', 'four', 'five', 'just one', 'only two'];

function plural(form: string, quantity: string): string {
  if (quantity === 'one' || quantity.endsWith(' one') || form.endsWith('s')) return form;
  return /(ch|sh|x)$/.test(form) ? `${form}es` : `${form}s`;
}

const CHANGE_OPENERS = ['', 'actually', 'sorry', 'wait', 'oh', 'no', 'um', 'hold on', 'you know what', 'and'];
const REMOVALS = [
  'take off the {x}',
  'take the {x} off',
  'remove the {x}',
  'drop the {x}',
  'cancel the {x}',
  'scratch the {x}',
  'forget the {x}',
  'get rid of the {x}',
  "i don't want the {x}",
  "i don't need the {x}",
  'no {x}',
  'no {x} please',
  'leave out the {x}',
  'skip the {x}',
  'without the {x}',
];
const QUANTITY_CHANGES = [
  'make that {q} {x}',
  'make it {q} {x}',
  'make that {q}',
  'make it {q}',
  'change the {x} to {q}',
  'change that to {q}',
  '{q} {x} instead',
  'i meant {q} {x}',
  'can you make that {q}',
];
const SWAPS = [
  'change the {x} to a {y}',
  'swap the {x} for a {y}',
  'replace the {x} with a {y}',
  'switch the {x} to a {y}',
  'a {y} instead of the {x}',
  'make the {x} a {y}',
];
const SIZE_CHANGES = [
  'make the {x} a {s}',
  'change the {x} to a {s}',
  'make that a {s} {x}',
  'the {x} should be {s}',
  'can i get the {x} in {s}',
];
/** Changes that name no item: the line in focus. */
const BARE_CHANGES = ['make that {q}', 'make it {q}', 'actually {q}', 'change it to {q}', '{q} please'];
