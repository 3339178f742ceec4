import { MAX_RESUME_LINES, type ResumeLine, type SessionResume, type Speaker } from '@voiceroom/protocol';
import type { CallEventBus } from '../CallEventBus.ts';

interface Segment {
  segmentId: string;
  speaker: Speaker;
  text: string;
  final: boolean;
  startMs: number;
  endMs: number;
}

/** A line keeps its newest words beyond this (a monologue), so a room's record stays small. */
const MAX_LINE_CHARS = 2_000;

interface RoomConversation {
  /** By segment id: a later event of a segment (its final) replaces the earlier one. */
  segments: Map<string, Segment>;
  nextTurn: number;
  /** performance.now() when the first agent was dispatched: the call clock's start, at the latest. */
  clockStartedAt: number | undefined;
  resumes: number;
}

/**
 * The conversation of each live call as the server heard it from its agents (transcript events off the bus,
 * unredacted, kept in memory only while the room lives), so an agent taking over from a lost one can carry on:
 * the final lines so far (agent lines as far as the caller heard them), where the call clock and turn numbering
 * stand. Independent of the database, which may be the thing that is down.
 */
export class ConversationRecord {
  readonly #rooms = new Map<string, RoomConversation>();
  readonly #unsubscribe: (() => void)[];

  constructor(bus: CallEventBus) {
    this.#unsubscribe = [
      bus.on('transcript', (t) => {
        const room = this.#rooms.get(t.roomId);
        if (!room || t.text.trim() === '') return;
        const { segmentId, speaker, final, startMs, endMs } = t;
        const text = t.text.slice(-MAX_LINE_CHARS);
        room.segments.set(segmentId, { segmentId, speaker, text, final, startMs, endMs });
        // a call that talks for hours keeps the newest lines only
        if (room.segments.size > MAX_RESUME_LINES * 2) {
          const oldest = room.segments.keys().next().value;
          if (oldest !== undefined) room.segments.delete(oldest);
        }
      }),
      bus.on('turn.metrics', (m) => {
        const room = this.#rooms.get(m.roomId);
        if (room) room.nextTurn = Math.max(room.nextTurn, m.turn + 1);
      }),
      bus.on('room.closed', (r) => {
        this.#rooms.delete(r.roomId);
      }),
    ];
  }

  /** An agent is being dispatched into this room: start (or keep) its record. */
  agentDispatched(roomId: string): void {
    const room = this.#rooms.get(roomId);
    if (room) return;
    this.#rooms.set(roomId, {
      segments: new Map(),
      nextTurn: 0,
      clockStartedAt: performance.now(),
      resumes: 0,
    });
  }

  /**
   * Agent lines the caller was hearing when that agent was lost (captions of a turn that never ended): final now,
   * cut where the caller stopped hearing them. Returned once each, for the gateway to publish as final segments.
   */
  cutAgentLines(roomId: string): { segmentId: string; text: string; startMs: number; endMs: number }[] {
    const room = this.#rooms.get(roomId);
    if (!room) return [];
    const cut = [...room.segments.values()].filter((s) => s.speaker === 'agent' && !s.final);
    for (const segment of cut) segment.final = true;
    return cut.map(({ segmentId, text, startMs, endMs }) => ({ segmentId, text, startMs, endMs }));
  }

  /** What an agent taking this call over gets; counts one more resume. Undefined for a room with no record. */
  resume(roomId: string): SessionResume | undefined {
    const room = this.#rooms.get(roomId);
    if (!room) return undefined;
    room.resumes++;
    const lines = [...room.segments.values()].filter((s) => s.final).sort((a, b) => a.startMs - b.startMs);
    const transcript: ResumeLine[] = lines
      .slice(-MAX_RESUME_LINES)
      .map(({ speaker, text }) => ({ speaker, text }));
    const lastEnd = lines.reduce((end, s) => Math.max(end, s.endMs), 0);
    const elapsed = room.clockStartedAt === undefined ? 0 : performance.now() - room.clockStartedAt;
    return {
      resumes: Math.min(room.resumes, 100),
      // the clock started after the first dispatch: elapsed is an upper bound, so later lines sort after earlier ones
      callMs: Math.round(Math.max(elapsed, lastEnd + 1)),
      nextTurn: room.nextTurn,
      transcript,
    };
  }

  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#rooms.clear();
  }
}
