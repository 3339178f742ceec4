import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionException } from '@mikro-orm/core';
import type { Logger } from '../log.ts';

export interface DurableWritesOptions {
  logger: Logger;
  /** Call events held in memory at most (written or waiting for the database); more are dropped. Default 20,000. */
  maxBuffered?: number;
  /** Wait between two attempts while the database is unreachable: doubles from baseMs up to maxMs. */
  retry?: { baseMs: number; maxMs: number };
}

export interface DurableWritesEvents {
  /** A write found the database unreachable: events are held from now on. */
  outage: [];
  /** The database answered again after an outage. */
  recovered: [info: { downMs: number; buffered: number }];
  /** An event was dropped because the buffer was full. */
  dropped: [];
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
]);
const CONNECTION_MESSAGE =
  /Timeout acquiring a connection|Connection lost|closed state|connect ECONNREFUSED/i;

/** Whether `error` says the database could not be reached (worth retrying), not that a statement was wrong. */
export function isConnectionError(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (e instanceof ConnectionException) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (CONNECTION_MESSAGE.test(e.message)) return true;
  }
  return false;
}

/**
 * Keeps the call recorder's writes through a database outage: a write that cannot reach the database is retried
 * (with backoff) until it can, while the events behind it wait in memory, in order, up to a bound. Counts what is
 * held and what was dropped for /metrics; logs when an outage starts and ends.
 */
export class DurableWrites extends EventEmitter<DurableWritesEvents> {
  readonly #log: Logger;
  readonly #maxBuffered: number;
  readonly #retry: { baseMs: number; maxMs: number };
  #buffered = 0;
  #dropped = 0;
  #downSince: number | null = null;
  #giveUpAt = Number.POSITIVE_INFINITY;

  constructor(options: DurableWritesOptions) {
    super();
    this.#log = options.logger;
    this.#maxBuffered = options.maxBuffered ?? 20_000;
    this.#retry = options.retry ?? { baseMs: 200, maxMs: 2_000 };
  }

  /** Events admitted and not yet written (normally a handful; grows while the database is down). */
  get buffered(): number {
    return this.#buffered;
  }

  /** Events dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** True while the last write found the database unreachable. */
  get databaseDown(): boolean {
    return this.#downSince !== null;
  }

  /** Takes an event into the buffer; false (and counted, logged) when it is full. Pair with release(). */
  admit(): boolean {
    if (this.#buffered >= this.#maxBuffered) {
      this.#dropped++;
      if (this.#dropped === 1 || this.#dropped % 1000 === 0) {
        this.#log.error(
          { dropped: this.#dropped, maxBuffered: this.#maxBuffered },
          'call event buffer full while the database is unreachable: dropping call events',
        );
      }
      this.emit('dropped');
      return false;
    }
    this.#buffered++;
    return true;
  }

  release(): void {
    this.#buffered--;
  }

  /** Runs one database operation, again and again while the database is unreachable (until giveUpAfter's time). */
  async run<T>(operation: () => Promise<T>): Promise<T> {
    let waitMs = this.#retry.baseMs;
    for (;;) {
      try {
        const result = await operation();
        this.#onSuccess();
        return result;
      } catch (error) {
        if (!isConnectionError(error) || Date.now() >= this.#giveUpAt) throw error;
        this.#onOutage(error);
        await sleep(waitMs);
        waitMs = Math.min(waitMs * 2, this.#retry.maxMs);
      }
    }
  }

  /** Stops retrying `ms` from now (shutdown): writes still failing then are given up (and logged by the caller). */
  giveUpAfter(ms: number): void {
    this.#giveUpAt = Date.now() + ms;
  }

  #onOutage(error: unknown): void {
    if (this.#downSince !== null) return;
    this.#downSince = Date.now();
    this.#log.error(
      { err: error, buffered: this.#buffered },
      'database unreachable: holding call events in memory and retrying',
    );
    this.emit('outage');
  }

  #onSuccess(): void {
    if (this.#downSince === null) return;
    const downMs = Date.now() - this.#downSince;
    this.#downSince = null;
    this.#log.warn(
      { downMs, buffered: this.#buffered },
      'database reachable again: writing the held call events',
    );
    this.emit('recovered', { downMs, buffered: this.#buffered });
  }
}
