import { CodedError } from '@voiceroom/protocol';
import { createLogger, type Logger } from '../log.ts';

export type ReadinessCheck = () => Promise<void> | void;

/** Why a check failed, as a stable code: the dependency's own error text goes to the log, never to the answer. */
export type ReadinessFailure = 'check_failed' | 'check_timeout';

export interface CheckResult {
  ok: boolean;
  code?: ReadinessFailure;
  ms: number;
}

export interface ReadinessResult {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/**
 * Named readiness checks (database, Redis, mediasoup workers, ...). A check fails by throwing or by not answering
 * within the timeout; GET /readyz answers 503 naming the failed checks.
 */
export class ReadinessChecks {
  readonly #checks = new Map<string, ReadinessCheck>();
  readonly #timeoutMs: number;
  readonly #log: Logger;

  constructor(options: { timeoutMs?: number; logger?: Logger } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 2000;
    this.#log = options.logger ?? createLogger('readiness');
  }

  /** Adds a check; returns a function that removes it. */
  register(name: string, check: ReadinessCheck): () => void {
    if (this.#checks.has(name)) throw new Error(`readiness check '${name}' is already registered`);
    this.#checks.set(name, check);
    return () => this.#checks.delete(name);
  }

  async run(): Promise<ReadinessResult> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => [name, await this.#runOne(name, check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r.ok), checks };
  }

  async #runOne(name: string, check: ReadinessCheck): Promise<CheckResult> {
    const start = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(check),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new CodedError('check_timeout', `no answer within ${this.#timeoutMs} ms`)),
            this.#timeoutMs,
          );
        }),
      ]);
      return { ok: true, ms: Math.round(performance.now() - start) };
    } catch (error) {
      const code =
        error instanceof CodedError && error.code === 'check_timeout' ? 'check_timeout' : 'check_failed';
      this.#log.warn({ check: name, code, err: error }, 'readiness check failed');
      return { ok: false, code, ms: Math.round(performance.now() - start) };
    } finally {
      clearTimeout(timer);
    }
  }
}
