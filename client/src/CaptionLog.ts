import type { TranscriptEvent } from '@voiceroom/sdk';

export interface CaptionLine {
  readonly segmentId: string;
  readonly speaker: TranscriptEvent['speaker'];
  readonly text: string;
  readonly final: boolean;
  readonly interrupted: boolean;
}

/**
 * Live captions of both sides: a partial result replaces the earlier text of its segment, the final one settles it.
 * Keeps the newest `maxLines` lines. A late partial never overwrites a final.
 */
export class CaptionLog {
  readonly #maxLines: number;
  #lines: CaptionLine[] = [];

  constructor(maxLines = 200) {
    this.#maxLines = maxLines;
  }

  get lines(): readonly CaptionLine[] {
    return this.#lines;
  }

  /** Applies a transcript event; returns the line as it now reads, or undefined when the event was stale. */
  apply(event: TranscriptEvent): CaptionLine | undefined {
    const line: CaptionLine = {
      segmentId: event.segmentId,
      speaker: event.speaker,
      text: event.text,
      final: event.final,
      interrupted: event.interrupted,
    };
    const index = this.#lines.findIndex((l) => l.segmentId === event.segmentId);
    if (index === -1) {
      if (!line.final && line.text.trim() === '') return undefined;
      this.#lines.push(line);
      if (this.#lines.length > this.#maxLines) this.#lines = this.#lines.slice(-this.#maxLines);
      return line;
    }
    if (this.#lines[index]?.final && !line.final) return undefined;
    this.#lines[index] = line;
    return line;
  }

  clear(): void {
    this.#lines = [];
  }
}
