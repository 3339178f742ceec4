import { CodedError } from '@voiceroom/protocol';
import koffi, { type LibraryHandle } from 'koffi';

/**
 * Binding of Debian's libpocketsphinx3 (the "5prealpha" API: configuration through sphinxbase's cmd_ln) via koffi.
 * Loaded lazily so that a machine without the library can still use the other providers.
 */
export interface PocketSphinxLib {
  /** Builds a decoder from command-line style arguments (`-hmm`, `-lm`, `-dict`, ...). Throws when it fails. */
  createDecoder(args: Record<string, string>): unknown;
  startUtt(ps: unknown): void;
  /** Decodes on koffi's worker thread so the event loop keeps running; calls on one decoder must not overlap. */
  processRaw(ps: unknown, pcm: Int16Array): Promise<void>;
  endUtt(ps: unknown): Promise<void>;
  /** Current best hypothesis and its path score (log domain; 0 when none), within an utterance. */
  hypothesis(ps: unknown): { text: string; score: number };
  /**
   * The best hypothesis of an ended utterance, found in its lattice on koffi's worker thread (like `probability` and
   * `nbest`).
   */
  finalHypothesis(ps: unknown): Promise<string>;
  /**
   * Posterior probability of the hypothesis, 0..1. After an utterance it builds the utterance's lattice: on koffi's
   * worker thread, since a long utterance's can take seconds.
   */
  probability(ps: unknown): Promise<number>;
  /** Adds an n-gram search named `name` from an ARPA or binary model file (on koffi's worker thread). */
  addLanguageModel(ps: unknown, name: string, path: string): Promise<void>;
  /**
   * Reads a finite-state grammar file (sphinxbase's FSG text format) with `ps`'s log base and language weight, for
   * any decoder of that configuration to search (addGrammar).
   */
  readGrammar(ps: unknown, path: string): GrammarModel;
  /** Adds a grammar search named `name` over `grammar` (on koffi's worker thread); the search holds a reference to it. */
  addGrammar(ps: unknown, name: string, grammar: GrammarModel): Promise<void>;
  /** Drops the caller's reference to `grammar` (searches over it hold their own). */
  freeGrammar(grammar: GrammarModel): void;
  /** Drops the named search and what it built (on koffi's worker thread); not while it decodes an utterance. */
  removeSearch(ps: unknown, name: string): Promise<void>;
  /** Makes the named search the active one; only between utterances. */
  setSearch(ps: unknown, name: string): void;
  /** Name of the active search (the `-lm` model's is "_default"). */
  search(ps: unknown): string;
  /**
   * Up to `n` distinct hypotheses of the last utterance, best first, searched in its lattice on koffi's worker thread:
   * on the event loop the search held up every call of the process (a CPU profile of bench:robustness: 694 ms in one
   * grammar decoder's n-best of an address and phone number said in one answer, at load 3).
   */
  nbest(ps: unknown, n: number): Promise<string[]>;
  free(ps: unknown): void;
}

/** A grammar read once (readGrammar), and the log tables it converts its probabilities with. */
export interface GrammarModel {
  readonly fsg: unknown;
  readonly logmath: unknown;
}

const LIBRARIES = ['libpocketsphinx.so.3', 'libsphinxbase.so.3'];

let loaded: PocketSphinxLib | undefined;
/** Kept referenced: koffi unloads a library whose handle is garbage collected. */
const handles: LibraryHandle[] = [];

