import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * libopus's decoder from @evan/opus's WebAssembly build, called directly because the package's JavaScript wrappers
 * do not expose `decode_fec`: with it, a lost packet is rebuilt from the forward error correction data (LBRR) that
 * Opus carries in the next packet, instead of only being guessed by packet loss concealment.
 */

interface OpusWasmExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  opus_decoder_get_size(channels: number): number;
  opus_decoder_init(ptr: number, rate: number, channels: number): number;
  opus_decode(
    ptr: number,
    data: number,
    len: number,
    pcm: number,
    frameSize: number,
    decodeFec: number,
  ): number;
  opus_decoder_ctl_set(ptr: number, cmd: number, arg: number): number;
}

const MAX_PACKET = 1500;
/** 120 ms at 48 kHz: the longest Opus frame. */
const MAX_FRAME = 5760;
const OPUS_RESET_STATE = 4028;
/** The smallest module with a SIMD instruction: tells whether the runtime can run the SIMD build. */
const SIMD_PROBE = Uint8Array.of(
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  4,
  1,
  96,
  0,
  0,
  3,
  2,
  1,
  0,
  10,
  9,
  1,
  7,
  0,
  65,
  0,
  253,
  15,
  26,
  11,
);

let loaded: OpusWasmExports | null = null;

function opusWasm(): OpusWasmExports {
  if (loaded) return loaded;
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('@evan/opus/package.json'));
  const file = path.join(packageDir, 'wasm', WebAssembly.validate(SIMD_PROBE) ? 'simd.wasm' : 'opus.wasm');
  const module = new WebAssembly.Module(readFileSync(file));
  const noop = () => 0;
  const instance = new WebAssembly.Instance(module, {
    wasi_snapshot_preview1: { fd_seek: noop, fd_write: noop, fd_close: noop, proc_exit: noop },
    env: { emscripten_notify_memory_growth: noop },
  });
  loaded = instance.exports as unknown as OpusWasmExports;
  return loaded;
}

/**
 * One mono decoder with its own packet and PCM buffers in WebAssembly memory. `rate` is its output rate (48, 24, 16,
 * 12 or 8 kHz): libopus decodes any stream at any of them, more cheaply below 48 kHz than decoding at 48 kHz and
 * resampling after.
 */
export class OpusWasmDecoder {
  readonly #wasm = opusWasm();
  #state: number;
  #packet: number;
  #pcm: number;

  constructor(rate = 48_000) {
    const wasm = this.#wasm;
    this.#state = wasm.malloc(wasm.opus_decoder_get_size(1));
    this.#packet = wasm.malloc(MAX_PACKET);
    this.#pcm = wasm.malloc(MAX_FRAME * 2);
    const code = wasm.opus_decoder_init(this.#state, rate, 1);
    if (code < 0) throw new Error(`opus_decoder_init at ${rate} Hz failed (${code})`);
  }

  /** Decodes a packet; throws on a corrupt one. */
  decode(payload: Uint8Array): Int16Array {
    return this.#run(payload, MAX_FRAME, 0);
  }

  /** Rebuilds the frame lost just before `next` from the FEC data in `next` (PLC when it carries none). */
  recover(next: Uint8Array, frameSamples: number): Int16Array {
    return this.#run(next, frameSamples, 1);
  }

  /** Packet loss concealment for one frame of `frameSamples`. */
  conceal(frameSamples: number): Int16Array {
    return this.#run(null, frameSamples, 0);
  }

  reset(): void {
    this.#wasm.opus_decoder_ctl_set(this.#state, OPUS_RESET_STATE, 0);
  }

  /** Frees the WebAssembly memory; the decoder is unusable afterwards. */
  destroy(): void {
    if (this.#state === 0) return;
    for (const ptr of [this.#state, this.#packet, this.#pcm]) this.#wasm.free(ptr);
    this.#state = 0;
  }

  #run(payload: Uint8Array | null, frameSamples: number, fec: 0 | 1): Int16Array {
    if (this.#state === 0) throw new Error('this Opus decoder was destroyed');
    const wasm = this.#wasm;
    let length = 0;
    if (payload !== null) {
      if (payload.length === 0 || payload.length > MAX_PACKET)
        throw new RangeError(`bad Opus packet length ${payload.length}`);
      new Uint8Array(wasm.memory.buffer, this.#packet, payload.length).set(payload);
      length = payload.length;
    }
    const samples = wasm.opus_decode(
      this.#state,
      payload === null ? 0 : this.#packet,
      length,
      this.#pcm,
      frameSamples,
      fec,
    );
    if (samples < 0) throw new Error(`opus_decode failed (${samples})`);
    // Views are made after the call: decoding may grow (and so replace) the memory buffer.
    return new Int16Array(wasm.memory.buffer, this.#pcm, samples).slice();
  }
}
