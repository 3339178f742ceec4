import { createHash } from 'node:crypto';
import { createDialog } from '@voiceroom/agent-core/dialog';
import type {
  Dialog,
  ProviderChoice,
  Stage,
  StageFallback,
  Stt,
  Tts,
  Vad,
} from '@voiceroom/agent-core/stages';
import type { AgentConfig } from '@voiceroom/protocol';
import type { Logger } from 'pino';
import { loadLocalModelDialog } from '../stages/dialog/index.ts';
import { createStt, offlineSttFor } from '../stages/stt/createStt.ts';
import { createTts } from '../stages/tts/createTts.ts';
import { createVad, offlineVadFor } from '../stages/vad/createVad.ts';

export interface CallStages {
  vad: Vad;
  stt: Stt;
  tts: Tts;
  dialog: Dialog;
}

/** One call's hold on a configuration's stages; `release` when the call ends. */
export interface StageLease {
  stages: CallStages;
  /**
   * The offline VAD and recogniser that take over when `stages.vad` or `stages.stt` fails mid-call (loaded on first
   * need, then shared); absent when the configured one is the offline one.
   */
  fallbacks: { vad?: () => Promise<Vad>; stt?: () => Promise<Stt> };
  release(): void;
}

interface StageLoaderHooks {
  onFallback(fallback: StageFallback): void;
  /** A recogniser's decoding error that its stream survives (logged). */
  onRecognitionError(error: Error): void;
  /**
   * The configuration's recogniser, shared with every configuration it is built the same from (menu, knowledge,
   * asr, handoff): changing anything else (recording, greeting, voice) does not rebuild its language models.
   */
  recogniser(): Promise<Stt>;
}

type StageLoader = (config: AgentConfig, hooks: StageLoaderHooks) => Promise<CallStages>;

/** What a recogniser is built from (see createStt). */
type RecogniserConfig = Pick<AgentConfig, 'asr' | 'menu' | 'knowledge' | 'handoff'>;
type RecogniserLoader = (
  config: RecogniserConfig,
  hooks: Pick<StageLoaderHooks, 'onFallback' | 'onRecognitionError'>,
) => Promise<Stt>;

interface SharedRecogniser {
  stt: Promise<Stt>;
  /** Configuration entries holding it: it closes when the last one closes. */
  holders: number;
}

interface Entry {
  config: AgentConfig;
  stages: Promise<CallStages>;
  /** The shared recogniser this entry holds, once its loader asked for it. */
  recogniserKey?: string;
  /** Offline stages loaded for mid-call failures. */
  offline: Map<'vad' | 'stt', Promise<Stage>>;
  /** Calls holding a lease. */
  users: number;
  evicted: boolean;
}

const keyOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const recogniserKeyOf = ({ asr, menu, knowledge, handoff }: RecogniserConfig) =>
  keyOf({ asr, menu, knowledge, handoff });

const loadRecogniser: RecogniserLoader = (config, { onFallback, onRecognitionError }) =>
  createStt(config, { onFallback, onError: onRecognitionError });

/** Loads the four stages one after the other, each through its factory's fallback rule. */
export const loadStages: StageLoader = async (config, { onFallback, recogniser }) => {
  // One after the other: building the recogniser's model (espeak-ng via koffi) while flite loads its voice
  // corrupts flite's state (its later synthesis crashes the process).
  const stt = await recogniser();
  const tts = await createTts(config.tts, { onFallback });
  const dialog = await createDialog(config, { onFallback, localModel: loadLocalModelDialog });
  return { vad: await createVad(config.vad, { onFallback }), stt, tts, dialog };
};

/**
 * Loaded stages shared by every call of the same agent configuration (models load once per process; each call
 * opens its own streams and dialog session). At most `maxEntries` configurations stay loaded; an evicted one is
 * closed (all four stages) once its last call has released it. Created by the worker and passed down.
 */
export class StageCache {
  readonly #entries = new Map<string, Entry>();
  readonly #recognisers = new Map<string, SharedRecogniser>();
  readonly #maxEntries: number;
  readonly #logger: Pick<Logger, 'warn' | 'error'> | undefined;
  readonly #load: StageLoader;
  readonly #loadRecogniser: RecogniserLoader;
  #closed = false;

