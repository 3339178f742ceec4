import type { Stage, StageKind } from './types.ts';

/** A configured provider could not be set up and the offline one stands in. */
export interface StageFallback {
  kind: StageKind;
  /** The provider the agent configuration asked for. */
  wanted: string;
  /** The provider used instead. */
  using: string;
  error: Error;
  /** One line for the log: what failed and what is used instead. */
  message: string;
}

export interface FallbackOptions {
  /** When the configured provider cannot be set up, use the offline one instead of failing (default true). */
  fallback?: boolean;
  /** Told about every fallback taken. */
  onFallback?: (fallback: StageFallback) => void;
}

export interface ProviderChoice<T extends Stage> {
  name: string;
  create(): T | Promise<T>;
}

/**
 * The one fallback rule of the four stage factories (agents-js' FallbackAdapter, at setup time): set up the
 * configured provider; when that throws, report it through `onFallback` and set up the offline provider instead.
 * Without an offline provider (the configured one is already offline) or with `fallback: false`, the error stands.
 */
export async function withFallback<T extends Stage>(
  kind: StageKind,
  configured: ProviderChoice<T>,
  offline: ProviderChoice<T> | undefined,
  options: FallbackOptions = {},
): Promise<T> {
  try {
    return await configured.create();
  } catch (thrown) {
    if (offline === undefined || options.fallback === false) throw thrown;
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    options.onFallback?.({
      kind,
      wanted: configured.name,
      using: offline.name,
      error,
      message: `${configured.name} ${kind} unavailable, using ${offline.name}: ${error.message}`,
    });
    return offline.create();
  }
}
