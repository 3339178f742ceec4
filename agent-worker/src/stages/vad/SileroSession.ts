import { createRequire } from 'node:module';
import { CodedError } from '@voiceroom/protocol';

/**
 * A synchronous ONNX Runtime session for Silero VAD. The public onnxruntime-node API only has an async `run`
 * (which defers the native, synchronous call to setImmediate); VadStream.push must answer synchronously and a
 * 32 ms frame costs ~0.1 ms, so the native session of onnxruntime-node is used directly. Everything that touches
 * that binding is in this file.
 */
interface NativeTensor {
  type: string;
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}
interface NativeSession {
  loadModel(path: string, options: Record<string, unknown>): void;
  run(
    feeds: Record<string, unknown>,
    fetches: Record<string, null>,
    options: Record<string, unknown>,
  ): Record<string, NativeTensor>;
  readonly inputMetadata: { name: string }[];
  readonly outputMetadata: { name: string }[];
  dispose(): void;
}

const require = createRequire(import.meta.url);

function nativeBinding(): {
  InferenceSession: new () => NativeSession;
  Tensor: new (type: string, data: unknown, dims: number[]) => unknown;
} {
  try {
    const { binding, initOrt } = require('onnxruntime-node/dist/binding.js');
    const { Tensor } = require('onnxruntime-common');
    initOrt();
    if (typeof binding?.InferenceSession !== 'function') throw new Error('binding has no InferenceSession');
    return { InferenceSession: binding.InferenceSession, Tensor };
  } catch (error) {
    throw new CodedError(
      'vad_runtime_unavailable',
      `onnxruntime-node cannot be used synchronously (${(error as Error).message}); ` +
        'use the energy VAD (vad.provider: energy) or reinstall onnxruntime-node 1.2x/1.3x',
    );
  }
}

export class SileroSession {
  readonly #session: NativeSession;
  readonly #Tensor: new (
    type: string,
    data: unknown,
    dims: number[],
  ) => unknown;
  readonly #outputs: Record<string, null>;
  readonly #stateOutput: string;
  readonly #probabilityOutput: string;
  readonly #sr: unknown;
  #runs = 0;

  constructor(modelPath: string) {
    const { InferenceSession, Tensor } = nativeBinding();
    this.#Tensor = Tensor;
    this.#session = new InferenceSession();
    this.#session.loadModel(modelPath, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const inputs = this.#session.inputMetadata.map((m) => m.name).sort();
    const outputs = this.#session.outputMetadata.map((m) => m.name);
    if (inputs.join(',') !== 'input,sr,state' || outputs.length !== 2) {
      throw new CodedError(
        'vad_model_invalid',
        `${modelPath} is not a Silero VAD v5 model (inputs ${inputs.join(', ')}); expected input, state, sr`,
      );
    }
    this.#outputs = Object.fromEntries(outputs.map((n) => [n, null]));
    this.#stateOutput = outputs.find((n) => n.startsWith('state')) ?? (outputs[1] as string);
    this.#probabilityOutput = outputs.find((n) => n !== this.#stateOutput) as string;
    this.#sr = new Tensor('int64', BigInt64Array.from([16000n]), []);
  }

  /** Steps run so far. */
  get runs(): number {
    return this.#runs;
  }

  /** Runs one step: `input` is [context + frame] as floats, `state` the [2,1,128] recurrent state (updated in place). */
  run(input: Float32Array, state: Float32Array): number {
    this.#runs++;
    const result = this.#session.run(
      {
        input: new this.#Tensor('float32', input, [1, input.length]),
        state: new this.#Tensor('float32', state, [2, 1, 128]),
        sr: this.#sr,
      },
      this.#outputs,
      {},
    );
    state.set(result[this.#stateOutput]?.data as Float32Array);
    const probability = result[this.#probabilityOutput]?.data as Float32Array | undefined;
    return probability?.[0] ?? 0;
  }

  dispose(): void {
    this.#session.dispose();
  }
}
