import { createHash } from 'node:crypto';
import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Logger } from 'pino';
import { createStt } from '../stages/stt/createStt.ts';
import { createTts } from '../stages/tts/createTts.ts';
import type { Dialog, Stt, Tts, Vad } from '../stages/types.ts';
import { createVad } from '../stages/vad/createVad.ts';

export interface CallStages {
  vad: Vad;
  stt: Stt;
  tts: Tts;
  dialog: Dialog;
}

class StageError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** H4's dialog factory, resolved at run time so the pipeline loads before the dialog stage exists. */
async function createDialog(config: AgentConfig): Promise<Dialog> {
  let module: { createDialog?: (config: AgentConfig) => Dialog | Promise<Dialog> };
  try {
    module = await import(new URL('../stages/dialog/createDialog.ts', import.meta.url).href);
  } catch (error) {
    throw new StageError(
      'DIALOG_UNAVAILABLE',
      `the dialog stage cannot be loaded (${(error as Error).message}); check agent-worker/src/stages/dialog`,
    );
  }
  if (typeof module.createDialog !== 'function') {
    throw new StageError(
      'DIALOG_UNAVAILABLE',
      'agent-worker/src/stages/dialog/createDialog.ts must export createDialog',
    );
  }
  return module.createDialog(config);
}

const keyOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Loaded stages shared by every call of the same agent configuration (models load once per process; each call
 * opens its own streams and dialog session). At most `maxEntries` configurations stay loaded.
 */
export class StageCache {
  readonly #entries = new Map<string, Promise<CallStages>>();
  readonly #maxEntries: number;
  readonly #logger: Pick<Logger, 'warn' | 'error'> | undefined;

  constructor(options: { maxEntries?: number; logger?: Pick<Logger, 'warn' | 'error'> } = {}) {
    this.#maxEntries = options.maxEntries ?? 8;
    this.#logger = options.logger;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(config: AgentConfig): Promise<CallStages> {
    const key = keyOf(config);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = this.#load(config);
      // a failed load is not cached: the next call retries (e.g. after the model was installed)
      entry.catch(() => this.#entries.delete(key));
      this.#entries.set(key, entry);
      if (this.#entries.size > this.#maxEntries) {
        const oldest = this.#entries.keys().next().value as string;
        const evicted = this.#entries.get(oldest);
        this.#entries.delete(oldest);
        evicted?.then((s) => s.tts.close()).catch(() => undefined);
      }
    } else {
      // most recently used last
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  async #load(config: AgentConfig): Promise<CallStages> {
    // One after the other: building the recogniser's model (espeak-ng via koffi) while flite loads its voice
    // corrupts flite's state (its later synthesis crashes the process).
    const onWarning = (message: string, error: Error) => this.#logger?.warn({ err: error }, message);
    const stt = await createStt(config, {
      onWarning,
      onError: (error) => this.#logger?.error({ err: error }, 'speech recognition failed'),
    });
    const tts = await createTts(config.tts, { onWarning });
    const dialog = await createDialog(config);
    return { vad: createVad(config.vad), stt, tts, dialog };
  }
}
