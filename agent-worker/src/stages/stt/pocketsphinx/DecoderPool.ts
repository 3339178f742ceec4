import type { SttExpectation } from '@voiceroom/agent-core/stages';
import type { PocketSphinxLib } from './native.ts';
import { SearchModels } from './searchModels.ts';

/**
 * A search a decoder can switch to: a slot's, or the grammar decoders' one for speech that begins while the agent
 * talks (overAgentGrammar.ts).
 */
export type SearchName = SttExpectation | 'over_agent';

/** A pocketsphinx decoder as one call at a time holds it: the searches loaded into it and how warm it is. */
export interface PooledDecoder {
  readonly handle: unknown;
  /** The `-lm` model's search ("_default"), used when the expected slot has none. */
  readonly defaultSearch: string;
  /** Slot searches loaded so far (one that failed to load is left out: its slot uses the domain model). */
  readonly searches: Set<SearchName>;
  /**
   * Calls it decoded speech for before the current one. Above 0 its cepstral means have adapted to the channel
   * (WebRTC, Opus, 16 kHz) on an earlier caller, so a new call's first utterance is not decoded from the model's
   * default means.
   */
  readonly warmCalls: number;
}

interface Entry extends PooledDecoder {
  warmCalls: number;
}

export interface DecoderPoolOptions {
  lib: PocketSphinxLib;
  decoderArgs: Record<string, string>;
  /** Idle decoders kept for later calls (each ~20 MB with its slot models); 0 frees every decoder at release. */
  maxIdle: number;
  /**
   * Decoders built ahead of need, with every slot search loaded (default 0): `prepare` builds them, and a call that
   * takes the last idle one has another built shortly after, so the next call (a call moved here from a worker that
   * died, above all) starts without building one.
   */
  spares?: number;
  /** Slot searches (slot -> model file) a spare is built with. */
  slotModels?: Partial<Record<SearchName, string>>;
  /** What the slot files are: n-gram models (ARPA, the default) or finite-state grammars (FSG). */
  searchKind?: 'ngram' | 'grammar';
  /**
   * Slot searches loaded only while a call waits for their slot (loadSearch, dropSearch), never kept by an idle
   * decoder: what a grammar's search builds is per decoder (the spelling grammar's ~19 MB).
   */
  onDemand?: readonly SearchName[];
  /** A spare could not be built or one of its searches not loaded (the pool goes on without it). */
  onError?: (error: Error) => void;
}

/**
 * How long after a call took the last idle decoder its replacement is built. Building one blocks the event loop
 * (~80 ms idle, seconds on a starved machine), so it waits until that call has set up and started talking.
 */
const SPARE_DELAY_MS = 5_000;

/**
 * Decoders of one recogniser configuration, reused from call to call in this process: a new call takes an idle
 * decoder with the acoustic model, the domain model and every slot model already loaded, instead of building one
 * (~80 ms on the event loop) and loading six slot models (~300 ms of decoding thread) while its greeting plays.
 * A decoder is only ever used by one stream at a time: pocketsphinx's language models keep scoring caches, so one
 * model shared by decoders decoding at once on koffi's threads would race.
 */
