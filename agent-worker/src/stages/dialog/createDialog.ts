import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Dialog } from '../types.ts';
import { type FallbackOptions, type ProviderChoice, withFallback } from '../withFallback.ts';
import { LlamaCppDialog } from './LlamaCppDialog.ts';
import { OpenAiCompatibleDialog } from './OpenAiCompatibleDialog.ts';
import { ScriptedDialog } from './ScriptedDialog.ts';
import type { OrderLookup } from './tools.ts';

export interface CreateDialogOptions extends FallbackOptions {
  /** Earlier orders for the LLM's lookup tool. */
  orders?: OrderLookup;
  env?: NodeJS.ProcessEnv;
}

/**
 * The dialog provider an agent's configuration selects. When it cannot be set up (no API key for `openai`, no GGUF
 * model or no node-llama-cpp for `llama`) the scripted policy stands in, said through `onFallback`, so a call still
 * gets an agent.
 */
export function createDialog(config: AgentConfig, options: CreateDialogOptions = {}): Promise<Dialog> {
  const scripted: ProviderChoice<Dialog> = { name: 'scripted', create: () => new ScriptedDialog({ config }) };
  switch (config.dialog.provider) {
    case 'openai': {
      const create = () =>
        new OpenAiCompatibleDialog({
          config,
          ...(options.orders ? { orders: options.orders } : {}),
          ...(options.env ? { env: options.env } : {}),
        });
      return withFallback('dialog', { name: 'openai', create }, scripted, options);
    }
    case 'llama':
      return withFallback(
        'dialog',
        { name: 'llama', create: () => LlamaCppDialog.create({ config }) },
        scripted,
        options,
      );
    case 'scripted':
      return withFallback('dialog', scripted, undefined, options);
  }
}
