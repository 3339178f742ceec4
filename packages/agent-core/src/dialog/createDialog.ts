import { type AgentConfig, modelPath, type ProviderPolicy } from '@voiceroom/protocol';
import { defaultProviderPolicy } from '../operatorPolicy.ts';
import type { Dialog } from '../stages/types.ts';
import { type FallbackOptions, type ProviderChoice, withFallback } from '../stages/withFallback.ts';
import { assertDialogAllowed, DialogError } from './errors.ts';
import { OpenAiCompatibleDialog } from './OpenAiCompatibleDialog.ts';
import { ScriptedDialog } from './ScriptedDialog.ts';
import type { OrderLookup } from './tools.ts';

/** Loads a local GGUF model as a dialog (the agent worker's LlamaCppDialog.create); `modelPath` is already checked. */
export type LocalModelDialogFactory = (config: AgentConfig, modelPath: string | undefined) => Promise<Dialog>;

export interface CreateDialogOptions extends FallbackOptions {
  /**
   * How `llama` configurations load their model. Only the agent worker has one (node-llama-cpp is its dependency);
   * without it such configurations fall back to the scripted policy.
   */
  localModel?: LocalModelDialogFactory;
  /** Earlier orders for the LLM's lookup tool. */
  orders?: OrderLookup;
  /** Where the API key is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** What keys, endpoints and model files the configuration may use (default: read from `env`). */
  policy?: ProviderPolicy;
}

/**
 * The dialog provider an agent's configuration selects. When it cannot be set up (no API key for `openai`, no GGUF
 * model or no node-llama-cpp for `llama`) or the operator's provider policy refuses its key variable, endpoint or
 * model path, the scripted policy stands in, said through `onFallback`, so a call still gets an agent.
 */
export function createDialog(config: AgentConfig, options: CreateDialogOptions = {}): Promise<Dialog> {
  const env = options.env ?? process.env;
  const policy = options.policy ?? defaultProviderPolicy(env);
  const scripted: ProviderChoice<Dialog> = { name: 'scripted', create: () => new ScriptedDialog({ config }) };
  switch (config.dialog.provider) {
    case 'openai': {
      const create = () => {
        assertDialogAllowed(config, policy);
        return new OpenAiCompatibleDialog({
          config,
          policy,
          env,
          ...(options.orders ? { orders: options.orders } : {}),
        });
      };
      return withFallback('dialog', { name: 'openai', create }, scripted, options);
    }
    case 'llama': {
      const create = () => {
        assertDialogAllowed(config, policy);
        // Resolved against the models directory (the policy check above keeps it inside).
        const modelFile = config.dialog.model && modelPath(config.dialog.model, policy.modelsDir);
        if (!options.localModel) {
          throw new DialogError(
            'dialog_model_unavailable',
            `agent ${config.id}: llama dialogs load a local model and run only in an agent worker`,
          );
        }
        return options.localModel(config, modelFile || undefined);
      };
      return withFallback('dialog', { name: 'llama', create }, scripted, options);
    }
    case 'scripted':
      return withFallback('dialog', scripted, undefined, options);
  }
}
