/**
 * Builds a back-off n-gram language model in ARPA text format from a sentence corpus, with interpolated
 * Witten-Bell smoothing. Pocketsphinx loads the result directly (`-lm file.arpa`).
 *
 * Witten-Bell: p(w|h) = (c(h,w) + T(h) * p(w|h')) / (c(h) + T(h)), where T(h) is the number of distinct words
 * seen after h and h' drops the oldest word. ARPA stores p(w|h) for every seen n-gram and a back-off weight per
 * history chosen so that each conditional distribution sums to one.
 */

export interface ArpaOptions {
  /** Model order (1..3). */
  order?: number;
  /**
   * Unigram probabilities of a general vocabulary mixed in with weight `generalWeight`, so that words outside the
   * domain corpus stay recognisable (at a cost in domain accuracy as the weight grows).
   */
  general?: ReadonlyMap<string, number>;
  generalWeight?: number;
}

const BOS = '<s>';
const EOS = '</s>';
const SEP = '\u0001';

export function buildArpa(sentences: Iterable<readonly string[]>, options: ArpaOptions = {}): string {
  const order = Math.min(3, Math.max(1, options.order ?? 3));
  // counts[n-1]: n-gram key (words joined by SEP) -> count
  const counts: Map<string, number>[] = Array.from({ length: order }, () => new Map());
  for (const words of sentences) {
    if (words.length === 0) continue;
    const padded = [BOS, ...words, EOS];
    for (let i = 1; i < padded.length; i++) {
      for (let n = 1; n <= order && i - n + 1 >= 0; n++) {
        const key = padded.slice(i - n + 1, i + 1).join(SEP);
        counts[n - 1]?.set(key, (counts[n - 1]?.get(key) ?? 0) + 1);
      }
    }
  }
  const unigramCounts = counts[0] as Map<string, number>;
  // Per-history totals c(h) and distinct followers T(h), for orders >= 2.
  const histTotal = new Map<string, number>();
  const histTypes = new Map<string, number>();
  for (let n = 2; n <= order; n++) {
    for (const [key, c] of counts[n - 1] as Map<string, number>) {
      const h = key.slice(0, key.lastIndexOf(SEP));
      histTotal.set(h, (histTotal.get(h) ?? 0) + c);
      histTypes.set(h, (histTypes.get(h) ?? 0) + 1);
    }
  }

  const generalWeight = options.general && options.general.size > 0 ? (options.generalWeight ?? 0.05) : 0;
  const totalTokens = [...unigramCounts.values()].reduce((a, b) => a + b, 0);
  const unigram = new Map<string, number>();
  for (const [w, c] of unigramCounts) unigram.set(w, (1 - generalWeight) * (c / totalTokens));
  if (generalWeight > 0 && options.general) {
    const generalTotal = [...options.general.values()].reduce((a, b) => a + b, 0);
    for (const [w, p] of options.general) {
      unigram.set(w, (unigram.get(w) ?? 0) + generalWeight * (p / generalTotal));
    }
  }

  // probs[n-1]: n-gram key -> conditional probability
  const probs: Map<string, number>[] = [unigram];
  const lowerProb = (key: string): number => {
    // p(w | h) for any key, backing off through lower orders (used for n-grams unseen at this order).
    const parts = key.split(SEP);
    for (let start = 0; start < parts.length; start++) {
      const sub = parts.slice(start).join(SEP);
      const p = probs[parts.length - start - 1]?.get(sub);
      if (p !== undefined) {
        let bowProduct = 1;
        for (let s = 0; s < start; s++) {
          const hist = parts.slice(s, parts.length - 1).join(SEP);
          bowProduct *= backoff.get(hist) ?? 1;
        }
        return p * bowProduct;
      }
    }
    return 0;
  };
  const backoff = new Map<string, number>();
  for (let n = 2; n <= order; n++) {
    const layer = new Map<string, number>();
    for (const [key, c] of counts[n - 1] as Map<string, number>) {
      const cut = key.lastIndexOf(SEP);
      const h = key.slice(0, cut);
      const lower = key.slice(key.indexOf(SEP) + 1);
      const t = histTypes.get(h) ?? 0;
      const total = histTotal.get(h) ?? 0;
      layer.set(key, (c + t * lowerProb(lower)) / (total + t));
    }
    probs.push(layer);
    // Back-off weights of the histories of this order: (1 - sum seen p(w|h)) / (1 - sum seen p(w|h')).
    const seenMass = new Map<string, [number, number]>();
    for (const [key, p] of layer) {
      const h = key.slice(0, key.lastIndexOf(SEP));
      const lower = key.slice(key.indexOf(SEP) + 1);
      const acc = seenMass.get(h) ?? [0, 0];
      acc[0] += p;
      acc[1] += lowerProb(lower);
      seenMass.set(h, acc);
    }
    for (const [h, [high, low]] of seenMass) {
      const denominator = 1 - low;
      backoff.set(h, denominator > 1e-12 ? Math.max(1e-12, 1 - high) / denominator : 1);
    }
  }

  return formatArpa(probs, backoff, order);
}

function formatArpa(probs: Map<string, number>[], backoff: Map<string, number>, order: number): string {
  const log10 = (x: number): string => (x > 0 ? Math.log10(x).toFixed(6) : '-99.000000');
  const lines: string[] = ['\\data\\'];
  const sizes = probs.map((layer, i) => layer.size + (i === 0 && !layer.has(BOS) ? 1 : 0));
  for (const [i, size] of sizes.entries()) lines.push(`ngram ${i + 1}=${size}`);
  for (let n = 1; n <= order; n++) {
    lines.push('', `\\${n}-grams:`);
    const layer = probs[n - 1] as Map<string, number>;
    if (n === 1 && !layer.has(BOS)) lines.push(`-99.000000\t${BOS}\t${log10(backoff.get(BOS) ?? 1)}`);
    for (const [key, p] of layer) {
      const words = key.split(SEP).join(' ');
      const logP = n === 1 && key === BOS ? '-99.000000' : log10(p);
      const bow =
        n < order && backoff.has(key)
          ? `\t${log10(backoff.get(key) as number)}`
          : n < order
            ? '\t0.000000'
            : '';
      lines.push(`${logP}\t${words}${bow}`);
    }
  }
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}
