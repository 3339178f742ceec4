import type { MenuItem } from '@voiceroom/protocol';

/** One line of an order as the caller wants it. `size` is null for items without sizes or not yet chosen. */
export interface OrderLine {
  name: string;
  size: string | null;
  quantity: number;
}

/** The same lines, in the same order, of the same sizes and quantities. */
export function sameLines(a: readonly OrderLine[], b: readonly OrderLine[]): boolean {
  return (
    a.length === b.length &&
    a.every((l, i) => l.name === b[i]?.name && l.size === b[i]?.size && l.quantity === b[i]?.quantity)
  );
}

/** What a caller's words do to the order (see orderParser.ts). */
export type OrderOp =
  | {
      kind: 'add';
      name: string;
      size: string | null;
      quantity: number;
      explicitQuantity: boolean;
      increment: boolean;
      /** "actually two medium pepperoni": a correction of that item's line, not another line. */
      restate?: boolean;
    }
  | { kind: 'remove'; target: LineTarget; quantity: number | null }
  | { kind: 'set_quantity'; target: LineTarget; quantity: number }
  /** "another one", "one more": more of the line in focus. */
  | { kind: 'increment'; target: LineTarget; quantity: number }
  | { kind: 'set_size'; target: LineTarget; size: string }
  | { kind: 'replace_item'; target: LineTarget; name: string; size: string | null }
  | { kind: 'clear' };

/** Which line an operation is about: by item name and/or size, or the line in focus ("make that three"). */
export interface LineTarget {
  name?: string;
  size?: string;
  /** "medium for all of them": every line that takes a size. */
  all?: boolean;
  /** "make that two pizzas": the line of that menu category. */
  category?: string;
}

/**
 * The order being built during a call. Pure data plus the rules for applying corrections; the menu decides which
 * items take a size.
 */
export class Order {
  readonly #lines: OrderLine[] = [];
  readonly #menu: ReadonlyMap<string, MenuItem>;
  #focus: OrderLine | undefined;

  constructor(menu: readonly MenuItem[]) {
    this.#menu = new Map(menu.map((i) => [i.name, i]));
  }

  get lines(): readonly OrderLine[] {
    return this.#lines;
  }

  get isEmpty(): boolean {
    return this.#lines.length === 0;
  }

  /** The first line that needs a size the caller has not given yet. */
  get lineMissingSize(): OrderLine | undefined {
    return this.#lines.find((l) => l.size === null && this.#menu.get(l.name)?.sizes !== undefined);
  }

  /** The line the caller is most likely talking about when they say "that" or "it". */
  get focus(): OrderLine | undefined {
    return this.#focus;
  }

