import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Dialog } from '../types.ts';
import { DialogError } from './errors.ts';
import { LlamaCppDialog } from './LlamaCppDialog.ts';
import { OpenAiCompatibleDialog } from './OpenAiCompatibleDialog.ts';
import { ScriptedDialog } from './ScriptedDialog.ts';
import type { OrderLookup } from './tools.ts';

export interface CreateDialogOptions {
  /** Earlier orders for the LLM's lookup tool. */
  orders?: OrderLookup;
  env?: NodeJS.ProcessEnv;
  /** Told when a configured provider cannot be used and the scripted policy stands in. */
  onFallback?: (message: string) => void;
}

/**
 * The dialog provider an agent's configuration selects. When it cannot be set up (no API key for `openai`, no GGUF
 * model or no node-llama-cpp for `llama`) the scripted policy stands in, said through `onFallback`, so a call still
 * gets an agent.
 */
export async function createDialog(config: AgentConfig, options: CreateDialogOptions = {}): Promise<Dialog> {
  try {
    switch (config.dialog.provider) {
      case 'openai':
        return new OpenAiCompatibleDialog({
          config,
          ...(options.orders ? { orders: options.orders } : {}),
          ...(options.env ? { env: options.env } : {}),
        });
      case 'llama':
        return await LlamaCppDialog.create({ config });
      case 'scripted':
        return new ScriptedDialog({ config });
    }
  } catch (error) {
    if (!(error instanceof DialogError)) throw error;
    options.onFallback?.(`agent ${config.id}: ${error.message}; using the scripted dialog`);
    return new ScriptedDialog({ config });
  }
}
