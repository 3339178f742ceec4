export interface BackoffOptions {
  /** Delay after the first failure. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2000, maxMs: 300_000 };

/**
 * Exponential backoff with jitter: base x 2^(attempt-1), capped, then a random 50-100% of it so jobs that failed
 * together (provider outage) do not all come back at the same instant. A server-requested Retry-After wins
 * when it is longer.
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential * (0.5 + 0.5 * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, options.maxMs));
}
