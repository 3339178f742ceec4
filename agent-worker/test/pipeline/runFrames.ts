import { FrameProcessor } from '../../src/pipeline/FrameProcessor.ts';
import type { DownstreamFrame, UpstreamFrame } from '../../src/pipeline/frames.ts';

export type Frame = DownstreamFrame | UpstreamFrame;

/** What a processor pushed on: downstream to its next neighbour, upstream to its previous one. */
export interface FramesOut {
  down: DownstreamFrame[];
  up: UpstreamFrame[];
}

const UPSTREAM_KINDS: ReadonlySet<Frame['kind']> = new Set([
  'bot_started_speaking',
  'bot_speaking_text',
  'bot_turn_ended',
  'end_caller_speech',
]);

const isUpstream = (frame: Frame): frame is UpstreamFrame => UPSTREAM_KINDS.has(frame.kind);

/** Sits on both sides of the processor under test and keeps what reaches it. */
class Recorder extends FrameProcessor {
  readonly out: FramesOut = { down: [], up: [] };

  processDown(frame: DownstreamFrame): void {
    this.out.down.push(frame);
  }

  override processUp(frame: UpstreamFrame): void {
    this.out.up.push(frame);
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Pipecat-style processor test: feeds `framesIn` to `processor` in order (downstream frames from above, upstream
 * frames from below, told apart by kind), letting the processor's asynchronous work run between frames, and
 * returns every frame it pushed on. The arrays keep filling if the processor is driven further (e.g. by a clock).
 */
export async function runFrames(processor: FrameProcessor, framesIn: readonly Frame[]): Promise<FramesOut> {
  const recorder = new Recorder();
  const out = recorder.out;
  // the same recorder on both sides: upstream frames end up in `up`, downstream frames in `down`
  recorder.link(processor).link(recorder);
  await feedFrames(processor, framesIn);
  return out;
}

/** Runs more frames through a processor already under `runFrames`, collecting into the same arrays. */
export async function feedFrames(processor: FrameProcessor, framesIn: readonly Frame[]): Promise<void> {
  for (const frame of framesIn) {
    if (isUpstream(frame)) processor.processUp(frame);
    else processor.processDown(frame);
    await settle();
  }
}
