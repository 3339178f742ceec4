import { createHash } from 'node:crypto';
import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Logger } from 'pino';
import { createDialog } from '../stages/dialog/createDialog.ts';
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
    const dialog = await createDialog(config, { onFallback: (message) => this.#logger?.warn(message) });
    return { vad: createVad(config.vad), stt, tts, dialog };
  }
}
