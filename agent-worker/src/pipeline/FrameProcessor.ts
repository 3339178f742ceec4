import type { DownstreamFrame, UpstreamFrame } from './frames.ts';

/**
 * A link of the pipeline: receives frames from its neighbours and pushes frames on. Dispatch is synchronous, so
 * the order of frames is the order of events and an interruption takes effect before the next frame is handled.
 */
export abstract class FrameProcessor {
  #next: FrameProcessor | undefined;
  #previous: FrameProcessor | undefined;

  /** Connects `next` downstream of this processor; returns it so chains read left to right. */
  link<T extends FrameProcessor>(next: T): T {
    this.#next = next;
    next.#previous = this;
    return next;
  }

  abstract processDown(frame: DownstreamFrame): void;

  processUp(frame: UpstreamFrame): void {
    this.pushUp(frame);
  }

  protected pushDown(frame: DownstreamFrame): void {
    this.#next?.processDown(frame);
  }

  protected pushUp(frame: UpstreamFrame): void {
    this.#previous?.processUp(frame);
  }
}
