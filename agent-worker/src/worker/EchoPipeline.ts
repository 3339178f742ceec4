import type { CallPipeline, CallPipelineOptions } from './CallPipeline.ts';

/**
 * A pipeline that plays the caller's voice back after a fixed delay. It exercises the media path end to end
 * without models (AGENT_PIPELINE=echo, media tests and the media benchmark).
 */
export class EchoPipeline implements CallPipeline {
  readonly outputSampleRate = 16_000;
  readonly #queue: Int16Array[] = [];
  readonly #delayFrames: number;
  readonly #roomId: string;
  readonly #emit: CallPipelineOptions['emit'];
  #pending = new Int16Array(0);
  #muted = false;
  #closed = false;

  constructor(options: Pick<CallPipelineOptions, 'roomId' | 'emit'> & { delayMs?: number }) {
    this.#roomId = options.roomId;
    this.#emit = options.emit;
    this.#delayFrames = Math.round((options.delayMs ?? 0) / 20);
  }

  start(): void {
    this.#emit({ type: 'agent.state', roomId: this.#roomId, state: 'listening' });
  }

  pushCallerAudio(pcm16k: Int16Array): void {
    if (this.#closed || this.#muted) return;
    const joined = new Int16Array(this.#pending.length + pcm16k.length);
    joined.set(this.#pending);
    joined.set(pcm16k, this.#pending.length);
    let at = 0;
    for (; at + 320 <= joined.length; at += 320) this.#queue.push(joined.slice(at, at + 320));
    this.#pending = joined.slice(at);
    // Bounded: at most 10 s of echo waiting.
    if (this.#queue.length > 500) this.#queue.splice(0, this.#queue.length - 500);
  }

  pullAudio(): Int16Array | null {
    if (this.#closed || this.#muted || this.#queue.length <= this.#delayFrames) return null;
    return this.#queue.shift() ?? null;
  }

  addHint(): void {}

  setMuted(muted: boolean): void {
    this.#muted = muted;
    if (muted) this.#queue.length = 0;
  }

  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }
}
