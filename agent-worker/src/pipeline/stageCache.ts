import { createHash } from 'node:crypto';
import type { AgentConfig } from '@voiceroom/sdk/protocol';
import { PocketSphinxStt } from '../stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { EspeakTts } from '../stages/tts/espeak/EspeakTts.ts';
import { FliteTts } from '../stages/tts/flite/FliteTts.ts';
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

async function createStt(config: AgentConfig): Promise<Stt> {
  if (config.asr.provider !== 'pocketsphinx') {
    throw new StageError(
      'STT_PROVIDER_UNAVAILABLE',
      `asr provider '${config.asr.provider}' is not available in this build; set asr.provider to pocketsphinx`,
    );
  }
  return PocketSphinxStt.create({ domain: config });
}

async function createTts(config: AgentConfig['tts']): Promise<Tts> {
  switch (config.provider) {
    case 'flite':
      return FliteTts.create({ voice: config.voice, rate: config.rate });
    case 'espeak-ng':
      return new EspeakTts({ voice: config.voice, rate: config.rate });
    default:
      throw new StageError(
        'TTS_PROVIDER_UNAVAILABLE',
        `tts provider '${config.provider}' has no model on this machine; set tts.provider to flite or espeak-ng`,
      );
  }
}

async function createDialog(config: AgentConfig): Promise<Dialog> {
  const module = (await import(new URL('../stages/dialog/index.ts', import.meta.url).href).catch(
    () => ({}),
  )) as {
    createDialog?: (config: AgentConfig) => Dialog | Promise<Dialog>;
  };
  if (typeof module.createDialog !== 'function') {
    throw new StageError(
      'DIALOG_UNAVAILABLE',
      'agent-worker/src/stages/dialog/index.ts must export createDialog',
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

  constructor(maxEntries = 8) {
    this.#maxEntries = maxEntries;
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
    const [stt, tts, dialog] = await Promise.all([
      createStt(config),
      createTts(config.tts),
      createDialog(config),
    ]);
    return { vad: createVad(config.vad), stt, tts, dialog };
  }
}
