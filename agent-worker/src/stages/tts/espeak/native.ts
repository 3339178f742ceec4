import { CodedError } from '@voiceroom/protocol';
import koffi, { type LibraryHandle } from 'koffi';

/**
 * Binding of libespeak-ng (1.51) via koffi in synchronous mode: espeak_Synth calls back with audio while it runs.
 * The engine is one global per process, and a sentence takes a few milliseconds, so calls run synchronously one
 * at a time on the main thread.
 */
export interface EspeakEngine {
  readonly sampleRate: number;
  /** Synthesises one piece of text; `shouldStop` is polled from the audio callback. */
  synthesize(text: string, voice: string, wordsPerMinute: number, shouldStop: () => boolean): Int16Array;
}

const AUDIO_OUTPUT_SYNCHRONOUS = 2;
const POS_CHARACTER = 1;
const ESPEAK_CHARS_UTF8 = 1;
const ESPEAK_RATE = 1;

let engine: EspeakEngine | undefined;
/** Kept referenced: koffi unloads a library whose handle is garbage collected. */
const handles: LibraryHandle[] = [];

export function loadEspeak(): EspeakEngine {
  if (engine) return engine;
  let lib: LibraryHandle;
  try {
    lib = koffi.load('libespeak-ng.so.1');
  } catch (error) {
    throw new CodedError(
      'tts_engine_missing',
      `cannot load libespeak-ng (${(error as Error).message}); install it with \`apt-get install espeak-ng\``,
    );
  }
  handles.push(lib);
  const initialize = lib.func(
    'int espeak_Initialize(int output, int buflength, const char *path, int options)',
  );
  const SynthCallback = koffi.proto('int voiceroom_espeak_cb(int16_t *wav, int numsamples, void *events)');
  const setCallback = lib.func('void espeak_SetSynthCallback(voiceroom_espeak_cb *cb)');
  const setVoice = lib.func('int espeak_SetVoiceByName(const char *name)');
  const setParameter = lib.func('int espeak_SetParameter(int parameter, int value, int relative)');
  const synth = lib.func(
    'int espeak_Synth(const char *text, size_t size, unsigned int position, int position_type, ' +
      'unsigned int end_position, unsigned int flags, void *unique_identifier, void *user_data)',
  );
  const sampleRate = initialize(AUDIO_OUTPUT_SYNCHRONOUS, 100, null, 0) as number;
  if (sampleRate <= 0) {
    throw new CodedError(
      'tts_engine_missing',
      'espeak-ng failed to initialise: is espeak-ng-data installed?',
    );
  }
  let sink: Int16Array[] = [];
  let stop: () => boolean = () => false;
  const callback = koffi.register((wav: unknown, count: number) => {
    if (count > 0 && wav)
      sink.push(Int16Array.from(koffi.decode(wav, koffi.array('int16_t', count)) as Int16Array));
    return stop() ? 1 : 0;
  }, koffi.pointer(SynthCallback));
  setCallback(callback);
  let currentVoice = '';
  let currentRate = -1;

  engine = {
    sampleRate,
    synthesize(text, voice, wordsPerMinute, shouldStop) {
      if (voice !== currentVoice) {
        if (setVoice(voice) !== 0) {
          throw new CodedError(
            'tts_voice_missing',
            `espeak-ng has no voice "${voice}" (try en-us, en, en-us+f3)`,
          );
        }
        currentVoice = voice;
        currentRate = -1;
      }
      if (wordsPerMinute !== currentRate) {
        setParameter(ESPEAK_RATE, wordsPerMinute, 0);
        currentRate = wordsPerMinute;
      }
      sink = [];
      stop = shouldStop;
      const rc = synth(text, Buffer.byteLength(text) + 1, 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, null, null);
      stop = () => false;
      if (rc !== 0) throw new CodedError('tts_failed', `espeak-ng failed (${rc})`);
      const out = new Int16Array(sink.reduce((n, c) => n + c.length, 0));
      let offset = 0;
      for (const chunk of sink) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
      sink = [];
      return out;
    },
  };
  return engine;
}