  constructor(
    options: {
      maxEntries?: number;
      logger?: Pick<Logger, 'warn' | 'error'>;
      load?: StageLoader;
      loadRecogniser?: RecogniserLoader;
    } = {},
  ) {
    this.#maxEntries = options.maxEntries ?? 8;
    this.#logger = options.logger;
    this.#load = options.load ?? loadStages;
    this.#loadRecogniser = options.loadRecogniser ?? loadRecogniser;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The stages of `config`, loading them on first use (the worker warms its default agent up this way). */
  async get(config: AgentConfig): Promise<CallStages> {
    return this.#entry(config).stages;
  }

  /** The stages of `config` for one call: they stay open until `release`, even if evicted meanwhile. */
  async acquire(config: AgentConfig): Promise<StageLease> {
    const entry = this.#entry(config);
    const stages = await entry.stages;
    entry.users++;
    let released = false;
    const vad = offlineVadFor(config.vad);
    const stt = offlineSttFor(config, { onError: (error) => this.#recognitionFailed(error) });
    return {
      stages,
      fallbacks: {
        ...(vad ? { vad: () => this.#offline(entry, 'vad', vad) } : {}),
        ...(stt ? { stt: () => this.#offline(entry, 'stt', stt) } : {}),
      },
      release: () => {
        if (released) return;
        released = true;
        entry.users--;
        if (entry.evicted && entry.users === 0) this.#closeEntry(entry);
      },
    };
  }

  /** Closes every loaded stage (worker shutdown); calls still running keep theirs until they release. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#entries.values()) this.#evict(entry);
    this.#entries.clear();
  }

  #entry(config: AgentConfig): Entry {
    if (this.#closed) throw new Error('the stage cache is closed: the worker is shutting down');
    const key = keyOf(config);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      const loading: Entry = {
        config,
        stages: Promise.resolve({} as CallStages),
        offline: new Map(),
        users: 0,
        evicted: false,
      };
      const hooks = {
        onFallback: (f: StageFallback) => this.#logger?.warn({ err: f.error, agent: config.id }, f.message),
        onRecognitionError: (error: Error) => this.#recognitionFailed(error),
      };
      loading.stages = this.#load(config, {
        ...hooks,
        recogniser: () => this.#holdRecogniser(loading, hooks),
      });
      entry = loading;
      // a failed load is not cached: the next call retries (e.g. after the model was installed)
      loading.stages.catch(() => {
        if (this.#entries.get(key) === loading) this.#entries.delete(key);
        this.#releaseRecogniser(loading);
      });
      this.#entries.set(key, entry);
      if (this.#entries.size > this.#maxEntries) {
        const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry];
        this.#entries.delete(oldestKey);
        this.#evict(oldest);
      }
    } else {
      // most recently used last
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** The shared recogniser of `entry`'s configuration, loaded on first need; `entry` holds it until it closes. */
  #holdRecogniser(
    entry: Entry,
    hooks: Pick<StageLoaderHooks, 'onFallback' | 'onRecognitionError'>,
  ): Promise<Stt> {
    const key = recogniserKeyOf(entry.config);
    let shared = this.#recognisers.get(key);
    if (shared === undefined) {
      const stt = this.#loadRecogniser(entry.config, hooks);
      const loading: SharedRecogniser = { stt, holders: 0 };
      // a failed build is not kept: the next configuration that needs it tries again
      stt.catch(() => {
        if (this.#recognisers.get(key) === loading) this.#recognisers.delete(key);
      });
      this.#recognisers.set(key, loading);
      shared = loading;
    }
    if (entry.recogniserKey === undefined) {
      entry.recogniserKey = key;
      shared.holders++;
    }
    return shared.stt;
  }

  #releaseRecogniser(entry: Entry): void {
    const key = entry.recogniserKey;
    if (key === undefined) return;
    entry.recogniserKey = undefined;
    const shared = this.#recognisers.get(key);
    if (shared === undefined || --shared.holders > 0) return;
    this.#recognisers.delete(key);
    shared.stt
      .then((stt) => stt.close())
      .catch((error: unknown) =>
        this.#logger?.warn({ err: error, agent: entry.config.id }, 'closing a stage failed'),
      );
  }

  #offline<T extends Stage>(entry: Entry, kind: 'vad' | 'stt', choice: ProviderChoice<T>): Promise<T> {
    let loading = entry.offline.get(kind);
    if (loading === undefined) {
      const load = Promise.resolve().then(() => choice.create());
      // a failed load is not kept: the next failing call tries again
      load.catch(() => {
        if (entry.offline.get(kind) === load) entry.offline.delete(kind);
      });
      entry.offline.set(kind, load);
      loading = load;
    }
    return loading as Promise<T>;
  }

  #recognitionFailed(error: Error): void {
    this.#logger?.error({ err: error }, 'speech recognition failed');
  }

  #evict(entry: Entry): void {
    entry.evicted = true;
    if (entry.users === 0) this.#closeEntry(entry);
  }

  #closeEntry(entry: Entry): void {
    // what failed to load has nothing to close; the shared recogniser closes with its last holder
    const key = entry.recogniserKey;
    const shared = (key === undefined ? undefined : this.#recognisers.get(key)?.stt)?.catch(() => undefined);
    this.#releaseRecogniser(entry);
    const loaded = [
      entry.stages.then(
        async ({ vad, stt, tts, dialog }): Promise<Stage[]> =>
          stt === (await shared) ? [vad, tts, dialog] : [vad, stt, tts, dialog],
        () => [],
      ),
      ...[...entry.offline.values()].map((loading) =>
        loading.then(
          (stage) => [stage],
          () => [],
        ),
      ),
    ];
    for (const stages of loaded) {
      stages
        // each stage closes even when another one throws
        .then((list) => Promise.all(list.map(async (stage) => stage.close())))
        .catch((error: unknown) =>
          this.#logger?.warn({ err: error, agent: entry.config.id }, 'closing a stage failed'),
        );
    }
  }
}
