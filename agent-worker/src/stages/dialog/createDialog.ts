import type { AgentConfig } from '@voiceroom/sdk/protocol';
import type { Dialog } from '../types.ts';
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
 * The dialog provider an agent's configuration selects. `llama` (node-llama-cpp) is not bundled: it falls back to the
 * scripted policy, saying so through `onFallback`.
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
      options.onFallback?.(
        `agent ${config.id}: dialog provider llama (node-llama-cpp) is not installed in this build; using the scripted dialog`,
      );
      return new ScriptedDialog({ config });
    case 'scripted':
      return new ScriptedDialog({ config });
  }
}
