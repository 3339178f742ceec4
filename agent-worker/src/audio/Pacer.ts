import { type Clock, systemClock } from './clock.ts';

export interface PacedFrameInfo {
  /** When this frame should start playing at the receiver, on the pacer's clock (exactly frameMs apart in a spurt). */
  mediaTimeMs: number;
  /** First frame after silence (RTP marker bit). */
  startOfSpurt: boolean;
}

export interface PacerOptions {
  /** Returns the frame to send right now, or null when there is nothing to say. Called once per frame sent. */
  pull(): Int16Array | null;
  send(frame: Int16Array, info: PacedFrameInfo): void;
  clock?: Clock;
  frameMs?: number;
  /** How far ahead of real time frames are sent, so timer jitter never starves the receiver (default 40 ms). */
  leadMs?: number;
  /** How often to ask for audio while silent (default 10 ms). */
  idlePollMs?: number;
  /**
   * Being later than this behind schedule (a blocked event loop) skips the missed frame slots instead of bursting
   * them (default 200 ms; shorter stalls are caught up, which receivers' jitter buffers absorb).
   */
  maxLateMs?: number;
}

export interface PacerStats {
  framesSent: number;
  spurts: number;
  reanchors: number;
}

/**
 * Sends one frame per frame period in real time. Each timer is set for an absolute due time on a monotonic clock,
 * so late timer callbacks never accumulate into drift; a spurt starts with `leadMs` of frames sent at once and then
 * stays exactly `leadMs` ahead. Pull-based: audio is taken from the source only at the moment it is sent, so
 * stopping (barge-in) takes effect on the next frame and everything pulled was really sent, but for a frame whose
 * pull stopped the pacer.
 */
export class Pacer {
  readonly #pull: () => Int16Array | null;
  readonly #send: (frame: Int16Array, info: PacedFrameInfo) => void;
  readonly #clock: Clock;
  readonly #frameMs: number;
  readonly #leadMs: number;
  readonly #idlePollMs: number;
  readonly #maxLateMs: number;
  #timer: unknown = null;
  #running = false;
  /** Media time of the next frame while talking; null while silent. */
  #nextDueMs: number | null = null;
  readonly #stats: PacerStats = { framesSent: 0, spurts: 0, reanchors: 0 };

  constructor(options: PacerOptions) {
    this.#pull = options.pull;
    this.#send = options.send;
    this.#clock = options.clock ?? systemClock;
    this.#frameMs = options.frameMs ?? 20;
    this.#leadMs = options.leadMs ?? 40;
    this.#idlePollMs = options.idlePollMs ?? 10;
    this.#maxLateMs = options.maxLateMs ?? 200;
  }

  get stats(): PacerStats {
    return { ...this.#stats };
  }

  get talking(): boolean {
    return this.#nextDueMs !== null;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#tick();
  }

  stop(): void {
    this.#running = false;
    this.#nextDueMs = null;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    this.#timer = null;
    if (!this.#running) return;
    const now = this.#clock.now();
    if (this.#nextDueMs !== null && now - this.#nextDueMs > this.#maxLateMs) {
      // The event loop was blocked: skip the missed frame slots (staying on the frame grid, so RTP timestamps
      // show a gap of whole frames) rather than sending them all in a burst.
      this.#nextDueMs += Math.floor((now - this.#nextDueMs) / this.#frameMs) * this.#frameMs;
      this.#stats.reanchors++;
    }
    let startOfSpurt = false;
    if (this.#nextDueMs === null) {
      this.#nextDueMs = now;
      startOfSpurt = true;
    }
    while (this.#nextDueMs !== null && this.#nextDueMs - this.#leadMs <= now) {
      const frame = this.#pull();
      // The source or the transport may stop the pacer from inside pull or send (the goodbye's last frame hangs up
      // the call): nothing more goes to a transport that has closed.
      if (!this.#running) return;
      if (frame === null) {
        this.#nextDueMs = null;
        break;
      }
      if (startOfSpurt) this.#stats.spurts++;
      const mediaTimeMs = this.#nextDueMs;
      this.#nextDueMs += this.#frameMs;
      this.#send(frame, { mediaTimeMs, startOfSpurt });
      this.#stats.framesSent++;
      if (!this.#running) return;
      startOfSpurt = false;
    }
    const delay = this.#nextDueMs === null ? this.#idlePollMs : this.#nextDueMs - this.#leadMs - now;
    this.#timer = this.#clock.setTimeout(() => this.#tick(), delay);
  }
}
