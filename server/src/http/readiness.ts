export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessResult {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; ms: number }>;
}

/**
 * Named readiness checks (database, Redis, mediasoup workers, ...). A check fails by throwing or by not answering
 * within the timeout; GET /readyz answers 503 naming the failed checks.
 */
export class ReadinessChecks {
  readonly #checks = new Map<string, ReadinessCheck>();
  readonly #timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 2000;
  }

  /** Adds a check; returns a function that removes it. */
  register(name: string, check: ReadinessCheck): () => void {
    if (this.#checks.has(name)) throw new Error(`readiness check '${name}' is already registered`);
    this.#checks.set(name, check);
    return () => this.#checks.delete(name);
  }

  async run(): Promise<ReadinessResult> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => [name, await this.#runOne(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r.ok), checks };
  }

  async #runOne(check: ReadinessCheck): Promise<{ ok: boolean; error?: string; ms: number }> {
    const start = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(check),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.#timeoutMs} ms`)),
            this.#timeoutMs,
          );
        }),
      ]);
      return { ok: true, ms: Math.round(performance.now() - start) };
    } catch (error) {
      return {
        ok: false,
        error: (error as Error)?.message ?? String(error),
        ms: Math.round(performance.now() - start),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
