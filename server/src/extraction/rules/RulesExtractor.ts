import { defaultAgent } from '@voiceroom/agent-core/agents';
import { CallTracker, type Expectation, expectationFromAgent, spokenWords } from '@voiceroom/agent-core/nlu';
import type { AgentConfig } from '@voiceroom/protocol';
import {
  type ExtractionResult,
  ExtractionResultSchema,
  type Extractor,
  type TranscriptLine,
} from '../schema.ts';
import { CheckedChanges } from './CheckedChanges.ts';

export interface RulesExtractorOptions {
  /** The call's agent menu; the default pizzeria menu when unknown. */
  menu?: AgentConfig['menu'];
  knowledge?: AgentConfig['knowledge'];
  /** Take items, name and address from what the agent said back to the caller (default true). */
  trustReadBack?: boolean;
}

/** A caller's line is split into sentences, and very long ones into pieces, so each is parsed like one utterance. */
const MAX_WORDS_PER_PIECE = 200;

/**
 * Extraction without any model: replays the caller's turns through the agent worker's NLU, in order, so corrections
 * ("actually make that three", "remove the coke") apply as they did in the call. The agent's questions tell how a
 * bare answer is read ("Maria" after "can I get a name?"). What the agent said back to the caller and the caller did
 * not change afterwards (its read-back of the order, "Thanks, Maria.") is its own words, free of recognition errors:
 * it is the strongest evidence, and the caller's recognised words count only where the agent confirmed nothing. A
 * change the agent checked ("Did you say six cokes?") stands only if the caller said yes (CheckedChanges).
 * Prices come from the menu, never from the transcript.
 */
export class RulesExtractor implements Extractor {
  readonly source = 'rules' as const;
  readonly #menu: AgentConfig['menu'];
  readonly #knowledge: AgentConfig['knowledge'];
  readonly #trustReadBack: boolean;

  constructor(options: RulesExtractorOptions = {}) {
    const fallback = options.menu ? undefined : defaultAgent();
    this.#menu = options.menu ?? defaultAgent().menu;
    this.#knowledge = options.knowledge ?? fallback?.knowledge ?? [];
    this.#trustReadBack = options.trustReadBack ?? true;
  }

  async extract(transcript: readonly TranscriptLine[], signal: AbortSignal): Promise<ExtractionResult> {
    signal.throwIfAborted();
    const tracker = new CallTracker({ menu: this.#menu, knowledge: this.#knowledge });
    const checks = new CheckedChanges(tracker);
    let expecting: Expectation = 'order';
    for (const [index, line] of callerTurns(transcript).entries()) {
      // Long transcripts: let an abort land, and other work run, every few hundred lines.
      if (index % 100 === 99) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        signal.throwIfAborted();
      }
      if (line.speaker !== 'customer') {
        // A human agent speaks for the business: what they add or change for the caller ("I added a garlic bread
        // for you") is part of the order.
        if (line.speaker === 'human')
          for (const piece of utterancePieces(line.text)) tracker.hearStaff(piece);
        tracker.noteAgentTurn(line.text);
        checks.agentSaid(line.text);
        const asked = expectationFromAgent(line.text);
        expecting = asked === 'none' ? 'order' : asked;
        continue;
      }
      checks.callerWillSay(line.text);
      for (const piece of utterancePieces(line.text)) tracker.hear(piece, expecting);
    }
    return ExtractionResultSchema.parse(this.#result(tracker, transcript));
  }

  #result(tracker: CallTracker, transcript: readonly TranscriptLine[]): ExtractionResult {
    // The agent's read-back is its own text, not recognised speech: unless the caller changed the order after it,
    // it is the order (all the more when the caller said yes to it).
    const stated = this.#trustReadBack ? tracker.stated : {};
    const readBack = stated.readBack;
    const order = readBack?.order ?? tracker.order;
    const items = order.lines.slice(0, 100).map((line) => ({
      name: line.name,
      size: line.size,
      quantity: Math.min(1000, Math.max(1, line.quantity)),
      unit_price: order.unitPrice(line),
    }));
    const customer = tracker.customer;
    const notes: string[] = [];
    const customerTurns = transcript.filter((l) => l.speaker === 'customer').length;
    notes.push(
      `rules: ${tracker.understood} of ${tracker.heard} caller utterances understood (${customerTurns} turns)`,
    );
    if (readBack && tracker.confirmedReadBack)
      notes.push("items as the caller confirmed them in the agent's read-back");
    else if (readBack) notes.push("items from the agent's read-back (the caller changed nothing after it)");
    if (items.length > 0 && !tracker.confirmed) notes.push('the caller did not confirm a read-back');
    const unsized = items.filter((i) => i.unit_price === null).map((i) => i.name);
    if (unsized.length > 0) notes.push(`no size given for: ${unsized.join(', ')}`);
    return {
      customer: {
        name: clip(stated.name ?? customer.name, 200),
        address: clip(stated.address ?? customer.address, 500),
        phone: clip(stated.phone ?? customer.phone, 40),
        email: clip(customer.email, 200),
      },
      items,
      currency: this.#menu.currency,
      confidence: confidence(tracker, items.length > 0, unsized.length === 0),
      notes: notes.join('; ').slice(0, 2000),
    };
  }
}

/** How sure the result is: what was found, whether the caller confirmed it, and how much of the call was understood. */
function confidence(tracker: CallTracker, hasItems: boolean, allPriced: boolean): number {
  const c = tracker.customer;
  const understoodShare = tracker.heard === 0 ? 0 : tracker.understood / tracker.heard;
  const score =
    (hasItems ? 0.3 : 0) +
    (hasItems && allPriced ? 0.05 : 0) +
    (c.name ? 0.15 : 0) +
    (c.address ? 0.15 : 0) +
    (c.phone || c.email ? 0.05 : 0) +
    (tracker.confirmed ? 0.2 : 0) +
    0.1 * understoodShare;
  return Math.round(Math.min(1, score) * 100) / 100;
}

function clip(value: string | null, max: number): string | null {
  return value === null ? null : value.slice(0, max);
}

function* utterancePieces(text: string): Generator<string> {
  for (const sentence of text.split(/(?<=[.!?])\s+/)) {
    const words = spokenWords(sentence);
    for (let i = 0; i < words.length; i += MAX_WORDS_PER_PIECE)
      yield words.slice(i, i + MAX_WORDS_PER_PIECE).join(' ');
  }
}

/**
 * The transcript as the dialog heard it: the call stores a caller line per stretch of speech, and the agent answers
 * once the caller's turn is over, so caller lines with no agent line between them are one turn split by pauses ("my
 * number is five one two, five five five ... zero one two three"). They are joined as the agent worker joins them
 * (the pause kept as a comma) and heard together, as the answer to the question before them.
 */
function callerTurns(transcript: readonly TranscriptLine[]): TranscriptLine[] {
  const turns: TranscriptLine[] = [];
  for (const line of transcript) {
    const last = turns.at(-1);
    if (line.speaker === 'customer' && last?.speaker === 'customer')
      turns[turns.length - 1] = { speaker: 'customer', text: `${last.text}, ${line.text}` };
    else turns.push(line);
  }
  return turns;
}
