import createRnnoiseModule, { type RnnoiseModule } from '@echogarden/rnnoise-wasm';
import { Resampler } from './Resampler.ts';
import { SampleFifo } from './SampleFifo.ts';

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
 * of a frame a chunk left waiting: none for 10 or 20 ms chunks), so the timeline downstream is unchanged. It runs
 * on the caller's audio path, so a chunk costs one call of each resampler and reuses its buffers.
 */
export class NoiseSuppressor {
  readonly #module: RnnoiseModule;
  readonly #state: number;
  readonly #frame: number;
  /** RNNoise's input frame in the wasm heap; it also holds the 48 kHz samples waiting for a whole frame. */
  readonly #input: number;
  readonly #output: number;
  readonly #up: Resampler;
  readonly #down: Resampler;
  #pendingLength = 0;
  /** A chunk's denoised frames at 48 kHz, reused from chunk to chunk. */
  #denoised: Int16Array;
  /** Denoised samples at `rate` not yet handed out. */
  readonly #ready = new SampleFifo(0);
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
    this.#denoised = new Int16Array(this.#frame * 2);
  }

  /** `pcm` denoised, as many samples as given (the first ones of a stream are the delay's silence). */
  process(pcm: Int16Array): Int16Array {
    if (this.#closed) throw new Error('NoiseSuppressor used after close');
    const upsampled = this.#up.process(pcm);
    const frame = this.#frame;
    const frames = Math.floor((this.#pendingLength + upsampled.length) / frame);
    if (this.#denoised.length < frames * frame) this.#denoised = new Int16Array(frames * frame);
    let denoisedLength = 0;
    let at = 0;
    while (at < upsampled.length) {
      const take = Math.min(frame - this.#pendingLength, upsampled.length - at);
      // the heap view is taken at every use: the wasm memory may have grown and replaced it
      this.#module.HEAPF32.set(upsampled.subarray(at, at + take), (this.#input >> 2) + this.#pendingLength);
      this.#pendingLength += take;
      at += take;
      if (this.#pendingLength === frame) {
        this.#denoiseFrame(denoisedLength);
        denoisedLength += frame;
        this.#pendingLength = 0;
      }
    }
    if (denoisedLength > 0) this.#ready.push(this.#down.process(this.#denoised.subarray(0, denoisedLength)));
    return this.#handOut(pcm.length);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#module._rnnoise_destroy(this.#state);
    this.#module._free(this.#input);
    this.#module._free(this.#output);
  }

  /** Denoises the frame waiting in the heap into #denoised from `at`. */
  #denoiseFrame(at: number): void {
    const module = this.#module;
    module._rnnoise_process_frame(this.#state, this.#output, this.#input);
    const heap = module.HEAPF32;
    const from = this.#output >> 2;
    for (let i = 0; i < this.#frame; i++) {
      const v = Math.round(heap[from + i] as number);
      this.#denoised[at + i] = Math.min(32767, Math.max(-32768, v));
    }
  }

  /**
   * The next `count` denoised samples. When fewer are ready (a chunk that left part of a frame waiting), the stream
   * is delayed by the shortfall for good: silence goes first, and later chunks are owed no more than they give.
   */
  #handOut(count: number): Int16Array {
    const out = new Int16Array(count);
    this.#ready.shiftInto(out, Math.max(0, count - this.#ready.length));
    return out;
  }
}
