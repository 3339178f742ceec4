import { Decoder, Encoder } from '@evan/opus';

export const OPUS_RATE = 48_000;
/** 20 ms at 48 kHz: the frame size the agent sends and the one browsers send by default. */
export const FRAME_SAMPLES_48K = 960;

function toInt16(bytes: Uint8Array): Int16Array {
  // @evan/opus returns a view into a buffer it reuses on the next call: copy before keeping it.
  const copy = bytes.slice();
  return new Int16Array(copy.buffer, copy.byteOffset, copy.byteLength >> 1);
}

/**
 * Decodes one caller's Opus stream to mono 48 kHz PCM (stereo streams are down-mixed by libopus). Loss is concealed
 * by libopus PLC: a packet holding only the TOC byte of the last good packet is decoded as a lost frame of the same
 * duration. Corrupt payloads are concealed too and counted, never thrown.
 */
export class OpusDecoderStream {
  readonly #decoder = new Decoder({ channels: 1, sample_rate: OPUS_RATE });
  /** TOC byte (config + stereo bit, frame-count code 0) of the last decoded packet, used to request PLC. */
  #lastToc: number | null = null;
  #corrupt = 0;
  #concealed = 0;

  get corruptPackets(): number {
    return this.#corrupt;
  }

  get concealedFrames(): number {
    return this.#concealed;
  }

  decode(payload: Uint8Array): Int16Array {
    try {
      const pcm = toInt16(this.#decoder.decode(payload));
      this.#lastToc = (payload[0] as number) & 0xfc;
      return pcm;
    } catch {
      this.#corrupt++;
      return this.conceal();
    }
  }

  /** One frame of packet loss concealment (silence when nothing was decoded yet). */
  conceal(): Int16Array {
    this.#concealed++;
    if (this.#lastToc === null) return new Int16Array(FRAME_SAMPLES_48K);
    try {
      return toInt16(this.#decoder.decode(Uint8Array.of(this.#lastToc)));
    } catch {
      return new Int16Array(FRAME_SAMPLES_48K);
    }
  }

  reset(): void {
    this.#decoder.reset();
    this.#lastToc = null;
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

  reset(): void {
    this.#encoder.reset();
  }
}
