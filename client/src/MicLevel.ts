/**
 * The level of a local microphone track (0..1), sampled about 12 times a second with an AnalyserNode, so the caller
 * sees that they are heard. The page's own AudioContext; stop() releases it.
 */
export class MicLevel {
  readonly #context: AudioContext;
  readonly #source: MediaStreamAudioSourceNode;
  readonly #analyser: AnalyserNode;
  readonly #samples: Float32Array<ArrayBuffer>;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(track: MediaStreamTrack, onLevel: (level: number) => void) {
    this.#context = new AudioContext();
    this.#source = this.#context.createMediaStreamSource(new MediaStream([track]));
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#source.connect(this.#analyser);
    this.#timer = setInterval(() => onLevel(track.enabled ? this.#level() : 0), 80);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#source.disconnect();
    void this.#context.close();
  }

  #level(): number {
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    const rms = Math.sqrt(sum / this.#samples.length);
    // Speech sits around -30..-10 dBFS: map -60..0 dBFS onto 0..1.
    const db = 20 * Math.log10(Math.max(rms, 1e-6));
    return Math.min(1, Math.max(0, (db + 60) / 60));
  }
}
