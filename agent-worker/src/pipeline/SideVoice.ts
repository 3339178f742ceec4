import type { SttStream, VadStream } from '@voiceroom/agent-core/stages';
import { CallerInput } from './CallerInput.ts';
import type { Clock } from './clock.ts';
import type { FrameProcessor } from './FrameProcessor.ts';

/** No audio for this long: the speaker stopped talking (a muted or closed track sends nothing, not silence). */
const IDLE_MS = 200;

export interface SideVoiceOptions {
  vad: VadStream;
  stt: SttStream;
  prefixPaddingMs: number;
  /** The VAD's hangover: this much silence (plus a margin) is fed when the audio stops, to end the utterance. */
  minSilenceMs: number;
  clock: Clock;
  onError(error: unknown): void;
  /** Receives the recognised speech (VAD and transcription frames). */
  sink: FrameProcessor;
}

/**
 * A voice in the call other than the caller's (a co-pilot's whisper, a human agent speaking to the caller): its own
 * VAD and recogniser streams, separate from the caller's turn-taking. Its audio may simply stop mid-word; then
 * silence is fed so the VAD ends the utterance and the recogniser gives its final.
 */
export class SideVoice {
  readonly #input: CallerInput;
  readonly #clock: Clock;
  readonly #minSilenceMs: number;
  #cancelFlush: (() => void) | undefined;

  constructor(options: SideVoiceOptions) {
    this.#clock = options.clock;
    this.#minSilenceMs = options.minSilenceMs;
    this.#input = new CallerInput({
      vad: options.vad,
      stt: options.stt,
      prefixPaddingMs: options.prefixPaddingMs,
      clock: options.clock,
      onError: options.onError,
    });
    this.#input.link(options.sink);
  }

  /** 16 kHz mono audio of this voice as it arrives. */
  push(pcm16k: Int16Array): void {
    this.#input.processDown({
      kind: 'caller_audio',
      pcm: pcm16k,
      atMs: this.#clock.now() - pcm16k.length / 16,
    });
    this.#cancelFlush?.();
    this.#cancelFlush = this.#clock.setTimer(IDLE_MS, () => {
      this.#cancelFlush = undefined;
      const silence = new Int16Array((this.#minSilenceMs + 100) * 16);
      this.#input.processDown({ kind: 'caller_audio', pcm: silence, atMs: this.#clock.now() });
    });
  }

  close(): void {
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    this.#input.close();
  }
}
