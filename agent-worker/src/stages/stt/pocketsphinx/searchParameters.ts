/**
 * PocketSphinx's search parameters by name: what the decoder weighs (language model against acoustics, word and
 * phone insertions, silences and fillers) and how much of the search it keeps (beams, Gaussians, HMMs per frame).
 * The decoder's own defaults were made for large general language models; ours are small domain and slot models.
 */
export interface PocketSphinxSearchParameters {
  /** Language model weight of the first (tree) pass, `-lw`. */
  languageWeight: number;
  /** Language model weight of the flat-lexicon second pass, `-fwdflatlw`. */
  flatLanguageWeight: number;
  /** Language model weight of the lattice best path (the final hypothesis), `-bestpathlw`. */
  bestPathLanguageWeight: number;
  /** Word insertion penalty, `-wip` (below 1 penalises each word). */
  wordInsertionPenalty: number;
  /** Phone insertion penalty, `-pip`. */
  phoneInsertionPenalty: number;
  /** Probability of a silence between words, `-silprob`. */
  silenceProbability: number;
  /** Probability of a filler (breath, noise, um) between words, `-fillprob`. */
  fillerProbability: number;
  /** HMM beam, `-beam`. */
  beam: number;
  /** Word exit beam, `-wbeam`. */
  wordBeam: number;
  /** Phone transition beam, `-pbeam`. */
  phoneBeam: number;
  /** Last-phone beam, `-lpbeam`. */
  lastPhoneBeam: number;
  /** Beam for single-phone words, `-lponlybeam`. */
  lastPhoneOnlyBeam: number;
  /** Run the flat-lexicon second pass, `-fwdflat`. */
  flatPass: boolean;
  /** Take the final hypothesis from the lattice's best path, `-bestpath` (also what the n-best list reads). */
  bestPath: boolean;
  /** Gaussians scored per mixture, `-topn`. */
  topGaussians: number;
  /** Most HMMs active in one frame, `-maxhmmpf`. */
  maxHmmsPerFrame: number;
  /** Frames of phone-loop lookahead, `-pl_window` (0 turns the phone loop off). */
  phoneLookaheadWindow: number;
  /** Front end: subtract the estimated noise spectrum, `-remove_noise`. */
  removeNoise: boolean;
  /** Front end: drop the frames its own voice activity detector takes for silence, `-remove_silence`. */
  removeSilence: boolean;
}

/**
 * PocketSphinx's own defaults: swept with `npm run bench:slots:sweep` on half of the generator's voices (seed 1),
 * slot accuracy is flat around them (language weights x0.7-1.0, any word insertion penalty, silence and phone
 * penalties, filler probability up to 1e-2) and falls off with a heavier language model; nothing measured better
 * held on the other voices and seeds (docs/BENCHMARKS.md, bench:slots).
 */
export const DEFAULT_SEARCH_PARAMETERS: Readonly<PocketSphinxSearchParameters> = {
  languageWeight: 6.5,
  flatLanguageWeight: 8.5,
  bestPathLanguageWeight: 9.5,
  wordInsertionPenalty: 0.65,
  phoneInsertionPenalty: 1,
  silenceProbability: 0.005,
  fillerProbability: 1e-8,
  beam: 1e-48,
  wordBeam: 7e-29,
  phoneBeam: 1e-48,
  lastPhoneBeam: 1e-40,
  lastPhoneOnlyBeam: 7e-29,
  flatPass: true,
  bestPath: true,
  topGaussians: 4,
  maxHmmsPerFrame: 30_000,
  phoneLookaheadWindow: 5,
  removeNoise: true,
  removeSilence: true,
};

const FLAGS: Readonly<Record<keyof PocketSphinxSearchParameters, string>> = {
  languageWeight: '-lw',
  flatLanguageWeight: '-fwdflatlw',
  bestPathLanguageWeight: '-bestpathlw',
  wordInsertionPenalty: '-wip',
  phoneInsertionPenalty: '-pip',
  silenceProbability: '-silprob',
  fillerProbability: '-fillprob',
  beam: '-beam',
  wordBeam: '-wbeam',
  phoneBeam: '-pbeam',
  lastPhoneBeam: '-lpbeam',
  lastPhoneOnlyBeam: '-lponlybeam',
  flatPass: '-fwdflat',
  bestPath: '-bestpath',
  topGaussians: '-topn',
  maxHmmsPerFrame: '-maxhmmpf',
  phoneLookaheadWindow: '-pl_window',
  removeNoise: '-remove_noise',
  removeSilence: '-remove_silence',
};

/** The decoder's command-line arguments for `overrides` on top of DEFAULT_SEARCH_PARAMETERS. */
export function searchArgs(overrides: Partial<PocketSphinxSearchParameters> = {}): Record<string, string> {
  const parameters = { ...DEFAULT_SEARCH_PARAMETERS, ...overrides };
  const args: Record<string, string> = {};
  for (const [name, flag] of Object.entries(FLAGS) as [keyof PocketSphinxSearchParameters, string][]) {
    const value = parameters[name];
    args[flag] = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  }
  return args;
}
