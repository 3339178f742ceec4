/**
 * Streaming rational-ratio resampler for mono 16-bit PCM: a polyphase FIR whose prototype is a Kaiser-windowed
 * sinc low-pass with its stopband just below the lower of the two Nyquist frequencies (so 48 kHz -> 16 kHz does not
 * alias and 16 kHz -> 48 kHz has no images). State is kept between calls, so a stream can be fed in any chunk sizes.
 */

export interface ResamplerOptions {
  inputRate: number;
  outputRate: number;
  /** Stopband attenuation in dB (default 60). */
  attenuationDb?: number;
}

/** Passband and stopband edges as fractions of the lower Nyquist frequency. */
const PASSBAND_EDGE = 0.85;
const STOPBAND_EDGE = 0.98;
const MAX_TAPS_PER_PHASE = 256;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/**
 * Kaiser-windowed sinc prototype at the upsampled rate (frequencies are fractions of it), laid out by phase:
 * coefficient k of phase p (prototype tap p + k * up) at [p * taps + k].
 */
function designPolyphaseFilter(up: number, down: number, attenuationDb: number) {
  const lowerNyquist = 0.5 / Math.max(up, down);
  const transition = (STOPBAND_EDGE - PASSBAND_EDGE) * lowerNyquist;
  const cutoff = ((PASSBAND_EDGE + STOPBAND_EDGE) / 2) * lowerNyquist;
  const beta =
    attenuationDb > 50
      ? 0.1102 * (attenuationDb - 8.7)
      : 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  const wanted = Math.ceil((attenuationDb - 7.95) / (14.36 * transition)) + 1;
  const taps = Math.min(MAX_TAPS_PER_PHASE, Math.max(4, Math.ceil(wanted / up)));
  const length = taps * up;
  const center = (length - 1) / 2;
  const i0Beta = besselI0(beta);
  const coefficients = new Float32Array(length);
  for (let m = 0; m < length; m++) {
    const t = m - center;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const r = (2 * m) / (length - 1) - 1;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    // Gain `up` restores the amplitude lost to zero-stuffing.
    const phase = m % up;
    const k = Math.floor(m / up);
    coefficients[phase * taps + k] = sinc * window * up;
  }
  return { coefficients, taps };
}

export class Resampler {
  readonly #up: number;
  readonly #down: number;
  readonly #taps: number;
  readonly #coefficients: Float32Array;
  /** The last `taps - 1` input samples, followed by room for the next chunk. */
  #history: Float32Array;
  /** Position of the next output sample, in prototype-rate samples from the first sample of the next chunk. */
  #position = 0;
  readonly inputRate: number;
  readonly outputRate: number;

  constructor(options: ResamplerOptions) {
    const { inputRate, outputRate } = options;
    if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate) || inputRate <= 0 || outputRate <= 0) {
      throw new RangeError(`sample rates must be positive integers (got ${inputRate} -> ${outputRate})`);
    }
    const divisor = gcd(inputRate, outputRate);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.#up = outputRate / divisor;
    this.#down = inputRate / divisor;
    const filter = designPolyphaseFilter(this.#up, this.#down, options.attenuationDb ?? 60);
    this.#coefficients = filter.coefficients;
    this.#taps = filter.taps;
    this.#history = new Float32Array(this.#taps - 1);
  }

  /** Input samples of delay the filter adds (group delay). */
  get delayInputSamples(): number {
    return (this.#taps * this.#up - 1) / 2 / this.#up;
  }

  process(input: Int16Array): Int16Array {
    if (this.#up === this.#down) return input.slice();
    const taps = this.#taps;
    const keep = taps - 1;
    const buffer = new Float32Array(keep + input.length);
    buffer.set(this.#history);
    for (let i = 0; i < input.length; i++) buffer[keep + i] = input[i] as number;

    const up = this.#up;
    const down = this.#down;
    const coefficients = this.#coefficients;
    const limit = input.length * up;
    const output = new Int16Array(Math.ceil(Math.max(0, limit - this.#position) / down));
    let count = 0;
    let position = this.#position;
    while (position < limit) {
      const index = Math.floor(position / up);
      const phase = position - index * up;
      const base = phase * taps;
      // Output at input index `index` uses x[index - k], stored at buffer[index + keep - k].
      let acc = 0;
      let at = index + keep;
      for (let k = 0; k < taps; k++) acc += (coefficients[base + k] as number) * (buffer[at--] as number);
      output[count++] = acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc);
      position += down;
    }
    this.#position = position - limit;
    this.#history = buffer.slice(buffer.length - keep);
    return count === output.length ? output : output.slice(0, count);
  }

  reset(): void {
    this.#history.fill(0);
    this.#position = 0;
  }
}
