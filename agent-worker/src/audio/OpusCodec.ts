import { Encoder } from '@evan/opus';
import { OpusWasmDecoder } from './OpusWasmDecoder.ts';

export const OPUS_RATE = 48_000;
/** 20 ms at 48 kHz: the frame size the agent sends and the one browsers send by default. */
export const FRAME_SAMPLES_48K = 960;

/**
 * Decodes one caller's Opus stream to mono 48 kHz PCM (stereo streams are down-mixed by libopus). A lost packet is
 * rebuilt from the forward error correction data of the packet after it when that one is at hand (`recover`), and
 * otherwise concealed by libopus PLC (`conceal`). Corrupt payloads are concealed too and counted, never thrown.
 */
export class OpusDecoderStream {
  readonly #decoder = new OpusWasmDecoder();
  /** Samples per frame of the last good packet: the size of a concealed or recovered frame. */
  #frameSamples = FRAME_SAMPLES_48K;
  #decodedAny = false;
  #corrupt = 0;
  #concealed = 0;
  #recovered = 0;

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
  /** Target bitrate in bits per second (default 32 kbps: wideband speech). */
  bitrate?: number;
  /** Enable in-band FEC and tell the encoder the expected loss percentage. */
  expectedLossPercent?: number;
}

/** Encodes mono 48 kHz PCM, one 20 ms frame (960 samples) per call, for voice. */
export class OpusEncoderStream {
  readonly #encoder = new Encoder({ channels: 1, sample_rate: OPUS_RATE, application: 'voip' });

  constructor(options: OpusEncoderOptions = {}) {
    this.#encoder.bitrate = options.bitrate ?? 32_000;
    this.#encoder.signal = 'voice';
    const loss = options.expectedLossPercent ?? 5;
    if (loss > 0) {
      this.#encoder.inband_fec = true;
      this.#encoder.packet_loss = loss;
    }
  }

  encode(frame: Int16Array): Uint8Array {
    if (frame.length !== FRAME_SAMPLES_48K) {
      throw new RangeError(
        `an Opus frame must be ${FRAME_SAMPLES_48K} samples (20 ms at 48 kHz), got ${frame.length}`,
      );
    }
    return this.#encoder.encode(frame).slice();
  }
}
