import type { GrammarModel, PocketSphinxLib } from './native.ts';

/**
 * Loads the slot searches of one pool's decoders, drops them and frees the decoders. A grammar file is read once and
 * every decoder's search over it shares it: sphinxbase keeps a hash table per grammar state (101 buckets at least),
 * so the spelling grammar's ~5,900 states take ~20 MB before pocketsphinx builds its search over them (~19 MB more
 * per decoder); read by each decoder they cost 39 MB per decoder.
 *
 * These calls run one at a time: searches count their references to a shared grammar without a lock, and the first
 * search over a grammar adds its silence loops to it.
 */
export class SearchModels {
  readonly #lib: PocketSphinxLib;
  readonly #kind: 'ngram' | 'grammar';
  readonly #files: ReadonlyMap<string, string>;
  readonly #grammars = new Map<string, GrammarModel>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(lib: PocketSphinxLib, kind: 'ngram' | 'grammar', files: ReadonlyMap<string, string>) {
    this.#lib = lib;
    this.#kind = kind;
    this.#files = files;
  }

  /** Adds the search `name` (its model file given at construction) to the decoder `handle`. */
  load(handle: unknown, name: string): Promise<void> {
    const path = this.#files.get(name);
    if (path === undefined) return Promise.reject(new Error(`no model file for the search ${name}`));
    return this.#exclusive(() => {
      if (this.#kind === 'ngram') return this.#lib.addLanguageModel(handle, name, path);
      const grammar = this.#grammars.get(name) ?? this.#lib.readGrammar(handle, path);
      if (!this.#closed) this.#grammars.set(name, grammar);
      const added = this.#lib.addGrammar(handle, name, grammar);
      // a decoder still in use after close: its search holds the grammar alone
      return this.#closed ? added.finally(() => this.#lib.freeGrammar(grammar)) : added;
    });
  }

  drop(handle: unknown, name: string): Promise<void> {
    return this.#exclusive(() => this.#lib.removeSearch(handle, name));
  }

  free(handle: unknown): Promise<void> {
    return this.#exclusive(() => this.#lib.free(handle));
  }

  /** Drops this pool's references to the shared grammars (searches still open keep theirs). */
  close(): Promise<void> {
    return this.#exclusive(() => {
      this.#closed = true;
      for (const grammar of this.#grammars.values()) this.#lib.freeGrammar(grammar);
      this.#grammars.clear();
    });
  }

  #exclusive<T>(task: () => T | Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
