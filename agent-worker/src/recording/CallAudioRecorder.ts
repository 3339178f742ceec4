import { type Clock, systemClock } from '../audio/clock.ts';
import { OpusEncoderStream } from '../audio/OpusCodec.ts';
import { Resampler } from '../audio/Resampler.ts';
import { OggOpusWriter } from './OggOpusWriter.ts';

const RATE = 16_000;
const FRAME = 320;
const FRAME_MS = 20;
/** Audio may arrive this late (jitter buffer, event-loop stalls) and still be mixed in; older frames are encoded. */
const LATE_MS = 1000;

/**
 * Records a call as one mixed mono track in Ogg Opus: the caller, any human agent and the AI agent, each placed on
 * the call's timeline by when its audio arrived (what the caller heard, when it was sent). Silence where nobody
 * spoke, so the recording lasts as long as the call. Frames are encoded as soon as they can no longer change, so
 * memory holds the Ogg bytes (about 4 kB per second) and a second of PCM.
 */
export class CallAudioRecorder {
  readonly #clock: Clock;
  readonly #startMs: number;
  readonly #frames = new Map<number, Int32Array>();
  readonly #fromAgent = new Map<number, Resampler>();
  // 16 kHz straight into libopus: one mixed frame is one packet, nothing to resample
  readonly #encoder = new OpusEncoderStream({ rate: RATE, bitrate: 24_000, expectedLossPercent: 0 });
  readonly #ogg = new OggOpusWriter({ inputSampleRate: RATE });
  #encodedFrames = 0;
  #file: Uint8Array | undefined;

  /** `leadInMs`: how long the call already lasted when the recorder starts; the recording begins with that silence. */
  constructor(options: { clock?: Clock; leadInMs?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#startMs = this.#clock.now() - Math.max(0, options.leadInMs ?? 0);
  }

  /** Seconds of call recorded so far (encoded). */
  get encodedSeconds(): number {
    return (this.#encodedFrames * FRAME_MS) / 1000;
  }

  /** A participant's decoded 16 kHz audio that just arrived (it ended now). */
  addVoice(pcm16k: Int16Array): void {
    if (this.#file) return;
    this.#mix(pcm16k, this.#clock.now() - pcm16k.length / (RATE / 1000));
  }

  /** The agent's audio at `sampleRate`, sent now. */
  addAgent(pcm: Int16Array, sampleRate: number): void {
    if (this.#file) return;
    let resampler = this.#fromAgent.get(sampleRate);
    if (!resampler) {
      resampler = new Resampler({ inputRate: sampleRate, outputRate: RATE });
      this.#fromAgent.set(sampleRate, resampler);
    }
    this.#mix(resampler.process(pcm), this.#clock.now());
  }

  /** Ends the recording at the current time; returns the Ogg Opus file (the same one on later calls). */
  finish(): Uint8Array {
    if (!this.#file) {
      this.#encodeUpTo(Math.ceil((this.#clock.now() - this.#startMs) / FRAME_MS));
      this.#file = this.#ogg.finish();
      this.#frames.clear();
    }
    return this.#file;
  }

  #mix(pcm: Int16Array, atMs: number): void {
    const first = Math.round((atMs - this.#startMs) * (RATE / 1000));
    for (let i = 0; i < pcm.length; i++) {
      const position = first + i;
      if (position < 0) continue;
      const index = Math.floor(position / FRAME);
      if (index < this.#encodedFrames) continue;
      let frame = this.#frames.get(index);
      if (!frame) {
        frame = new Int32Array(FRAME);
        this.#frames.set(index, frame);
      }
      const at = position % FRAME;
      frame[at] = (frame[at] as number) + (pcm[i] as number);
    }
    this.#encodeUpTo(Math.floor((this.#clock.now() - this.#startMs - LATE_MS) / FRAME_MS));
  }

  /** Encodes every frame before `endIndex` (silence for frames nobody spoke in). */
  #encodeUpTo(endIndex: number): void {
    for (; this.#encodedFrames < endIndex; this.#encodedFrames++) {
      const mixed = this.#frames.get(this.#encodedFrames);
      this.#frames.delete(this.#encodedFrames);
      const pcm = new Int16Array(FRAME);
      if (mixed)
        for (let i = 0; i < FRAME; i++) pcm[i] = Math.max(-32768, Math.min(32767, mixed[i] as number));
      this.#ogg.write(this.#encoder.encode(pcm));
    }
  }
}
