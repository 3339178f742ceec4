import { TypedEmitter } from '@voiceroom/sdk';
import type {
  Availability,
  ConsoleDataEvents,
  ConsoleDataSource,
  HandoffRequest,
  LiveCallRow,
} from './ConsoleDataSource.ts';
import { type ConsoleApi, ConsoleApiError } from './consoleApi.ts';

const AVAILABILITY_KEY = 'voiceroom.console.availability';
const AVAILABILITIES: readonly Availability[] = ['available', 'busy', 'away'];

/**
 * Today's console data source: the live call list polled from GET /api/calls?status=active every `intervalMs`.
 * The REST API has no handoff requests and no presence yet, so this source is a placeholder for both: the handoff
 * queue stays empty (never invented) and availability is kept in this tab only. The socket feed replaces it.
 */
export class PollingDataSource extends TypedEmitter<ConsoleDataEvents> implements ConsoleDataSource {
  readonly #api: ConsoleApi;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #availability: Availability;

  constructor(api: ConsoleApi, intervalMs = 3_000) {
    super();
    this.#api = api;
    this.#intervalMs = intervalMs;
    const saved = sessionStorage.getItem(AVAILABILITY_KEY) as Availability | null;
    this.#availability = saved && AVAILABILITIES.includes(saved) ? saved : 'available';
  }

  get availability(): Availability {
    return this.#availability;
  }

  start(): void {
    this.stop();
    void this.#poll();
    this.#timer = setInterval(() => void this.#poll(), this.#intervalMs);
    this.emit('handoffs', []);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async setAvailability(availability: Availability): Promise<void> {
    this.#availability = availability;
    sessionStorage.setItem(AVAILABILITY_KEY, availability);
    this.emit('availability', availability);
  }

  async acceptHandoff(_request: HandoffRequest): Promise<void> {
    throw new ConsoleApiError(
      501,
      'handoff_feed_unavailable',
      'handoff requests need the live console feed, which this server does not offer yet',
    );
  }

  async #poll(): Promise<void> {
    try {
      const calls = await this.#api.liveCalls();
      if (this.#timer === undefined) return;
      this.emit(
        'calls',
        calls.map(
          (call): LiveCallRow => ({
            ...call,
            aiState: null,
            sentiment: null,
            handoffRequested: null,
            orderSoFar: null,
          }),
        ),
      );
    } catch (error) {
      const signedOut = this.#api.user === null;
      if (signedOut) this.stop();
      this.emit('error', { error, signedOut });
    }
  }
}
