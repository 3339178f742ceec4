/** Test signals and measurements for audio tests. */

export function tone(
  frequency: number,
  sampleRate: number,
  samples: number,
  amplitude = 10_000,
  offset = 0,
): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++)
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * (i + offset)) / sampleRate));
  return out;
}

export function rms(samples: Int16Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Amplitude of `frequency` in `samples` (single-bin DFT), in the same units as the samples' peak amplitude. */
export function toneAmplitude(samples: Int16Array, frequency: number, sampleRate: number, from = 0): number {
  let re = 0;
  let im = 0;
  const n = samples.length - from;
  for (let i = from; i < samples.length; i++) {
    const phase = (2 * Math.PI * frequency * i) / sampleRate;
    re += (samples[i] as number) * Math.cos(phase);
    im += (samples[i] as number) * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / n;
}

/** Highest normalised cross-correlation of `b` against `a` over lags 0..maxLag (b delayed relative to a). */
export function bestCorrelation(
  a: Int16Array,
  b: Int16Array,
  maxLag: number,
): { lag: number; correlation: number } {
  let best = { lag: 0, correlation: -1 };
  for (let lag = 0; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    const n = Math.min(a.length, b.length - lag);
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      const y = b[i + lag] as number;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    const correlation = ab / Math.sqrt(aa * bb || 1);
    if (correlation > best.correlation) best = { lag, correlation };
  }
  return best;
}

export function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
