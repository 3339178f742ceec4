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
  /** Current best hypothesis and its path score (log domain; 0 when none). */
  hypothesis(ps: unknown): { text: string; score: number };
  /** Posterior probability of the hypothesis (log domain); exp(logmath) of it gives 0..1. */
  probability(ps: unknown): number;
  free(ps: unknown): void;
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
    throw Object.assign(
      new Error(
        `cannot load libpocketsphinx (${(error as Error).message}); install it with ` +
          '`apt-get install pocketsphinx pocketsphinx-en-us`',
      ),
      { code: 'POCKETSPHINX_MISSING' },
    );
  }
  handles.push(sb, ps);
  const psArgs = ps.func('void *ps_args(void)');
  const cmdLnParse = sb.func(
    'void *cmd_ln_parse_r(void *inout, void *defn, int argc, const char **argv, int strict)',
  );
  const cmdLnFree = sb.func('int cmd_ln_free_r(void *cmdln)');
  const logmathExp = sb.func('double logmath_exp(void *lmath, int logb_p)');
  const psInit = ps.func('void *ps_init(void *config)');
  const psFree = ps.func('int ps_free(void *ps)');
  const psStartUtt = ps.func('int ps_start_utt(void *ps)');
  const psProcessRaw = ps.func(
    'int ps_process_raw(void *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)',
  );
  const psEndUtt = ps.func('int ps_end_utt(void *ps)');
  const psGetHyp = ps.func('const char *ps_get_hyp(void *ps, _Out_ int32_t *score)');
  const psGetProb = ps.func('int32_t ps_get_prob(void *ps)');
  const psGetLogmath = ps.func('void *ps_get_logmath(void *ps)');

  const failure = (rc: number, what: string): Error =>
    Object.assign(new Error(`pocketsphinx ${what} failed (${rc})`), { code: 'POCKETSPHINX_ERROR' });
  const check = (rc: number, what: string): void => {
    if (rc < 0) throw failure(rc, what);
  };
  /** Runs a native call on koffi's worker thread; a negative return code rejects. */
  const background = (
    fn: ReturnType<LibraryHandle['func']>,
    what: string,
    ...args: unknown[]
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      fn.async(...args, (error: unknown, rc: number) => {
        if (error) reject(error);
        else if (rc < 0) reject(failure(rc, what));
        else resolve();
      });
    });

  loaded = {
    createDecoder(args) {
      const argv = Object.entries(args).flat();
      const config = cmdLnParse(null, psArgs(), argv.length, argv, 1);
      if (!config) {
        throw Object.assign(new Error(`pocketsphinx rejected its configuration ${argv.join(' ')}`), {
          code: 'POCKETSPHINX_CONFIG',
        });
      }
      const decoder = psInit(config);
      cmdLnFree(config);
      if (!decoder) {
        throw Object.assign(
          new Error(`pocketsphinx could not start with ${argv.join(' ')}: check that the model files exist`),
          { code: 'POCKETSPHINX_INIT' },
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
    probability: (d) => logmathExp(psGetLogmath(d), psGetProb(d)),
    free: (d) => void psFree(d),
  };
  return loaded;
}
