import type { RtpPacket } from '../rtp/rtpPacket.ts';
import { JitterBuffer, type JitterBufferOptions, type JitterBufferStats } from './JitterBuffer.ts';
import { OpusDecoderStream } from './OpusCodec.ts';

export const ASR_RATE = 16_000;

export interface InboundAudioStreamOptions {
  /** Receives caller audio: mono 16 kHz, one chunk per decoded or concealed frame, `atMs` since the stream began. */
  onAudio(pcm16k: Int16Array, atMs: number): void;
  jitter?: JitterBufferOptions;
  /**
   * After this long without audio (the caller's producer paused, network outage) silence is delivered in real time,
   * so voice activity detection can still see the end of speech. Default 300 ms (above the jitter buffer's maximum
   * wait, so it never races a hole that is about to be concealed).
   */
  stallMs?: number;
}

export interface InboundAudioStats extends JitterBufferStats {
  corruptPackets: number;
  concealedFrames: number;
  /** Lost frames rebuilt from forward error correction data. */
  recoveredFrames: number;
  silenceFrames: number;
  samplesOut: number;
}

/**
 * One caller's audio from RTP to the pipeline: jitter buffer -> Opus decode (PLC for lost packets) straight to
 * 16 kHz (libopus decodes at that rate: a fraction of the work of decoding at 48 kHz, and no resampler, which
 * together were the agent's largest per-call cost). The output timeline has no holes: every packet slot yields a frame, so `atMs` is the sample count.
 */
export class InboundAudioStream {
  readonly #jitter: JitterBuffer;
  readonly #decoder = new OpusDecoderStream({ rate: ASR_RATE });
  readonly #onAudio: (pcm16k: Int16Array, atMs: number) => void;
  readonly #stallMs: number;
  #samplesOut = 0;
  #silenceFrames = 0;
  /** Clock time up to which audio has been delivered; null before the first packet. */
  #deliveredUntilMs: number | null = null;

  constructor(options: InboundAudioStreamOptions) {
    this.#jitter = new JitterBuffer(options.jitter);
    this.#onAudio = options.onAudio;
    this.#stallMs = options.stallMs ?? 300;
  }

  get stats(): InboundAudioStats {
    return {
      ...this.#jitter.stats,
      corruptPackets: this.#decoder.corruptPackets,
      concealedFrames: this.#decoder.concealedFrames,
      recoveredFrames: this.#decoder.recoveredFrames,
      silenceFrames: this.#silenceFrames,
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
        continue;
      }
      if (item.type === 'packet') this.#deliver(this.#decoder.decode(item.packet.payload));
      else if (item.next !== null) this.#deliver(this.#decoder.recover(item.next.payload));
      else this.#deliver(this.#decoder.conceal());
      this.#deliveredUntilMs = Math.max(this.#deliveredUntilMs ?? nowMs, nowMs);
    }
    this.#fillStall(nowMs);
  }

  /** Frees the decoder; the stream is unusable afterwards. */
  close(): void {
    this.#decoder.close();
  }

  #fillStall(nowMs: number): void {
    if (this.#deliveredUntilMs === null || nowMs - this.#deliveredUntilMs < this.#stallMs) return;
    // Catch up to real time with 20 ms silent frames, starting from where the stall threshold was crossed.
    if (nowMs - this.#deliveredUntilMs > this.#stallMs + 1_000)
      this.#deliveredUntilMs = nowMs - this.#stallMs;
    while (nowMs - this.#deliveredUntilMs >= this.#stallMs) {
      this.#deliver(new Int16Array(ASR_RATE / 50));
      this.#silenceFrames++;
      this.#deliveredUntilMs += 20;
    }
  }

  #deliver(pcm16k: Int16Array): void {
    if (pcm16k.length === 0) return;
    const atMs = (this.#samplesOut * 1000) / ASR_RATE;
    this.#samplesOut += pcm16k.length;
    this.#onAudio(pcm16k, atMs);
  }
}
