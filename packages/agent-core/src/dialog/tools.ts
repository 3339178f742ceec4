import type { AgentConfig } from '@voiceroom/protocol';
import { z } from 'zod';
import { MenuMatcher, normWords, phoneDigits } from '../nlu/index.ts';
import type { ToolDefinition } from '../stages/types.ts';

/** A placed order as the order-lookup tool reports it. */
export interface OrderSummary {
  id: string;
  status: string;
  customerName: string | null;
  items: Array<{ name: string; size: string | null; quantity: number }>;
  total: number | null;
  placedAt: string;
}

/** Where the agent finds earlier orders (the server's call records); injected so the worker needs no database. */
export interface OrderLookup {
  find(query: { orderId?: string; phone?: string }, signal: AbortSignal): Promise<OrderSummary | undefined>;
}

/** Orders kept in memory, for tests and for running without a server. */
export class InMemoryOrderLookup implements OrderLookup {
  readonly #orders: Array<OrderSummary & { phone?: string }>;

  constructor(orders: Array<OrderSummary & { phone?: string }> = []) {
    this.#orders = orders;
  }

  async find(query: { orderId?: string; phone?: string }): Promise<OrderSummary | undefined> {
    return this.#orders.find(
      (o) =>
        (query.orderId !== undefined && o.id.toLowerCase() === query.orderId.toLowerCase()) ||
        (query.phone !== undefined &&
          o.phone !== undefined &&
          phoneDigits(o.phone) === phoneDigits(query.phone)),
    );
  }
}

const SearchMenuArgs = z.object({ query: z.string().max(200).default('') });
const LookupOrderArgs = z
  .object({ order_id: z.string().max(100).optional(), phone: z.string().max(40).optional() })
  .refine((a) => a.order_id !== undefined || a.phone !== undefined, { message: 'give order_id or phone' });

/** Searches the agent's menu by name, alias or category, tolerant of misspellings. */
export function searchMenuTool(menu: AgentConfig['menu']): ToolDefinition {
  const matcher = new MenuMatcher(menu.items);
  return {
    name: 'search_menu',
    description:
      'Find menu items and their prices by name, alias or category; an empty query lists the whole menu.',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'what the caller asked about, e.g. "pepperoni" or "drinks"' },
      },
      required: ['query'],
    },
    async run(args) {
      const { query } = SearchMenuArgs.parse(args);
      const words = normWords(query);
      const named = new Set(matcher.findItems(words).map((m) => m.item));
      const categories = new Set(words.map((w) => matcher.categoryAt([w], 0)).filter((c) => c !== undefined));
      const items = menu.items.filter(
        (i) => words.length === 0 || named.has(i) || categories.has(i.category?.toLowerCase() ?? ''),
      );
      return JSON.stringify({
        currency: menu.currency,
        items: items.map((i) => ({
          name: i.name,
          category: i.category ?? null,
          ...(i.sizes ? { sizes: i.sizes } : { price: i.price }),
        })),
      });
    },
  };
}

export function lookupOrderTool(orders: OrderLookup): ToolDefinition {
  return {
    name: 'lookup_order',
    description: "Look up the caller's earlier order by order id or phone number: status, items and total.",
    parameters: {
      type: 'object',
      properties: { order_id: { type: 'string' }, phone: { type: 'string' } },
    },
    async run(args, signal) {
      const query = LookupOrderArgs.parse(args);
      const order = await orders.find(
        {
          ...(query.order_id ? { orderId: query.order_id } : {}),
          ...(query.phone ? { phone: query.phone } : {}),
        },
        signal,
      );
      return JSON.stringify(order ?? { found: false });
    },
  };
}

/** Tools that do nothing but tell the voice pipeline to end the call or bring in a person. */
export const CONTROL_TOOLS = {
  end_call: {
    description: 'End the call after your goodbye (only once the caller has nothing more).',
    parameters: { type: 'object', properties: {} },
  },
  transfer_to_human: {
    description: 'Bring a human agent into the call, when the caller asks for one or you cannot help.',
    parameters: { type: 'object', properties: { reason: { type: 'string' } } },
  },
} as const;
