import { FrameProcessor } from './FrameProcessor.ts';
import type { DownstreamFrame } from './frames.ts';

/** Transcript events carry at most this much text (a monologue keeps its newest words). */
const MAX_TEXT_CHARS = 10_000;

export interface CallerTranscript {
  segmentId: string;
  text: string;
  final: boolean;
  startAtMs: number;
  endAtMs: number;
  /** A final's confidence and other hypotheses, as the recogniser gave them. */
  confidence?: number;
  alternatives?: string[];
}

/**
 * Observes the caller's recognised speech and reports it as transcript segments: the partials and the final of
 * one utterance share a segment id; utterances with no words are not reported.
 */
export class CallerTranscripts extends FrameProcessor {
  readonly #report: (transcript: CallerTranscript) => void;
  readonly #segmentPrefix: string;
  #segment = 0;
  #startAtMs = 0;
  #endAtMs: number | undefined;

  /** `segmentPrefix`: whose speech this is (segment ids read `<prefix>-<n>`). */
  constructor(report: (transcript: CallerTranscript) => void, segmentPrefix = 'customer') {
    super();
    this.#report = report;
    this.#segmentPrefix = segmentPrefix;
  }

  processDown(frame: DownstreamFrame): void {
    if (frame.kind === 'user_started_speaking') {
      if (this.#endAtMs !== undefined || this.#startAtMs === 0) this.#startAtMs = frame.atMs;
      this.#endAtMs = undefined;
    } else if (frame.kind === 'user_stopped_speaking') {
      this.#endAtMs = frame.atMs;
    } else if (frame.kind === 'transcription') {
      const text = frame.text.trim().slice(-MAX_TEXT_CHARS);
      if (text !== '') {
        this.#report({
          segmentId: `${this.#segmentPrefix}-${this.#segment}`,
          text,
          final: frame.final,
          startAtMs: this.#startAtMs,
          endAtMs: this.#endAtMs ?? frame.atMs,
          ...(frame.final && frame.confidence !== undefined ? { confidence: frame.confidence } : {}),
          ...(frame.final && frame.alternatives ? { alternatives: frame.alternatives } : {}),
        });
      }
      if (frame.final) this.#segment++;
    }
    this.pushDown(frame);
  }
}
