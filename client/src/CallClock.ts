/** Ticks once a second while a call runs, reporting the whole seconds since start(). */
export class CallClock {
  readonly #onTick: (seconds: number) => void;
  #startedAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(onTick: (seconds: number) => void) {
    this.#onTick = onTick;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    this.stop();
    this.#startedAt = Date.now();
    this.#onTick(0);
    this.#timer = setInterval(() => this.#onTick(Math.floor((Date.now() - this.#startedAt) / 1000)), 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