export function loadPocketSphinx(): PocketSphinxLib {
  if (loaded) return loaded;
  let ps: LibraryHandle;
  let sb: LibraryHandle;
  try {
    sb = koffi.load(LIBRARIES[1] as string);
    ps = koffi.load(LIBRARIES[0] as string);
  } catch (error) {
    throw new CodedError(
      'pocketsphinx_missing',
      `cannot load libpocketsphinx (${(error as Error).message}); install it with ` +
        '`apt-get install pocketsphinx pocketsphinx-en-us`',
    );
  }
  handles.push(sb, ps);
  const psArgs = ps.func('void *ps_args(void)');
  const cmdLnParse = sb.func(
    'void *cmd_ln_parse_r(void *inout, void *defn, int argc, const char **argv, int strict)',
  );
  const cmdLnFree = sb.func('int cmd_ln_free_r(void *cmdln)');
  const logmathExp = sb.func('double logmath_exp(void *lmath, int logb_p)');
  const logmathRetain = sb.func('void *logmath_retain(void *lmath)');
  const logmathFree = sb.func('int logmath_free(void *lmath)');
  const psInit = ps.func('void *ps_init(void *config)');
  const psFree = ps.func('int ps_free(void *ps)');
  const psStartUtt = ps.func('int ps_start_utt(void *ps)');
  const psProcessRaw = ps.func(
    'int ps_process_raw(void *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)',
  );
  const psEndUtt = ps.func('int ps_end_utt(void *ps)');
  const psGetHyp = ps.func('const char *ps_get_hyp(void *ps, _Out_ int32_t *score)');
  // the score as a plain pointer: an _Out_ parameter is not written back by an asynchronous call
  const psGetHypScored = ps.func('const char *ps_get_hyp(void *ps, int32_t *score)');
  const psGetProb = ps.func('int32_t ps_get_prob(void *ps)');
  const psGetLogmath = ps.func('void *ps_get_logmath(void *ps)');
  const psSetLmFile = ps.func('int ps_set_lm_file(void *ps, const char *name, const char *path)');
  const fsgReadFile = sb.func('void *fsg_model_readfile(const char *file, void *lmath, float lw)');
  const fsgFree = sb.func('int fsg_model_free(void *fsg)');
  const cmdLnFloat = sb.func('double cmd_ln_float_r(void *cmdln, const char *name)');
  const psGetConfig = ps.func('void *ps_get_config(void *ps)');
  const psSetFsg = ps.func('int ps_set_fsg(void *ps, const char *name, void *fsg)');
  const psUnsetSearch = ps.func('int ps_unset_search(void *ps, const char *name)');
  const psSetSearch = ps.func('int ps_set_search(void *ps, const char *name)');
  const psGetSearch = ps.func('const char *ps_get_search(void *ps)');
  const psNbest = ps.func('void *ps_nbest(void *ps)');
  const psNbestNext = ps.func('void *ps_nbest_next(void *nbest)');
  const psNbestHyp = ps.func('const char *ps_nbest_hyp(void *nbest, _Out_ int32_t *score)');
  const psNbestFree = ps.func('void ps_nbest_free(void *nbest)');

  const failure = (rc: number, what: string): Error =>
    new CodedError('pocketsphinx_error', `pocketsphinx ${what} failed (${rc})`);
  const check = (rc: number, what: string): void => {
    if (rc < 0) throw failure(rc, what);
  };
  /** Runs a native call on koffi's worker thread, for what it returns. */
  const offLoop = <T>(fn: ReturnType<LibraryHandle['func']>, ...args: unknown[]): Promise<T> =>
    new Promise((resolve, reject) => {
      fn.async(...args, (error: unknown, result: T) => (error ? reject(error) : resolve(result)));
    });
  /** Runs a native call on koffi's worker thread; a negative return code rejects. */
  const background = async (
    fn: ReturnType<LibraryHandle['func']>,
    what: string,
    ...args: unknown[]
  ): Promise<void> => check(await offLoop<number>(fn, ...args), what);

  loaded = {
    createDecoder(args) {
      const argv = Object.entries(args).flat();
      const config = cmdLnParse(null, psArgs(), argv.length, argv, 1);
      if (!config) {
        throw new CodedError(
          'pocketsphinx_config',
          `pocketsphinx rejected its configuration ${argv.join(' ')}`,
        );
      }
      const decoder = psInit(config);
      cmdLnFree(config);
      if (!decoder) {
        throw new CodedError(
          'pocketsphinx_init',
          `pocketsphinx could not start with ${argv.join(' ')}: check that the model files exist`,
        );
      }
      return decoder;
    },
    startUtt: (d) => check(psStartUtt(d), 'start_utt'),
    processRaw: (d, pcm) => background(psProcessRaw, 'process_raw', d, pcm, pcm.length, 0, 0),
    endUtt: (d) => background(psEndUtt, 'end_utt', d),
    hypothesis(d) {
      const score = [0];
      const text = psGetHyp(d, score) as string | null;
      return { text: text ?? '', score: score[0] ?? 0 };
    },
    finalHypothesis: async (d) =>
      ((await offLoop<string | null>(psGetHypScored, d, new Int32Array(1))) ?? '').trim(),
    probability: async (d) => logmathExp(psGetLogmath(d), await offLoop<number>(psGetProb, d)),
    addLanguageModel: (d, name, path) => background(psSetLmFile, `set_lm_file ${path}`, d, name, path),
    readGrammar(d, path) {
      // Held with the grammar: the first search over it adds its silence loops through these tables, and the
      // decoder that read it may be freed before.
      const logmath = logmathRetain(psGetLogmath(d));
      // the grammar's probabilities weigh against the acoustics as the decoder's language weight says
      const fsg = fsgReadFile(path, logmath, cmdLnFloat(psGetConfig(d), '-lw'));
      if (!fsg) {
        logmathFree(logmath);
        throw new CodedError('pocketsphinx_error', `pocketsphinx could not read the grammar ${path}`);
      }
      return { fsg, logmath };
    },
    addGrammar: (d, name, grammar) => background(psSetFsg, `set_fsg ${name}`, d, name, grammar.fsg),
    freeGrammar(grammar) {
      fsgFree(grammar.fsg);
      logmathFree(grammar.logmath);
    },
    removeSearch: (d, name) => background(psUnsetSearch, `unset_search ${name}`, d, name),
    setSearch: (d, name) => check(psSetSearch(d, name), `set_search ${name}`),
    search: (d) => (psGetSearch(d) as string | null) ?? '',
    async nbest(d, n) {
      const texts: string[] = [];
      // ps_nbest_next frees the iterator itself when it runs out; ps_nbest_free is for stopping early.
      let it = await offLoop<unknown>(psNbest, d);
      for (let i = 0; it && texts.length < n && i < n * 4; i++) {
        it = await offLoop<unknown>(psNbestNext, it);
        if (!it) break;
        const text = ((psNbestHyp(it, [0]) as string | null) ?? '').trim();
        if (text && !texts.includes(text)) texts.push(text);
      }
      if (it) psNbestFree(it);
      return texts;
    },
    free: (d) => void psFree(d),
  };
  return loaded;
}
