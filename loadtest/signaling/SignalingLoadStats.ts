import { type Summary, summarize } from '../media/summary.ts';

/** What one signaling load run saw: ack latencies per method, outcomes, and how hostile messages were answered. */
export interface SignalingLoadResult {
  clients: number;
  duration_s: number;
  sessions: { completed: number; failed: number };
  requests: number;
  /** Requests that should have succeeded but got an error reply, a timeout or a protocol violation. */
  unexpected_errors: number;
  error_rate: number;
  /** Malformed or unauthorised messages sent on purpose, and how many got a coded refusal (never a crash). */
  hostile: { sent: number; refused_with_code: number; unanswered: number };
  ack_ms: Record<string, Summary | null>;
  http_ms: Record<string, Summary | null>;
  /** First few unexpected errors, for the reader. */
  error_samples: string[];
}

/** Collects samples while a run goes on; `result()` turns them into the JSON above. */
export class SignalingLoadStats {
  readonly #ack = new Map<string, number[]>();
  readonly #http = new Map<string, number[]>();
  readonly #errors: string[] = [];
  #requests = 0;
  #unexpected = 0;
  #completed = 0;
  #failed = 0;
  #hostileSent = 0;
  #hostileRefused = 0;
  #hostileUnanswered = 0;

  ack(method: string, ms: number): void {
    this.#requests++;
    push(this.#ack, method, ms);
  }

  http(route: string, ms: number): void {
    this.#requests++;
    push(this.#http, route, ms);
  }

  unexpected(what: string): void {
    this.#unexpected++;
    if (this.#errors.length < 10) this.#errors.push(what.slice(0, 300));
  }

  session(ok: boolean): void {
    if (ok) this.#completed++;
    else this.#failed++;
  }

  hostile(outcome: 'refused' | 'unanswered'): void {
    this.#hostileSent++;
    if (outcome === 'refused') this.#hostileRefused++;
    else this.#hostileUnanswered++;
  }

  get requests(): number {
    return this.#requests;
  }

  get sessionsCompleted(): number {
    return this.#completed;
  }

  result(clients: number, durationS: number): SignalingLoadResult {
    const summaries = (m: Map<string, number[]>) =>
      Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, summarize(v)]));
    return {
      clients,
      duration_s: durationS,
      sessions: { completed: this.#completed, failed: this.#failed },
      requests: this.#requests,
      unexpected_errors: this.#unexpected,
      error_rate:
        this.#requests === 0 ? 0 : Math.round((this.#unexpected / this.#requests) * 10_000) / 10_000,
      hostile: {
        sent: this.#hostileSent,
        refused_with_code: this.#hostileRefused,
        unanswered: this.#hostileUnanswered,
      },
      ack_ms: summaries(this.#ack),
      http_ms: summaries(this.#http),
      error_samples: [...this.#errors],
    };
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