export class DecoderPool {
  readonly #lib: PocketSphinxLib;
  readonly #args: Record<string, string>;
  readonly #maxIdle: number;
  readonly #spares: number;
  /** The slot searches every decoder has loaded (all but the on-demand ones). */
  readonly #loadedAlways: SearchName[];
  readonly #onDemand: ReadonlySet<SearchName>;
  readonly #models: SearchModels;
  readonly #onError: (error: Error) => void;
  readonly #idle: Entry[] = [];
  #created = 0;
  #building = 0;
  #spareTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: DecoderPoolOptions) {
    this.#lib = options.lib;
    this.#args = options.decoderArgs;
    this.#maxIdle = options.maxIdle;
    this.#spares = Math.min(options.spares ?? 0, options.maxIdle);
    const files = new Map(Object.entries(options.slotModels ?? {}) as [SearchName, string][]);
    this.#onDemand = new Set(options.onDemand ?? []);
    this.#loadedAlways = [...files.keys()].filter((name) => !this.#onDemand.has(name));
    this.#models = new SearchModels(options.lib, options.searchKind ?? 'ngram', files);
    this.#onError = options.onError ?? (() => undefined);
  }

  get lib(): PocketSphinxLib {
    return this.#lib;
  }

  get idle(): number {
    return this.#idle.length;
  }

  /** Decoders built so far (reused ones count once). */
  get created(): number {
    return this.#created;
  }

  /** The most recently released decoder (its means are the freshest), or a new one. Throws when none can be built. */
  acquire(): PooledDecoder {
    const reused = this.#idle.pop();
    if (this.#idle.length + this.#building < this.#spares && this.#spareTimer === undefined) {
      this.#spareTimer = setTimeout(() => {
        this.#spareTimer = undefined;
        void this.prepare();
      }, SPARE_DELAY_MS);
      this.#spareTimer.unref();
    }
    return reused ?? this.#build();
  }

  /**
   * Builds spares until `spares` decoders are idle or being built; resolves when they are ready. Never rejects: a
   * failure goes to `onError` and calls then build their own decoder.
   */
  async prepare(): Promise<void> {
    const builds: Promise<void>[] = [];
    while (!this.#closed && this.#idle.length + this.#building < this.#spares)
      builds.push(this.#buildSpare());
    await Promise.all(builds);
  }

  /**
   * Hands a decoder back once its stream is done with it (no utterance open). `decoded`: it recognised speech in
   * that call. `reusable` false (it failed) or a full or closed pool frees it.
   */
  release(decoder: PooledDecoder, options: { decoded: boolean; reusable: boolean }): void {
    const entry = decoder as Entry;
    if (!options.reusable || this.#closed || this.#idle.length >= this.#maxIdle) {
      void this.#models.free(entry.handle);
      return;
    }
    if (options.decoded) entry.warmCalls++;
    const onDemand = [...entry.searches].filter((name) => this.#onDemand.has(name));
    if (onDemand.length === 0) this.#idle.push(entry);
    else void this.#idleWithout(entry, onDemand);
  }

  /**
   * Loads the slot searches `decoder` lacks (a decoder built on demand has none) but the on-demand ones, one after the
   * other: calls on one decoder must not overlap. One that fails to load goes to `onError` and its slot stays without
   * a search.
   */
  async loadMissingSearches(decoder: PooledDecoder): Promise<void> {
    for (const name of this.#loadedAlways) await this.#load(decoder, name);
  }

  /** Loads the on-demand search `name` unless `decoder` has it (a failure goes to `onError`, as in loadMissingSearches). */
  async loadSearch(decoder: PooledDecoder, name: SearchName): Promise<void> {
    if (this.#onDemand.has(name)) await this.#load(decoder, name);
  }

  /** Drops `name` from `decoder` if it is an on-demand search, between utterances. Rejects when pocketsphinx fails. */
  async dropSearch(decoder: PooledDecoder, name: SearchName): Promise<void> {
    if (!this.#onDemand.has(name) || !decoder.searches.delete(name)) return;
    if (this.#lib.search(decoder.handle) === name) this.#lib.setSearch(decoder.handle, decoder.defaultSearch);
    await this.#models.drop(decoder.handle, name);
  }

  /** Frees the idle decoders; decoders still in use are freed when released, spares being built once built. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#spareTimer);
    for (const entry of this.#idle.splice(0)) void this.#models.free(entry.handle);
    void this.#models.close();
  }

  async #load(decoder: PooledDecoder, name: SearchName): Promise<void> {
    if (decoder.searches.has(name)) return;
    await this.#models.load(decoder.handle, name).then(
      () => decoder.searches.add(name),
      (error: Error) => this.#onError(error),
    );
  }

  /** Idles `entry` once the on-demand searches its call loaded are dropped (freed if that fails). */
  async #idleWithout(entry: Entry, onDemand: readonly SearchName[]): Promise<void> {
    try {
      for (const name of onDemand) await this.dropSearch(entry, name);
    } catch (error) {
      this.#onError(error as Error);
      await this.#models.free(entry.handle);
      return;
    }
    if (this.#closed || this.#idle.length >= this.#maxIdle) await this.#models.free(entry.handle);
    else this.#idle.push(entry);
  }

  #build(): Entry {
    const handle = this.#lib.createDecoder(this.#args);
    this.#created++;
    return { handle, defaultSearch: this.#lib.search(handle), searches: new Set(), warmCalls: 0 };
  }

  async #buildSpare(): Promise<void> {
    this.#building++;
    try {
      const entry = this.#build();
      await this.loadMissingSearches(entry);
      if (this.#closed) await this.#models.free(entry.handle);
      // behind the decoders released by calls: acquire takes those first (their means have adapted)
      else this.#idle.unshift(entry);
    } catch (error) {
      this.#onError(error as Error);
    } finally {
      this.#building--;
    }
  }
}
