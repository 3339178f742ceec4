import type { AgentConfig } from '@voiceroom/protocol';
import type { Dialog, DialogSession } from '../stages/types.ts';
import { ScriptedDialogSession } from './ScriptedDialogSession.ts';

export interface ScriptedDialogOptions {
  config: AgentConfig;
}

/**
 * A deterministic order-taking policy driven by the agent configuration: order items (asking for missing sizes),
 * then name, delivery address and phone number, then a read-back with the total to confirm. Answers knowledge, menu
 * and price questions at any point, then returns to the open slot; any slot can be corrected at any time. A question
 * the caller does not get past is not asked a third time: the agent confirms a guess, offers the choices, moves on
 * (for optional slots) or offers a person. Works offline with no model at all.
 */
export class ScriptedDialog implements Dialog {
  readonly name = 'scripted';
  readonly #config: AgentConfig;

  constructor(options: ScriptedDialogOptions) {
    this.#config = options.config;
  }

  createSession(): DialogSession {
    return new ScriptedDialogSession(this.#config);
  }

  close(): void {
    // Nothing loaded: the policy is plain code over the configuration.
  }
}
