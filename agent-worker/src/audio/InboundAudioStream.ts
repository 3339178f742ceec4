import type { RtpPacket } from '../rtp/rtpPacket.ts';
import { JitterBuffer, type JitterBufferOptions, type JitterBufferStats } from './JitterBuffer.ts';
import { OPUS_RATE, OpusDecoderStream } from './OpusCodec.ts';
import { Resampler } from './Resampler.ts';

export const ASR_RATE = 16_000;

export interface InboundAudioStreamOptions {
  /** Receives caller audio: mono 16 kHz, one chunk per decoded or concealed frame, `atMs` since the stream began. */
  onAudio(pcm16k: Int16Array, atMs: number): void;
  jitter?: JitterBufferOptions;
}

export interface InboundAudioStats extends JitterBufferStats {
  corruptPackets: number;
  concealedFrames: number;
  samplesOut: number;
}

/**
 * One caller's audio from RTP to the pipeline: jitter buffer -> Opus decode (PLC for lost packets) -> 48 kHz to
 * 16 kHz. The output timeline has no holes: every packet slot yields a frame, so `atMs` is the sample count.
 */
export class InboundAudioStream {
  readonly #jitter: JitterBuffer;
  readonly #decoder = new OpusDecoderStream();
  readonly #resampler = new Resampler({ inputRate: OPUS_RATE, outputRate: ASR_RATE });
  readonly #onAudio: (pcm16k: Int16Array, atMs: number) => void;
  #samplesOut = 0;

  constructor(options: InboundAudioStreamOptions) {
    this.#jitter = new JitterBuffer(options.jitter);
    this.#onAudio = options.onAudio;
  }

  get stats(): InboundAudioStats {
    return {
      ...this.#jitter.stats,
      corruptPackets: this.#decoder.corruptPackets,
      concealedFrames: this.#decoder.concealedFrames,
      samplesOut: this.#samplesOut,
    };
  }

  push(packet: RtpPacket, nowMs: number): void {
    this.#jitter.push(packet, nowMs);
    this.poll(nowMs);
  }

  /** Releases what the jitter buffer has ready (call periodically so waiting holes get concealed). */
  poll(nowMs: number): void {
    for (const item of this.#jitter.pop(nowMs)) {
      if (item.type === 'reset') {
        this.#decoder.reset();
        this.#resampler.reset();
        continue;
      }
      const pcm48k =
        item.type === 'packet' ? this.#decoder.decode(item.packet.payload) : this.#decoder.conceal();
      const pcm16k = this.#resampler.process(pcm48k);
      if (pcm16k.length === 0) continue;
      const atMs = (this.#samplesOut * 1000) / ASR_RATE;
      this.#samplesOut += pcm16k.length;
      this.#onAudio(pcm16k, atMs);
    }
  }
}