  total(): number {
    let sum = 0;
    for (const line of this.#lines) sum += (this.unitPrice(line) ?? 0) * line.quantity;
    return Math.round(sum * 100) / 100;
  }

  unitPrice(line: OrderLine): number | null {
    const item = this.#menu.get(line.name);
    if (!item) return null;
    if (item.sizes) return line.size === null ? null : (item.sizes[line.size] ?? null);
    return item.price ?? null;
  }

  /** A copy to try operations on without changing this order. */
  copy(): Order {
    const copy = new Order([...this.#menu.values()]);
    copy.#lines.push(...this.#lines.map((l) => ({ ...l })));
    const focusAt = this.#focus ? this.#lines.indexOf(this.#focus) : -1;
    copy.#focus = focusAt >= 0 ? copy.#lines[focusAt] : undefined;
    return copy;
  }

  /** Puts back the lines (and the line in focus) of `snapshot`, a copy of this order taken earlier. */
  restore(snapshot: Order): void {
    this.#lines.length = 0;
    this.#lines.push(...snapshot.#lines.map((l) => ({ ...l })));
    const focusAt = snapshot.#focus ? snapshot.#lines.indexOf(snapshot.#focus) : -1;
    this.#focus = focusAt >= 0 ? this.#lines[focusAt] : undefined;
  }

  /** Applies the operations in order; returns the lines they touched (for the spoken acknowledgement). */
  apply(ops: readonly OrderOp[]): OrderLine[] {
    const touched: OrderLine[] = [];
    for (const op of ops) {
      const line = this.#applyOne(op);
      if (line) {
        touched.push(line);
        this.#focus = this.#lines.includes(line) ? line : this.#focus;
      }
    }
    return touched;
  }

  #applyOne(op: OrderOp): OrderLine | undefined {
    switch (op.kind) {
      case 'add':
        return this.#add(op);
      case 'remove': {
        const line = this.#find(op.target);
        if (!line) return undefined;
        if (op.quantity !== null && op.quantity < line.quantity) line.quantity -= op.quantity;
        else this.#remove(line);
        return line;
      }
      case 'set_quantity': {
        const line = this.#find(op.target);
        if (line) line.quantity = op.quantity;
        return line;
      }
      case 'increment': {
        const line = this.#find(op.target);
        if (line) line.quantity += op.quantity;
        return line;
      }
      case 'set_size': {
        if (op.target.all) return this.#setSizeOfAll(op.size);
        const line = this.#find(op.target, true);
        if (!line || !this.#sizes(line.name)?.includes(op.size)) return undefined;
        line.size = op.size;
        return this.#mergeDuplicate(line);
      }
      case 'replace_item': {
        const line = this.#find(op.target);
        // "scratch the wings, make it a salad": the old line is gone already, the caller still wants the new item.
        if (!line)
          return op.target.name
            ? this.#add({
                kind: 'add',
                name: op.name,
                size: op.size,
                quantity: 1,
                explicitQuantity: false,
                increment: false,
              })
            : undefined;
        const sizes = this.#sizes(op.name);
        line.name = op.name;
        line.size =
          sizes === undefined
            ? null
            : (op.size ?? (line.size && sizes.includes(line.size) ? line.size : null));
        return this.#mergeDuplicate(line);
      }
      case 'clear':
        this.#lines.length = 0;
        this.#focus = undefined;
        return undefined;
    }
  }

  #add(op: Extract<OrderOp, { kind: 'add' }>): OrderLine {
    const same = this.#lines.find((l) => l.name === op.name && l.size === op.size);
    // An item named again without a size refers to a sized line already there ("the pepperoni, two of them").
    const sizeless = op.size === null ? this.#lines.find((l) => l.name === op.name) : undefined;
    // A size given for an item ordered without one completes that line.
    const unsized =
      op.size !== null ? this.#lines.find((l) => l.name === op.name && l.size === null) : undefined;
    const restated = op.restate ? (this.#find({ name: op.name }) ?? this.#sameKind(op.name)) : undefined;
    const existing = same ?? unsized ?? sizeless ?? restated;
    if (existing && existing.name !== op.name) {
      // "make it one lemonade" said of the coke: that line becomes the lemonade.
      existing.name = op.name;
      if (!this.#sizes(op.name)?.includes(existing.size ?? '')) existing.size = null;
    }
    if (!existing) {
      const line: OrderLine = { name: op.name, size: op.size, quantity: op.quantity };
      this.#lines.push(line);
      return line;
    }
    if (existing === unsized || (existing === restated && op.size !== null)) existing.size = op.size;
    if (op.increment) existing.quantity += op.quantity;
    else if (op.explicitQuantity) existing.quantity = op.quantity;
    return this.#mergeDuplicate(existing);
  }

  #setSizeOfAll(size: string): OrderLine | undefined {
    const missing = this.#lines.filter((l) => l.size === null && this.#sizes(l.name)?.includes(size));
    const lines =
      missing.length > 0 ? missing : this.#lines.filter((l) => this.#sizes(l.name)?.includes(size));
    let last: OrderLine | undefined;
    for (const line of lines) {
      line.size = size;
      last = this.#mergeDuplicate(line);
    }
    return last;
  }

  #find(target: LineTarget, preferMissingSize = false): OrderLine | undefined {
    if (target.category !== undefined) {
      const inCategory = this.#lines.filter(
        (l) => this.#menu.get(l.name)?.category?.toLowerCase() === target.category,
      );
      return this.#focus && inCategory.includes(this.#focus) ? this.#focus : inCategory.at(-1);
    }
    const matches = (l: OrderLine) =>
      (target.name === undefined || l.name === target.name) &&
      (target.size === undefined || l.size === target.size);
    if (target.name === undefined && target.size === undefined) {
      const focus = this.#focus && this.#lines.includes(this.#focus) ? this.#focus : this.#lines.at(-1);
      if (!preferMissingSize) return focus;
      // "no, a medium" is about the last item that comes in sizes, even if a drink was ordered after it.
      const sized = this.#lines.filter((l) => this.#sizes(l.name) !== undefined);
      return this.lineMissingSize ?? (focus && sized.includes(focus) ? focus : sized.at(-1));
    }
    const candidates = this.#lines.filter(matches);
    if (preferMissingSize) {
      const missing = candidates.find((l) => l.size === null);
      if (missing) return missing;
    }
    if (this.#focus && candidates.includes(this.#focus)) return this.#focus;
    return candidates.at(-1);
  }

  /** The line a restated item replaces: the one in focus, else the last, of the same menu category. */
  #sameKind(name: string): OrderLine | undefined {
    const category = this.#menu.get(name)?.category;
    if (category === undefined) return undefined;
    return this.#find({ category: category.toLowerCase() });
  }

  #remove(line: OrderLine): void {
    this.#lines.splice(this.#lines.indexOf(line), 1);
    if (this.#focus === line) this.#focus = this.#lines.at(-1);
  }

  /** After a change makes two lines identical, keeps one with the summed quantity. */
  #mergeDuplicate(line: OrderLine): OrderLine {
    const twin = this.#lines.find((l) => l !== line && l.name === line.name && l.size === line.size);
    if (!twin) return line;
    twin.quantity += line.quantity;
    this.#remove(line);
    return twin;
  }

  #sizes(name: string): string[] | undefined {
    const sizes = this.#menu.get(name)?.sizes;
    return sizes ? Object.keys(sizes) : undefined;
  }
}
