import { EventEmitter } from 'node:events';
import { CallTracker, expectationFromAgent, negativeSentiment, tokenize } from '@voiceroom/agent-core/nlu';
import type {
  AgentConfig,
  HandoffStatus,
  HandoffSummary,
  LiveCall,
  Sentiment,
  Speaker,
} from '@voiceroom/protocol';
import type { CallEventBus } from '../CallEventBus.ts';
import { RejoinGrace } from '../calls/RejoinGrace.ts';
import { createLogger, type Logger } from '../log.ts';
import { REJOINABLE_CLOSE_REASONS } from '../media/errors.ts';

/** The call record behind a room (server/src/calls/CallRecorder.ts callFor satisfies it). */
export type CallLookup = (
  roomId: string,
) => Promise<{ callId: string; displayName: string; startedAt: string }>;

export interface LiveCallsOptions {
  bus: CallEventBus;
  lookup: CallLookup;
  agentConfig: (agentId: string) => Promise<AgentConfig | undefined>;
  /** A room closed with a rejoin hint (its media worker died) stays listed this long for its call to reopen. */
  rejoinGraceMs?: number;
  logger?: Logger;
}

export interface LiveCallsEvents {
  updated: [call: LiveCall];
  ended: [info: { callId: string; roomId: string; reason: string }];
}

/** Caller turns the sentiment is measured over, and turns a handoff summary carries. */
const SENTIMENT_TURNS = 3;
const SUMMARY_TURNS = 6;
const UPSET_SCORE = 2;
const GENERIC_NAMES = new Set(['', 'caller', 'customer']);

interface Entry {
  call: LiveCall;
  tracker: CallTracker | undefined;
  turns: { speaker: Speaker; text: string }[];
  /** Peer ids of the people in the room (the AI excluded). */
  people: Set<string>;
  expecting: ReturnType<typeof expectationFromAgent>;
}

/**
 * The live call list of the console, from the call event bus: every open room with its AI state, the caller's
 * sentiment, the order so far and name (the caller's final transcripts replayed through the agent's own
 * CallTracker), takeover and handoff flags. Emits `updated` on every change and `ended` when the room closes.
 */
export class LiveCalls extends EventEmitter<LiveCallsEvents> {
  readonly #options: LiveCallsOptions;
  readonly #log: Logger;
  /** roomId -> the entry once its call record is known (events wait for it in order). */
  readonly #rooms = new Map<string, Promise<Entry | undefined>>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #rejoinGrace: RejoinGrace;

