import { FrameProcessor } from './FrameProcessor.ts';
import type { DownstreamFrame } from './frames.ts';

/**
 * The end of the co-pilot whisper chain (whisper audio -> VAD -> STT -> here): each recognised utterance becomes a
 * coaching hint for the agent's next reply. Nothing of it reaches turn-taking, so a whisper never interrupts the
 * agent or counts as the caller's words.
 */
export class WhisperHints extends FrameProcessor {
  readonly #onHint: (text: string) => void;

  constructor(onHint: (text: string) => void) {
    super();
    this.#onHint = onHint;
  }

  processDown(frame: DownstreamFrame): void {
    if (frame.kind !== 'transcription' || !frame.final) return;
    const text = frame.text.trim();
    if (text !== '') this.#onHint(text);
  }
}
