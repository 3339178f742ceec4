import type { AgentConfig } from '@voiceroom/protocol';
import type { CallTracker, CustomerDetails, Order, OrderLine, Understanding } from '../nlu/index.ts';
import { isDoneOrdering } from '../nlu/intents.ts';
import { hasAnyPhrase } from '../nlu/text.ts';

/** Where the call is: the slot the agent is filling. */
export type Stage = 'order' | 'name' | 'address' | 'phone' | 'confirm' | 'done';

/**
 * A yes/no question the agent asked to repair a slot ("Did you say medium?"): what a yes does. It checks what the
 * agent heard, so its answer is heard as one to a check ('check': "go ahead" is no yes to it), unless `heardAs` says
 * otherwise.
 */
export interface Pending {
  /** Applies the guess; returns what the agent says about it. */
  accept: () => string[];
  /** Undoes what was taken tentatively; returns what the agent says about it. */
  reject?: () => string[];
  /** What was taken tentatively stands only on a yes: an answer that is neither yes nor a change undoes it too. */
  onlyYesKeeps?: true;
  /**
   * How the answer is heard when not as a plain yes or no: "Is that everything for your order?" is answered as
   * "anything else?" is ("no, that's all" finishes the order too).
   */
  heardAs?: 'order';
  /** The question asked, said again when its answer is in doubt (see DoubtedChecks). */
  question: string;
  /**
   * Asked because the recogniser doubted what it heard (an item only a lower hypothesis named): a yes to it must be a
   * sure one (see DoubtedChecks).
   */
  askedInDoubt?: true;
}

/** What one caller turn did to the call (see ScriptedDialogSession's #hear). */
export interface HeardTurn {
  understanding: Understanding;
  placed: boolean;
  added: boolean;
  /** The lines it took off (see removedLines). */
  removed: readonly OrderLine[];
  touched: number;
  /** Lines the utterance named for a change that left them as they were. */
  unchanged: readonly OrderLine[];
}

export interface Reply {
  sentences: string[];
  end?: boolean;
  handoff?: string;
}

/** Below this recogniser confidence a name just heard is confirmed ("Did you say Sarah Miller?"), not taken. */
export const CONFIRM_NAME_BELOW = 0.1;

/** The caller would rather not give a phone number. */
const SKIP = ['skip', 'rather not', 'no phone', 'dont have', 'not needed', 'no need'];

export function declinesPhone(u: Understanding): boolean {
  return u.no || hasAnyPhrase(u.words, SKIP);
}

/**
 * The lines a removal named that the order really had fewer of after it: a removal of an item the order never had
 * ("take off the hawaiian" heard while none was ordered) is not acknowledged as done.
 */
export function removedLines(u: Understanding, before: readonly OrderLine[], after: readonly OrderLine[]) {
  const count = (lines: readonly OrderLine[], name: string, size: string | null) =>
    lines
      .filter((l) => l.name === name && (size === null || l.size === size))
      .reduce((sum, l) => sum + l.quantity, 0);
  return u.ops.flatMap((o) => {
    if (o.kind !== 'remove' || !o.target.name) return [];
    const line = { name: o.target.name, size: o.target.size ?? null, quantity: 1 };
    return count(after, line.name, line.size) < count(before, line.name, line.size) ? [line] : [];
  });
}

/** The order lines an understanding added to or changed, else the line in focus. */
export function touchedLines(order: Order, u: Understanding): readonly OrderLine[] {
  const names = new Set(
    u.ops.flatMap((o) =>
      'name' in o ? [o.name] : o.kind !== 'clear' && o.target.name ? [o.target.name] : [],
    ),
  );
  const lines = order.lines.filter((l) => names.has(l.name));
  return lines.length > 0 ? lines : order.focus ? [order.focus] : [];
}

export function sizesOf(config: AgentConfig, name: string): string[] {
  return Object.keys(config.menu.items.find((i) => i.name === name)?.sizes ?? {});
}

/** A menu category the caller named without an item ("I'd like a pizza"). */
export function categoryNamed(tracker: CallTracker, u: Understanding): string | undefined {
  if (u.items.length > 0) return undefined;
  const matcher = tracker.nlu.matcher;
  return u.words.map((_, i) => matcher.categoryAt(u.words, i)).find((c) => c !== undefined);
}

/** The knowledge answer about delivery time, if the agent has one. */
export function etaAnswer(config: AgentConfig): string[] {
  const eta = config.knowledge.find((k) => k.keywords.some((w) => ['long', 'wait', 'time'].includes(w)));
  return eta ? [eta.answer] : [];
}

/** A detail, a yes or no, or "that's all": the turn answered something even when it changed no order line. */
export function carriesAnswer(u: Understanding): boolean {
  return Boolean(
    u.name || u.address || u.houseNumber || u.phone || u.email || u.yes || u.no || u.doneOrdering,
  );
}

export function detailsDiffer(a: Readonly<CustomerDetails>, b: Readonly<CustomerDetails>): boolean {
  return a.name !== b.name || a.address !== b.address || a.phone !== b.phone;
}

/**
 * "i don't want the wings that's all" with no wings ordered: a change that touched no line (most often words the
 * recogniser made up around the caller's "that's all") does not hide that the caller is done ordering. With nothing
 * ordered yet there is nothing to be done with, and the turn stays one not understood (the repair ladder's).
 */
export function doneDespiteNoChange(
  u: Understanding,
  touched: readonly OrderLine[],
  order: Order,
): Understanding {
  const noChange = u.ops.length > 0 && touched.length === 0 && !order.isEmpty;
  return noChange && !u.doneOrdering && isDoneOrdering(u.words) ? { ...u, doneOrdering: true } : u;
}
