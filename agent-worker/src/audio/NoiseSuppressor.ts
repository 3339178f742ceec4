import createRnnoiseModule, { type RnnoiseModule } from '@echogarden/rnnoise-wasm';
import { Resampler } from './Resampler.ts';

/** RNNoise's rate: its model and bands are built for 48 kHz, in 10 ms frames. */
const RNNOISE_RATE = 48_000;

let shared: Promise<RnnoiseModule> | undefined;

/** One RNNoise wasm instance per process (the model ships inside it); each stream keeps its own state in it. */
function rnnoiseModule(): Promise<RnnoiseModule> {
  shared ??= createRnnoiseModule();
  return shared;
}

/**
 * RNNoise (the @echogarden/rnnoise-wasm package, BSD) on one caller's audio stream at `rate` (16 kHz, what the
 * agent decodes to): up to 48 kHz, denoised frame by frame, back down. Every chunk in gives a chunk of the same
 * length out, the stream delayed by a fixed amount (the resamplers' filters, RNNoise's 10 ms overlap, and the part
 * of a frame a chunk left waiting: none for 10 or 20 ms chunks), so the timeline downstream is unchanged.
 */
export class NoiseSuppressor {
  readonly #module: RnnoiseModule;
  readonly #state: number;
  readonly #frame: number;
  readonly #input: number;
  readonly #output: number;
  readonly #up: Resampler;
  readonly #down: Resampler;
  /** 48 kHz samples waiting for a whole frame. */
  #pending: Float32Array;
  #pendingLength = 0;
  /** Denoised samples at `rate` not yet handed out. */
  #ready: Int16Array = new Int16Array(0);
  #closed = false;

  static async create(rate = 16_000): Promise<NoiseSuppressor> {
    return new NoiseSuppressor(await rnnoiseModule(), rate);
  }

  private constructor(module: RnnoiseModule, rate: number) {
    this.#module = module;
    this.#frame = module._rnnoise_get_frame_size();
    this.#state = module._rnnoise_create(0);
    this.#input = module._malloc(this.#frame * 4);
    this.#output = module._malloc(this.#frame * 4);
    this.#up = new Resampler({ inputRate: rate, outputRate: RNNOISE_RATE });
    this.#down = new Resampler({ inputRate: RNNOISE_RATE, outputRate: rate });
    this.#pending = new Float32Array(this.#frame * 2);
  }

  /** `pcm` denoised, as many samples as given (the first ones of a stream are the delay's silence). */
  process(pcm: Int16Array): Int16Array {
    if (this.#closed) throw new Error('NoiseSuppressor used after close');
    const upsampled = this.#up.process(pcm);
    const denoised: Int16Array[] = [];
    let at = 0;
    while (at < upsampled.length) {
      const take = Math.min(this.#frame - this.#pendingLength, upsampled.length - at);
      for (let i = 0; i < take; i++) this.#pending[this.#pendingLength + i] = upsampled[at + i] as number;
      this.#pendingLength += take;
      at += take;
      if (this.#pendingLength === this.#frame) {
        denoised.push(this.#down.process(this.#denoiseFrame()));
        this.#pendingLength = 0;
      }
    }
    return this.#handOut(denoised, pcm.length);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#module._rnnoise_destroy(this.#state);
    this.#module._free(this.#input);
    this.#module._free(this.#output);
  }

  #denoiseFrame(): Int16Array {
    const module = this.#module;
    // the heap view is taken after every call: the wasm memory may have grown and replaced it
    module.HEAPF32.set(this.#pending.subarray(0, this.#frame), this.#input >> 2);
    module._rnnoise_process_frame(this.#state, this.#output, this.#input);
    const out = module.HEAPF32.subarray(this.#output >> 2, (this.#output >> 2) + this.#frame);
    const frame = new Int16Array(this.#frame);
    for (let i = 0; i < frame.length; i++) {
      const v = Math.round(out[i] as number);
      frame[i] = Math.min(32767, Math.max(-32768, v));
    }
    return frame;
  }

  /**
   * The next `count` denoised samples. When fewer are ready (a chunk that left part of a frame waiting), the stream
   * is delayed by the shortfall for good: silence goes first, and later chunks are owed no more than they give.
   */
  #handOut(denoised: readonly Int16Array[], count: number): Int16Array {
    const readyLength = this.#ready.length + denoised.reduce((n, d) => n + d.length, 0);
    const shortfall = Math.max(0, count - readyLength);
    const all = new Int16Array(shortfall + readyLength);
    let at = shortfall;
    for (const part of [this.#ready, ...denoised]) {
      all.set(part, at);
      at += part.length;
    }
    this.#ready = all.slice(count);
    return all.subarray(0, count);
  }
}
