/**
 * What the benchmark hears of the agent from the server's event bus: transcripts and agent states per room, each
 * stamped with its arrival time, and waits on them.
 */
import type { AgentState, TranscriptEvent, TurnMetricsEvent } from '@voiceroom/protocol';
import type { RunningServer } from '../../server/src/app.ts';
import { pollUntil } from '../../test/helpers/browser.ts';

export interface Stamped<T> {
  at: number;
  event: T;
}

export class AgentEvents {
  readonly #transcripts: Stamped<TranscriptEvent>[] = [];
  readonly #states: Stamped<{ roomId: string; state: AgentState }>[] = [];
  readonly #metrics: TurnMetricsEvent[] = [];

  constructor(bus: RunningServer['bus']) {
    bus.on('transcript', (event) => {
      this.#transcripts.push({ at: performance.now(), event });
    });
    bus.on('agent.state', (event) => {
      this.#states.push({ at: performance.now(), event });
    });
    bus.on('turn.metrics', (event) => {
      this.#metrics.push(event);
    });
  }

  /** The agent's own per-stage timing of each turn it answered in `roomId`. */
  turnMetrics(roomId: string): TurnMetricsEvent[] {
    return this.#metrics.filter((m) => m.roomId === roomId);
  }

  finals(roomId: string, speaker: TranscriptEvent['speaker'], since = 0): TranscriptEvent[] {
    return this.#transcripts
      .filter(
        (t) => t.at >= since && t.event.roomId === roomId && t.event.speaker === speaker && t.event.final,
      )
      .map((t) => t.event);
  }

  /** The room of the first agent caption after `since` (the greeting of a new call). */
  firstAgentRoom(since: number): string | undefined {
    return this.#transcripts.find((t) => t.at >= since && t.event.speaker === 'agent')?.event.roomId;
  }

  states(roomId: string, since = 0): AgentState[] {
    return this.#states.filter((s) => s.at >= since && s.event.roomId === roomId).map((s) => s.event.state);
  }

  lastState(roomId: string): AgentState | undefined {
    return this.states(roomId).at(-1);
  }

  /** Waits until the agent has started speaking after `since`; false if it did not within `timeoutMs`. */
  async spoke(roomId: string, since: number, timeoutMs: number): Promise<boolean> {
    return pollUntil(
      async () => this.states(roomId, since).includes('speaking'),
      (v) => v,
      { timeoutMs, intervalMs: 20, what: 'the agent to speak' },
    ).catch(() => false);
  }

  /** Waits until the agent is no longer speaking or thinking (and stays so for `quietMs`). */
  async doneSpeaking(roomId: string, timeoutMs: number, quietMs = 400): Promise<boolean> {
    let quietSince: number | undefined;
    return pollUntil(
      async () => {
        const state = this.lastState(roomId);
        const busy = state === 'speaking' || state === 'thinking';
        if (busy) quietSince = undefined;
        else quietSince ??= performance.now();
        return quietSince !== undefined && performance.now() - quietSince >= quietMs;
      },
      (v) => v,
      { timeoutMs, intervalMs: 20, what: 'the agent to finish speaking' },
    ).catch(() => false);
  }
}
