import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Dialog } from '../types.ts';
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
 * The dialog provider an agent's configuration selects. When the local model cannot be loaded (`llama` without a
 * GGUF file) the scripted policy stands in, said through `onFallback`; a missing API key for `openai` throws.
 */
export async function createDialog(config: AgentConfig, options: CreateDialogOptions = {}): Promise<Dialog> {
  switch (config.dialog.provider) {
    case 'openai':
      return new OpenAiCompatibleDialog({
        config,
        ...(options.orders ? { orders: options.orders } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
    case 'llama':
      try {
        return await LlamaCppDialog.create({ config });
      } catch (error) {
        options.onFallback?.(`agent ${config.id}: ${(error as Error).message}; using the scripted dialog`);
        return new ScriptedDialog({ config });
      }
    case 'scripted':
      return new ScriptedDialog({ config });
  }
}
