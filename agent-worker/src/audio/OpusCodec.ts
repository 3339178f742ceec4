import { Encoder } from '@evan/opus';
import { OpusWasmDecoder } from './OpusWasmDecoder.ts';

export const OPUS_RATE = 48_000;
/** 20 ms at 48 kHz: the frame size the agent sends and the one browsers send by default. */
export const FRAME_SAMPLES_48K = 960;

/** Output rates libopus decodes to (and encodes from) natively. */
export const OPUS_NATIVE_RATES: readonly number[] = [8_000, 12_000, 16_000, 24_000, 48_000];

/**
 * Decodes one caller's Opus stream to mono PCM at `rate` (48 kHz by default; stereo streams are down-mixed by
 * libopus). A lost packet is rebuilt from the forward error correction data of the packet after it when that one is
 * at hand (`recover`), and otherwise concealed by libopus PLC (`conceal`). Corrupt payloads are concealed too and
 * counted, never thrown.
 */
export class OpusDecoderStream {
  readonly #decoder: OpusWasmDecoder;
  /** Samples per frame of the last good packet: the size of a concealed or recovered frame. */
  #frameSamples: number;
  #decodedAny = false;
  #corrupt = 0;
  #concealed = 0;
  #recovered = 0;

  constructor(options: { rate?: number } = {}) {
    const rate = options.rate ?? OPUS_RATE;
    if (!OPUS_NATIVE_RATES.includes(rate))
      throw new RangeError(`Opus decodes to ${OPUS_NATIVE_RATES.join(', ')} Hz, not ${rate}`);
    this.#decoder = new OpusWasmDecoder(rate);
    this.#frameSamples = rate / 50;
  }

  get corruptPackets(): number {
    return this.#corrupt;
  }

  get concealedFrames(): number {
    return this.#concealed;
  }

  get recoveredFrames(): number {
    return this.#recovered;
  }

  decode(payload: Uint8Array): Int16Array {
    try {
      const pcm = this.#decoder.decode(payload);
      if (pcm.length > 0) this.#frameSamples = pcm.length;
      this.#decodedAny = true;
      return pcm;
    } catch {
      this.#corrupt++;
      return this.conceal();
    }
  }

  /** One frame of packet loss concealment (silence when nothing was decoded yet). */
  conceal(): Int16Array {
    this.#concealed++;
    if (!this.#decodedAny) return new Int16Array(this.#frameSamples);
    try {
      return this.#decoder.conceal(this.#frameSamples);
    } catch {
      return new Int16Array(this.#frameSamples);
    }
  }

  /** The lost frame before `next`, from `next`'s FEC data (libopus falls back to PLC when it has none). */
  recover(next: Uint8Array): Int16Array {
    if (!this.#decodedAny) return this.conceal();
    try {
      const pcm = this.#decoder.recover(next, this.#frameSamples);
      this.#recovered++;
      return pcm;
    } catch {
      return this.conceal();
    }
  }

  reset(): void {
    this.#decoder.reset();
    this.#decodedAny = false;
  }

  /** Frees the decoder's native memory. */
  close(): void {
    this.#decoder.destroy();
  }
}

export interface OpusEncoderOptions {
  /** Rate of the PCM it is given, one of OPUS_NATIVE_RATES (default 48 kHz); the stream it makes is the same. */
  rate?: number;
  /** Target bitrate in bits per second (default 32 kbps: wideband speech). */
  bitrate?: number;
  /** Enable in-band FEC and tell the encoder the expected loss percentage. */
  expectedLossPercent?: number;
  /** libopus complexity 0..10 (default its own, 9); 5 costs about half of 9 on speech (what Chrome uses on phones). */
  complexity?: number;
}

/**
 * Encodes mono PCM, one 20 ms frame per call (960 samples at 48 kHz), for voice. Given 16 kHz speech (the TTS voice's
 * own rate) it encodes that directly: no upsampling first, and less work for libopus than the same speech at 48 kHz.
 */
export class OpusEncoderStream {
  readonly #encoder: Encoder;
  readonly #frameSamples: number;

  constructor(options: OpusEncoderOptions = {}) {
    const rate = options.rate ?? OPUS_RATE;
    if (!OPUS_NATIVE_RATES.includes(rate))
      throw new RangeError(`Opus encodes ${OPUS_NATIVE_RATES.join(', ')} Hz, not ${rate}`);
    this.#encoder = new Encoder({
      channels: 1,
      sample_rate: rate as 8_000 | 12_000 | 16_000 | 24_000 | 48_000,
      application: 'voip',
    });
    this.#frameSamples = rate / 50;
    this.#encoder.bitrate = options.bitrate ?? 32_000;
    this.#encoder.signal = 'voice';
    if (options.complexity !== undefined)
      this.#encoder.complexity = options.complexity as Encoder['complexity'];
    const loss = options.expectedLossPercent ?? 5;
    if (loss > 0) {
      this.#encoder.inband_fec = true;
      this.#encoder.packet_loss = loss;
    }
  }

  encode(frame: Int16Array): Uint8Array {
    if (frame.length !== this.#frameSamples) {
      throw new RangeError(
        `an Opus frame must be ${this.#frameSamples} samples (20 ms at ${this.#frameSamples * 50} Hz), got ${frame.length}`,
      );
    }
    return this.#encoder.encode(frame).slice();
  }
}
