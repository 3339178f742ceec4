import { applySpans, findPii, type PiiSpan, redactPii } from './redact.ts';

export interface TranscriptSegmentText {
  segmentId: string;
  speaker: 'customer' | 'agent' | 'human';
  text: string;
}

export interface RedactedSegment {
  segmentId: string;
  /** What the segment said. */
  original: string;
  /** What may be stored. */
  text: string;
  redacted: boolean;
}

/** Caller segments read together: a card read in groups of four plus its expiry and CVV fits. */
const CALLER_WINDOW = 6;

interface Held {
  segmentId: string;
  original: string;
  /** Everything found in it so far: only ever grows, so a window moving on never un-redacts a segment. */
  spans: PiiSpan[];
}

/**
 * Redacts one call's final transcript segments in order. A caller who pauses while dictating a number produces
 * several segments ("four one one one" / "one one one one" / ...), each harmless alone: the caller's recent
 * segments are therefore read as one text, and a number found across them is removed from every segment it
 * touches. `push` returns the new segment's stored text, and the earlier segments that only now turn out to hold
 * part of a number (to be rewritten).
 */
export class TranscriptRedactor {
  readonly #recent: Held[] = [];

  push(segment: TranscriptSegmentText): { segment: RedactedSegment; earlier: RedactedSegment[] } {
    if (segment.speaker !== 'customer') {
      const { text } = redactPii(segment.text);
      const redacted = text !== segment.text;
      return {
        segment: { segmentId: segment.segmentId, original: segment.text, text, redacted },
        earlier: [],
      };
    }
    const again = this.#recent.findIndex((held) => held.segmentId === segment.segmentId);
    if (again >= 0) this.#recent.splice(again, 1);
    this.#recent.push({ segmentId: segment.segmentId, original: segment.text, spans: [] });
    if (this.#recent.length > CALLER_WINDOW) this.#recent.shift();

    const ranges: { held: Held; start: number; end: number }[] = [];
    let joined = '';
    for (const held of this.#recent) {
      if (joined !== '') joined += ' ';
      ranges.push({ held, start: joined.length, end: joined.length + held.original.length });
      joined += held.original;
    }
    const spans = findPii(joined);
    const earlier: RedactedSegment[] = [];
    let current: RedactedSegment | undefined;
    for (const { held, start, end } of ranges) {
      const own: PiiSpan[] = spans
        .filter((s) => s.start < end && s.end > start)
        .map((s) => ({
          kind: s.kind,
          start: Math.max(s.start, start) - start,
          end: Math.min(s.end, end) - start,
        }));
      const merged = mergeSpans(held.spans, own);
      const isNew = held.segmentId === segment.segmentId;
      if (!isNew && sameSpans(merged, held.spans)) continue;
      held.spans = merged;
      const text = applySpans(held.original, merged);
      const redacted = {
        segmentId: held.segmentId,
        original: held.original,
        text,
        redacted: merged.length > 0,
      };
      if (isNew) current = redacted;
      else earlier.push(redacted);
    }
    // The new segment is always the last in the window.
    return { segment: current as RedactedSegment, earlier };
  }
}

/**
 * The union of two span lists: overlapping spans become one. A card wins the name: more context (a longer run)
 * can turn a 'phone' into a card, never the other way.
 */
function mergeSpans(a: readonly PiiSpan[], b: readonly PiiSpan[]): PiiSpan[] {
  const merged: PiiSpan[] = [];
  for (const span of [...a, ...b].sort((x, y) => x.start - y.start)) {
    const last = merged.at(-1);
    if (last && span.start < last.end) {
      if (span.kind === 'card') last.kind = 'card';
      last.end = Math.max(last.end, span.end);
    } else merged.push({ ...span });
  }
  return merged;
}

function sameSpans(a: readonly PiiSpan[], b: readonly PiiSpan[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => s.start === b[i]?.start && s.end === b[i]?.end && s.kind === b[i]?.kind)
  );
}