  constructor(options: LiveCallsOptions) {
    super();
    this.#options = options;
    this.#log = options.logger ?? createLogger('console.calls');
    this.#rejoinGrace = new RejoinGrace(options.rejoinGraceMs ?? 30_000, (roomId, reason) =>
      this.#close(roomId, reason),
    );
    const { bus } = options;
    this.#unsubscribe.push(
      bus.on('room.created', (r) => {
        this.#rejoinGrace.cancel(r.roomId);
        // A room opened again after a media worker died: the same call, its conversation so far kept.
        if (this.#rooms.has(r.roomId)) return;
        this.#rooms.set(r.roomId, this.#open(r.roomId, r.agentId));
      }),
      bus.on('participant.joined', (p) => {
        if (p.role !== 'agent_ai') this.#update(p.roomId, (e) => this.#people(e, p.peerId, true));
      }),
      bus.on('participant.left', (p) => this.#update(p.roomId, (e) => this.#people(e, p.peerId, false))),
      bus.on('agent.state', (s) =>
        this.#update(s.roomId, (e) => {
          e.call.aiState = s.state;
        }),
      ),
      bus.on('transcript', (t) => {
        if (t.final && t.text.trim()) this.#update(t.roomId, (e) => this.#heard(e, t.speaker, t.text));
      }),
      bus.on('room.closed', (r) => {
        if (REJOINABLE_CLOSE_REASONS.includes(r.reason)) this.#rejoinGrace.wait(r.roomId, r.reason);
        else this.#close(r.roomId, r.reason);
      }),
    );
  }

  /** Every live call, oldest first. */
  async list(): Promise<LiveCall[]> {
    const entries = await Promise.all(this.#rooms.values());
    return entries.flatMap((e) => (e ? [structuredClone(e.call)] : []));
  }

  async get(roomId: string): Promise<LiveCall | undefined> {
    const entry = await this.#rooms.get(roomId);
    return entry ? structuredClone(entry.call) : undefined;
  }

  /** What a human taking the call needs to know; undefined when the room is not live. */
  async summary(roomId: string, reason: string): Promise<HandoffSummary | undefined> {
    const entry = await this.#rooms.get(roomId);
    if (!entry) return undefined;
    return {
      reason,
      customerName: entry.call.customerName,
      order: entry.call.order,
      lastTurns: entry.turns.slice(-SUMMARY_TURNS),
      sentiment: entry.call.sentiment,
    };
  }

  setTakeover(roomId: string, active: boolean): void {
    this.#update(roomId, (e) => {
      e.call.takeover = active;
    });
  }

  setHandoff(roomId: string, requestId: string, status: HandoffStatus): void {
    this.#update(roomId, (e) => {
      e.call.handoff = { requestId, status };
    });
  }

  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#rejoinGrace.takeAll();
    this.#rooms.clear();
  }

  async #open(roomId: string, agentId: string | null): Promise<Entry | undefined> {
    try {
      const [record, config] = await Promise.all([
        this.#options.lookup(roomId),
        agentId ? this.#options.agentConfig(agentId) : undefined,
      ]);
      const entry: Entry = {
        call: {
          callId: record.callId,
          roomId,
          agentId,
          customerName: GENERIC_NAMES.has(record.displayName.trim().toLowerCase())
            ? null
            : record.displayName,
          startedAt: record.startedAt,
          aiState: null,
          sentiment: { score: 0, label: 'neutral' },
          handoff: null,
          takeover: false,
          order: [],
          participants: 0,
        },
        tracker: config
          ? new CallTracker({
              menu: config.menu,
              knowledge: config.knowledge,
              handoffKeywords: config.handoff.keywords,
            })
          : undefined,
        turns: [],
        people: new Set(),
        expecting: 'order',
      };
      this.emit('updated', structuredClone(entry.call));
      return entry;
    } catch (error) {
      this.#log.error({ err: error, roomId }, 'could not list a live call');
      return undefined;
    }
  }

  #update(roomId: string, change: (entry: Entry) => void): void {
    const pending = this.#rooms.get(roomId);
    if (!pending) return;
    void pending.then((entry) => {
      if (!entry || this.#rooms.get(roomId) !== pending) return;
      change(entry);
      this.emit('updated', structuredClone(entry.call));
    });
  }

  #people(entry: Entry, peerId: string, present: boolean): void {
    if (present) entry.people.add(peerId);
    else entry.people.delete(peerId);
    entry.call.participants = entry.people.size;
  }

  #heard(entry: Entry, speaker: Speaker, text: string): void {
    entry.turns.push({ speaker, text: text.slice(0, 2000) });
    if (entry.turns.length > 50) entry.turns.shift();
    const tracker = entry.tracker;
    if (speaker !== 'customer') {
      tracker?.noteAgentTurn(text);
      const asked = expectationFromAgent(text);
      entry.expecting = asked === 'none' ? 'order' : asked;
    } else if (tracker) {
      tracker.hear(text, entry.expecting);
      entry.expecting = 'order';
      entry.call.order = tracker.order.lines
        .slice(0, 100)
        .map((l) => ({ ...l, quantity: Math.max(1, l.quantity) }));
      if (tracker.customer.name) entry.call.customerName = tracker.customer.name.slice(0, 200);
    }
    entry.call.sentiment = sentimentOf(entry.turns);
  }

  #close(roomId: string, reason: string): void {
    const pending = this.#rooms.get(roomId);
    if (!pending) return;
    this.#rooms.delete(roomId);
    void pending.then((entry) => {
      if (entry) this.emit('ended', { callId: entry.call.callId, roomId, reason });
    });
  }
}

function sentimentOf(turns: readonly { speaker: Speaker; text: string }[]): Sentiment {
  const recent = turns.filter((t) => t.speaker === 'customer').slice(-SENTIMENT_TURNS);
  const score = recent.reduce((sum, t) => sum + negativeSentiment(tokenize(t.text).map((w) => w.norm)), 0);
  return { score, label: score >= UPSET_SCORE ? 'negative' : 'neutral' };
}
