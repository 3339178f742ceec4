import type { Stt, SttStream } from '@voiceroom/agent-core/stages';
import {
  ASR_KINDS,
  type ModelKind,
  type ResolvedModel,
  resolveModelDir,
} from '../../../models/modelLayout.ts';
import { createLogger } from '../../../worker/log.ts';
import { loadSherpaOnnx, type SherpaOnnx } from '../../sherpaAddon.ts';
import { SherpaOfflineStream } from './SherpaOfflineStream.ts';
import { SherpaOnlineStream } from './SherpaOnlineStream.ts';

const log = createLogger('stt.sherpa-onnx');

export interface SherpaOnnxSttOptions {
  /** Directory of a streaming Zipformer, Whisper or Moonshine model (see `npm run models`). */
  modelDir: string;
  /** Force a layout instead of detecting it from the files. */
  kind?: ModelKind;
  numThreads?: number;
  onError?: (error: Error) => void;
}

const FEATURES = { sampleRate: 16_000, featureDim: 80 };

/**
 * sherpa-onnx speech recognition. Streaming Zipformer gives partials while the caller speaks; Whisper and
 * Moonshine decode the whole utterance at endUtterance (off the event loop).
 */
export class SherpaOnnxStt implements Stt {
  readonly #model: ResolvedModel;
  readonly #recognizer: SherpaOnnx;
  readonly #onError: (error: Error) => void;

  static async create(options: SherpaOnnxSttOptions): Promise<SherpaOnnxStt> {
    // Validate the files before touching the native addon: the error names what is missing.
    const model = resolveModelDir(options.modelDir, ASR_KINDS, options.kind);
    const sherpa = loadSherpaOnnx();
    const common = {
      tokens: model.files.tokens,
      numThreads: options.numThreads ?? 1,
      provider: 'cpu',
      debug: 0,
    };
    const f = model.files;
    let recognizer: SherpaOnnx;
    if (model.kind === 'zipformer-streaming') {
      recognizer = new sherpa.OnlineRecognizer({
        featConfig: FEATURES,
        modelConfig: { ...common, transducer: { encoder: f.encoder, decoder: f.decoder, joiner: f.joiner } },
        decodingMethod: 'greedy_search',
        enableEndpoint: 0,
      });
    } else {
      const modelConfig =
        model.kind === 'whisper'
          ? {
              ...common,
              whisper: { encoder: f.encoder, decoder: f.decoder, language: 'en', task: 'transcribe' },
            }
          : {
              ...common,
              moonshine: {
                preprocessor: f.preprocessor,
                encoder: f.encoder,
                uncachedDecoder: f.uncachedDecoder,
                cachedDecoder: f.cachedDecoder,
              },
            };
      recognizer = await sherpa.OfflineRecognizer.createAsync({ featConfig: FEATURES, modelConfig });
    }
    return new SherpaOnnxStt(
      model,
      recognizer,
      options.onError ?? ((error) => log.error({ err: error }, 'recognition failed')),
    );
  }

  private constructor(model: ResolvedModel, recognizer: SherpaOnnx, onError: (error: Error) => void) {
    this.#model = model;
    this.#recognizer = recognizer;
    this.#onError = onError;
  }

  /** One fixed model: `SttStream.expect` is not offered. */
  readonly followsDialog = false;

  get name(): string {
    return 'sherpa-onnx';
  }

  get model(): ResolvedModel {
    return this.#model;
  }

  createStream(): SttStream {
    return this.#model.kind === 'zipformer-streaming'
      ? new SherpaOnlineStream(this.#recognizer)
      : new SherpaOfflineStream(this.#recognizer, this.#onError);
  }

  close(): void {
    // The addon frees the recognizer with its handle.
  }
}
