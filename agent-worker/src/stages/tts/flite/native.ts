import { CodedError } from '@voiceroom/protocol';
import koffi, { type LibraryHandle } from 'koffi';

/** Binding of Debian's libflite (2.2) and its voice libraries via koffi. */
export interface FliteVoice {
  readonly name: string;
  /** Synthesises on koffi's worker thread; returns mono PCM at `sampleRate`. */
  synthesize(text: string, durationStretch: number): Promise<{ sampleRate: number; samples: Int16Array }>;
}

interface FliteLib {
  textToWave: ReturnType<LibraryHandle['func']>;
  deleteWave: ReturnType<LibraryHandle['func']>;
  setFloat: ReturnType<LibraryHandle['func']>;
  durationStretchName: unknown;
}

const Wave = koffi.struct('voiceroom_cst_wave', {
  type: 'const char *',
  sample_rate: 'int',
  num_samples: 'int',
  num_channels: 'int',
  samples: 'int16_t *',
});
const Voice = koffi.struct('voiceroom_cst_voice', {
  name: 'const char *',
  features: 'void *',
  ffunctions: 'void *',
  utt_init: 'void *',
});

let lib: FliteLib | undefined;
/**
 * Library handles stay referenced for the life of the process: koffi unloads a library whose handle is garbage
 * collected, and a voice's tables live inside its library (a collected handle crashed the next synthesis).
 */
const handles: LibraryHandle[] = [];
const voices = new Map<string, FliteVoice>();
/**
 * libflite keeps process-wide state (lexicon caches, feature tables) that is not safe to use from two threads at
 * once, even through different voices: every synthesis in the process runs after the previous one. A sentence
 * takes 1-2 ms with the diphone voices, so this costs nothing measurable.
 */
let chain: Promise<unknown> = Promise.resolve();

function loadLib(): FliteLib {
  if (lib) return lib;
  try {
    const flite = koffi.load('libflite.so.1');
    const libc = koffi.load('libc.so.6');
    handles.push(flite, libc);
    const init = flite.func('int flite_init(void)');
    init();
    lib = {
      textToWave: flite.func('voiceroom_cst_wave *flite_text_to_wave(const char *text, void *voice)'),
      deleteWave: flite.func('void delete_wave(voiceroom_cst_wave *w)'),
      setFloat: flite.func('void flite_feat_set_float(void *f, void *name, float v)'),
      // flite keeps a feature's name pointer without copying it (it expects string literals): the name is copied
      // once into memory that is never freed, not converted per call into memory koffi releases afterwards.
      durationStretchName: libc.func('void *strdup(const char *s)')('duration_stretch'),
    };
    return lib;
  } catch (error) {
    throw new CodedError(
      'tts_engine_missing',
      `cannot load libflite (${(error as Error).message}); install it with \`apt-get install flite\``,
    );
  }
}

/** Loads a built-in flite voice (kal16, kal, slt, rms, awb) once per process. */
export function loadFliteVoice(name: string): FliteVoice {
  const cached = voices.get(name);
  if (cached) return cached;
  if (!/^[a-z0-9]+$/.test(name)) {
    throw new CodedError('tts_voice_invalid', `invalid flite voice name "${name}"`);
  }
  const { textToWave, deleteWave, setFloat, durationStretchName } = loadLib();
  let voicePtr: unknown;
  try {
    const voiceLib = koffi.load(`libflite_cmu_us_${name}.so.1`);
    handles.push(voiceLib);
    voicePtr = voiceLib.func(`void *register_cmu_us_${name}(const char *voxdir)`)(null);
  } catch (error) {
    throw new CodedError(
      'tts_voice_missing',
      `flite voice "${name}" is not installed (${(error as Error).message}); try kal16, kal, slt, rms or awb`,
    );
  }
  const features = (koffi.decode(voicePtr, Voice) as { features: unknown }).features;
  const voice: FliteVoice = {
    name,
    synthesize(text, durationStretch) {
      const run = (): Promise<{ sampleRate: number; samples: Int16Array }> =>
        new Promise((resolve, reject) => {
          setFloat(features, durationStretchName, durationStretch);
          textToWave.async(text, voicePtr, (error: unknown, wavePtr: unknown) => {
            if (error || !wavePtr) {
              reject(new CodedError('tts_failed', `flite failed on "${text.slice(0, 40)}"`));
              return;
            }
            try {
              const wave = koffi.decode(wavePtr, Wave) as {
                sample_rate: number;
                num_samples: number;
                samples: unknown;
              };
              const samples =
                wave.num_samples > 0
                  ? Int16Array.from(
                      koffi.decode(wave.samples, koffi.array('int16_t', wave.num_samples)) as Int16Array,
                    )
                  : new Int16Array(0);
              resolve({ sampleRate: wave.sample_rate, samples });
            } finally {
              deleteWave(wavePtr);
            }
          });
        });
      const result = chain.then(run, run);
      chain = result.catch(() => undefined);
      return result;
    },
  };
  voices.set(name, voice);
  return voice;
}
